"""What a source file must be before it is parsed: its size, its digest, its characters."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from lowcarbon.errors import SourceError

__all__ = ["MAX_SOURCE_BYTES", "SourceError", "check_characters", "verify_checksum"]


#: Largest source document read, in bytes (the 2011 edition is 7.9 KB; a synthetic document of
#: 130,000 items, the Global Covenant of Mayors' 13,000 cities x 10, is about 11 MB). Reading is
#: linear, so the bound is on memory: a few hundred bytes of records per byte at most.
MAX_SOURCE_BYTES = 16 * 1024 * 1024
#: Characters XML 1.0 cannot carry (RDF/XML, TriX and HTML exports could not hold them).
_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def verify_checksum(source: Path, sums: Path) -> None:
    """Check ``source`` against its line in ``sums`` (``sha256sum`` format), if ``sums`` exists.

    Raises SourceError naming the SHA256SUMS line when the digest differs, when the file is not
    listed, or when a line is not ``<64 hex digits>  <name>``.
    """
    if not sums.is_file():
        return
    try:
        listing = sums.read_text(encoding="utf-8")
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(sums), None, f"cannot read: {exc}") from exc
    for n, line in enumerate(listing.splitlines(), 1):
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not m:
            raise SourceError(str(sums), n, "expected '<sha256 in hex>  <file name>'")
        if m.group(2) == source.name:
            if m.group(1) != digest:
                raise SourceError(
                    str(sums),
                    n,
                    f"{source.name} has SHA-256 {digest}, not the recorded {m.group(1)}: if the "
                    "source changed on purpose, record the new digest (sha256sum)",
                )
            return
    raise SourceError(str(sums), None, f"{source.name} is not listed")


def check_characters(text: str, path: str) -> None:
    """Refuse carriage returns, NEL/U+2028/U+2029 and characters XML 1.0 cannot carry.

    Each with the line and column where it is.
    """
    cr = text.find("\r")
    if cr >= 0:
        line = text.count("\n", 0, cr) + 1
        column = cr - (text.rfind("\n", 0, cr) + 1) + 1
        what = (
            "CRLF line endings; expected LF only (convert with dos2unix)"
            if text.startswith("\r\n", cr)
            else "a carriage return (U+000D); expected LF line endings only"
        )
        raise SourceError(path, line, what, column=column)
    for pattern, what in (
        # line ends to str.splitlines, YAML, JavaScript and many editors, not to us
        (_LINE_SEPARATORS, "line separator U+{:04X}; expected LF line endings only"),
        (_NOT_XML, "control character U+{:04X}, which XML 1.0 cannot carry"),
    ):
        m = pattern.search(text)
        if m:
            at = m.start()
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            raise SourceError(path, line, what.format(ord(m.group())), column=column)
