"""Where the project's files live, relative to a project root."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Paths"]

#: A line of ``sha256sum`` output naming a file of the folder itself.
_SUMS_LINE = re.compile(r"[0-9a-f]{64} [ *]([^/\\]+)")
#: The first edition's file name, used when nothing names another.
_DEFAULT_SOURCE = "honor-roll-2011.txt"


@dataclass(frozen=True)
class Paths:
    """The standard locations under a project root."""

    root: Path

    @property
    def source(self) -> Path:
        """The source document: the file that ``data/source/SHA256SUMS`` names.

        The checksum file is the one place an edition is named (``docs/editions.md``): its
        first line ``<sha256>  <file name>`` says which document of ``data/source/`` to build.
        Without it (or when it names no file there), the folder's only ``.txt`` file.
        """
        folder = self.root / "data" / "source"
        texts = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        fallback = texts[0] if len(texts) == 1 else folder / _DEFAULT_SOURCE
        try:
            first = self.source_sha256.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, UnicodeDecodeError, IndexError):
            return fallback
        m = _SUMS_LINE.fullmatch(first)
        named = folder / m.group(1) if m and m.group(1) not in (".", "..") else None
        # a bad line, or a name with no file: verify_checksum then says what is wrong
        return named if named is not None and named.is_file() else fallback

    @property
    def source_sha256(self) -> Path:
        """The recorded SHA-256 of the source document."""
        return self.root / "data" / "source" / "SHA256SUMS"

    @property
    def records(self) -> Path:
        """The ingested records."""
        return self.root / "data" / "records.csv"

    @property
    def entities(self) -> Path:
        """The curated catalog folder."""
        return self.root / "data" / "entities"

    @property
    def links(self) -> Path:
        """Judgment calls for linking."""
        return self.root / "data" / "links.yaml"

    @property
    def ontology(self) -> Path:
        """The OWL ontology."""
        return self.root / "ontology" / "lowcarbon.ttl"

    @property
    def shapes(self) -> Path:
        """The SHACL shapes."""
        return self.root / "ontology" / "shapes.ttl"

    @property
    def exports(self) -> Path:
        """The published dataset."""
        return self.root / "exports"

    @property
    def site(self) -> Path:
        """The static site: pages and a copy of the dataset (a build product, git-ignored)."""
        return self.root / "site"

    @property
    def store(self) -> Path:
        """The embedded store (git-ignored)."""
        return self.root / "store"
