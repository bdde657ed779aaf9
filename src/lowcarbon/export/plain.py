"""The parts of the exports that need no RDF library: table specs, CSV and JSON text.

The network worker (a second process) writes its tables and JSON with these, without
importing rdflib or the rest of the export package (0.15 s of its start).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Column", "Table", "json_bytes", "to_csv"]


def json_bytes(obj: Any) -> bytes:
    """JSON with sorted keys, two-space indent, UTF-8 characters as they are, a final newline."""
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with a header row and LF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


@dataclass(frozen=True)
class Column:
    """One column: its titles, type and the RDF it stands for (``prop`` None: no RDF output)."""

    name: str
    en: str
    zh: str
    about: str
    datatype: str = "string"  # a CSVW base datatype: string, integer, decimal, boolean, anyURI
    pattern: str | None = None
    required: bool = False
    separator: str | None = None
    prop: str | None = None
    value_url: str | None = None
    lang: str | None = None
    null: tuple[str, ...] = ()
    references: str | None = None  # the table whose key this column holds
    key: str = "id"  # that key: the first column of ``references``


@dataclass(frozen=True)
class Table:
    """One CSV file: its columns, the IRI template of its rows and its constant types."""

    name: str
    en: str
    zh: str
    about: str
    about_url: str
    columns: tuple[Column, ...]
    virtual: tuple[tuple[str, str], ...] = ()  # (property, value) added to every row
    #: (table, column) whose non-empty cells this link table holds, keyed by that table's key.
    link_of: tuple[str, str] | None = None
    folder: str = "csv"  # the folder under exports/ (network tables live in network/)
    suppress: bool = False  # described, but no RDF from it (derived tables: the network's)

    @property
    def path(self) -> str:
        """Path relative to ``exports/``."""
        return f"{self.folder}/{self.name}.csv"

    @property
    def url(self) -> str:
        """Path relative to ``csv/csv-metadata.json``."""
        return f"{self.name}.csv" if self.folder == "csv" else f"../{self.path}"
