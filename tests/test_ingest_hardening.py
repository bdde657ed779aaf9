"""The source document is hostile until checked: characters, line ends, size, digest, fuzz.

Every outcome of ``lowcarbon ingest`` on a mutated document is exit 0 with records that
``ingest --check`` agrees with, or exit 2 with one ``file:line`` message: never a traceback,
never a hang.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lowcarbon.cli import main
from lowcarbon.ingest.checks import MAX_SOURCE_BYTES
from lowcarbon.ingest.source import SourceError, parse_source, read_source, verify_checksum
from lowcarbon.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Paths(ROOT).source
DOC = SOURCE.read_bytes()
_ITEM = "聯合國氣候變遷綱要公約".encode()  # appears inside an item of the table
_ONE_MESSAGE = re.compile(r"^error: [^\n]+:\d+(:\d+)?: [^\n]+\n$")


def _at_item(insert: bytes) -> bytes:
    k = DOC.index(_ITEM) + 3  # after the first character of the item text
    return DOC[:k] + insert + DOC[k:]


@pytest.mark.parametrize(
    ("data", "message", "line_col"),
    [
        (_at_item(b"\x00"), "control character U+0000, which XML 1.0 cannot carry", True),
        (_at_item(b"\x07"), "control character U+0007", True),
        (_at_item(b"\x1b"), "control character U+001B", True),
        (_at_item("\ufffe".encode()), "control character U+FFFE", True),
        (_at_item(b"\r"), "a carriage return (U+000D); expected LF line endings only", True),
        (DOC.replace(b"\n", b"\r\n"), "CRLF line endings; expected LF only", True),
        (DOC.replace(b"\n", b"\r"), "a carriage return", True),
        (_at_item("\u2028".encode()), "line separator U+2028; expected LF line endings", True),
        (_at_item("\x85".encode()), "line separator U+0085", True),
        (b"\xef\xbb\xbf" + DOC, "unexpected byte-order mark", False),
        (b"   \n", "the file is empty", False),
    ],
)
def test_refused_with_file_line_and_column(data: bytes, message: str, line_col: bool) -> None:
    with pytest.raises(SourceError, match=re.escape(message)) as e:
        parse_source(data, "doc.txt")
    if line_col:
        assert e.value.line is not None and e.value.column is not None
        assert str(e.value).startswith(f"doc.txt:{e.value.line}:{e.value.column}: ")


def test_the_column_points_at_the_character() -> None:
    data = _at_item(b"\x07")
    with pytest.raises(SourceError) as e:
        parse_source(data, "doc.txt")
    line = data.decode().split("\n")[e.value.line - 1]  # type: ignore[operator]
    assert line[e.value.column - 1] == "\x07"  # type: ignore[operator]


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(DOC + b"\t" * (MAX_SOURCE_BYTES))
    with pytest.raises(SourceError, match=f"at most {MAX_SOURCE_BYTES} are read"):
        read_source(big)
    with pytest.raises(SourceError, match=f"larger than {MAX_SOURCE_BYTES} bytes"):
        parse_source(big.read_bytes(), "big.txt")


def test_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(Path("/dev/zero"))
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(tmp_path)


def _project(tmp_path: Path) -> Paths:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return Paths(tmp_path)


def test_the_recorded_digest_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _project(tmp_path)
    verify_checksum(paths.source, paths.source_sha256)  # the committed digest holds
    paths.source.write_bytes(DOC.replace("臺北市".encode(), "台北市".encode(), 1))
    with pytest.raises(SourceError, match=r"SHA256SUMS:1: honor-roll-2011.txt has SHA-256"):
        verify_checksum(paths.source, paths.source_sha256)
    assert main(["ingest", "--root", str(tmp_path), "--check"]) == 2
    assert main(["build", "--root", str(tmp_path), "--check"]) == 2
    err = capsys.readouterr().err
    assert err.count("SHA256SUMS:1:") == 2 and "Traceback" not in err
    paths.source_sha256.write_text("not a digest\n")
    with pytest.raises(SourceError, match="SHA256SUMS:1: expected '<sha256 in hex>"):
        verify_checksum(paths.source, paths.source_sha256)
    digest = hashlib.sha256(paths.source.read_bytes()).hexdigest()
    paths.source_sha256.write_text(f"{digest}  other.txt\n")
    with pytest.raises(SourceError, match=r"honor-roll-2011\.txt is not listed"):
        verify_checksum(paths.source, paths.source_sha256)


# --- the fuzz -----------------------------------------------------------------------------

LINES = DOC.split(b"\n")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    kind = draw(
        st.sampled_from(
            ["flip", "delete", "swap", "tab", "truncate", "crlf", "bom", "nfd", "c0", "dup"]
        )
    )
    lines = list(LINES)
    n = len(lines)
    i = draw(st.integers(0, n - 1))
    if kind == "flip":
        data = bytearray(DOC)
        k = draw(st.integers(0, len(data) - 1))
        data[k] ^= 1 << draw(st.integers(0, 7))
        return bytes(data)
    if kind == "delete":
        del lines[i]
    elif kind == "swap":
        j = draw(st.integers(0, n - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "tab":
        lines[i] = lines[i][1:] if lines[i].startswith(b"\t") else b"\t" + lines[i]
    elif kind == "truncate":
        return DOC[: draw(st.integers(0, len(DOC)))]
    elif kind == "crlf":
        lines[i] += b"\r"
    elif kind == "bom":
        return b"\xef\xbb\xbf" + DOC
    elif kind == "nfd":
        text = lines[i].decode("utf-8")
        lines[i] = unicodedata.normalize("NFD", text.replace("臺", "\u81fa")).encode()
        if lines[i] == LINES[i]:  # nothing decomposes in CJK: add a decomposable letter
            lines[i] += unicodedata.normalize("NFD", "é").encode()
    elif kind == "c0":
        k = draw(st.integers(0, len(lines[i])))
        c = bytes([draw(st.integers(0, 31))])
        lines[i] = lines[i][:k] + c + lines[i][k:]
    elif kind == "dup":
        lines.insert(i, lines[i])
    return b"\n".join(lines)


@settings(
    max_examples=300,
    deadline=5000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated())
def test_fuzz_ingest_is_exit_0_and_round_trips_or_exit_2_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes
) -> None:
    """300 mutated source documents (derandomized, ten kinds of mutation): ~2 s idle.

    Each case is ``lowcarbon ingest`` through ``main()`` in process, then ``ingest --check`` if it
    succeeds; a subprocess per case would cost 0.6 s of imports each.
    """
    src, out = tmp_path / "doc.txt", tmp_path / "records.csv"
    src.write_bytes(data)
    out.unlink(missing_ok=True)
    capsys.readouterr()
    code = main(["ingest", str(src), "-o", str(out)])
    err = capsys.readouterr().err
    if code == 2:
        assert _ONE_MESSAGE.match(err), err
        assert str(src) in err
        assert not out.exists()  # nothing half-written
        return
    assert code == 0, err
    assert main(["ingest", str(src), "-o", str(out), "--check"]) == 0
    text = out.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\r]", text)
