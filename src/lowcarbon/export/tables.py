"""CSV tables of the dataset: their rows, the linking review table, and the files to export."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lowcarbon.catalog import PROPERTIES, Catalog, Entity
from lowcarbon.export.csvw import (
    _SEP,
    CC_BY,
    ENTITY_TABLES,
    Column,
    Table,
    _csvw,
    _datapackage,
    source_specs,
    table_specs,
)
from lowcarbon.export.plain import json_bytes, to_csv
from lowcarbon.graph.mapping import DEFAULT_BASE, Minter
from lowcarbon.ingest.source import Document, Record
from lowcarbon.link import Linked, Statement
from lowcarbon.vocab import STATEMENT_KINDS

__all__ = [
    "CC_BY",
    "ENTITY_TABLES",
    "STATEMENT_COLUMNS",
    "Column",
    "Table",
    "statements_csv",
    "table_files",
    "table_specs",
    "to_csv",
]

#: Columns of the linking review table that ``lowcarbon link --format csv`` prints.
STATEMENT_COLUMNS = (
    "statement_id",
    "kind",
    "city",
    "target",
    "roles",
    "status",
    "date_start",
    "date_end",
    "date_precision",
    "date_approximate",
    "date_text",
    "at_event",
    "locations",
    "counterparts",
    "source_record",
    "source_line_start",
    "source_line_end",
    "source_text",
)

_KIND_CLASS = {k.segment: k.cls for k in STATEMENT_KINDS}


def _statement_cells(s: Statement, r: Record) -> dict[str, object]:
    d = s.date
    return {
        "statement_id": s.slug,
        "kind": s.kind.value,
        "city": s.city,
        "target": s.target,
        "roles": _SEP.join(s.roles),
        "status": s.status.value,
        "date_start": d.start.lexical if d else None,
        "date_end": d.end.lexical if d and d.end else None,
        "date_precision": d.start.precision.value if d else None,
        "date_approximate": ("true" if d.start.approximate else "false") if d else None,
        "date_text": d.verbatim if d else None,
        "at_event": s.at_event,
        "locations": _SEP.join(s.locations),
        "counterparts": _SEP.join(s.counterparts),
        "source_record": s.record,
        "source_line_start": r.line_start,
        "source_line_end": r.line_end,
        "source_text": r.text,
    }


def statements_csv(doc: Document, linked: Linked) -> str:
    """The linking review table: one row per statement, in record order; lists ``;``-joined."""
    records = {r.ref: r for r in doc.records}
    rows = []
    for s in linked.statements:
        cells = _statement_cells(s, records[s.record])
        rows.append([cells[c] for c in STATEMENT_COLUMNS])
    return to_csv(STATEMENT_COLUMNS, rows)


# --- the rows ------------------------------------------------------------------------------


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _joined(owner: str, column: Column, values: Sequence[str]) -> str:
    if column.separator is None and len(values) > 1:
        raise ValueError(
            f"{owner}: {column.name} has {len(values)} values {list(values)}; the tables hold one"
        )
    for v in values:
        if column.separator is not None and column.separator in v:
            raise ValueError(
                f"{owner}: {column.name} value {v!r} contains the list "
                f"separator {column.separator!r}"
            )
    return (column.separator or "").join(values)


class _Rows:
    """Cells of every table, as strings keyed by column name."""

    def __init__(self, doc: Document, catalog: Catalog, linked: Linked, base: str) -> None:
        self.doc, self.catalog, self.linked = doc, catalog, linked
        self.m = Minter(base)
        self.cities = {e.label_zh: e for e in catalog.by_kind("city")}
        self.records = {r.ref: r for r in doc.records}

    def item_iri(self, r: Record) -> str:
        return str(self.m.item(self.cities[r.city].id, r))

    def item_path(self, r: Record) -> str:
        return self.item_iri(r)[len(f"{self.m.base}id/item/") :]

    def source(self, citation: str) -> str:
        if citation.startswith("item:"):
            return self.item_iri(self.records[citation[len("item:") :]])
        return citation

    def entity(self, e: Entity, columns: Sequence[Column]) -> dict[str, object]:
        cells: dict[str, object] = {
            "id": e.id,
            "iri": str(self.m.entity(e)),
            "label_en": e.label_en,
            "label_zh": e.label_zh,
            "type": e.type,
            "sources": _SEP.join(sorted({self.source(f.source) for f in e.facts})),
        }
        for c in columns:
            if c.name == "aliases":
                cells[c.name] = _joined(e.id, c, e.aliases)
            elif c.name in PROPERTIES:
                cells[c.name] = _joined(e.id, c, _unique(f.value for f in e.facts_for(c.name)))
        return cells

    def statements(self) -> list[dict[str, object]]:
        rows = []
        for s in self.linked.statements:
            r = self.records[s.record]
            cells = _statement_cells(s, r)
            cells.update(
                iri=str(self.m.statement(s)),
                type=_KIND_CLASS[s.kind.value],
                target_kind=self.catalog.get(s.target).kind,
                source_item=self.item_path(r),
            )
            rows.append(cells)
        return sorted(rows, key=lambda c: str(c["statement_id"]))

    def items(self) -> list[dict[str, object]]:
        return [
            {
                "id": r.ref,
                "iri": self.item_iri(r),
                "item": self.item_path(r),
                "city": self.cities[r.city].id,
                "column": r.column.value,
                "part": r.part,
                "number": r.number,
                "subheading": r.subheading,
                "line_start": r.line_start,
                "line_end": r.line_end,
                "text": r.text,
            }
            for r in self.doc.records
        ]

    def table(self, t: Table) -> list[dict[str, object]]:
        if t.name == "statements":
            return self.statements()
        if t.name == "source_items":
            return self.items()
        return [self.entity(e, t.columns) for e in self.catalog.by_kind(ENTITY_TABLES[t.name])]


def table_files(
    doc: Document,
    catalog: Catalog,
    linked: Linked,
    *,
    base: str = DEFAULT_BASE,
    described: Sequence[tuple[Table, bytes]] = (),
) -> dict[str, bytes]:
    """Every CSV table, ``csv/csv-metadata.json`` (CSVW) and ``datapackage.json``.

    Keys are paths relative to ``exports/``. Entity and statement rows are sorted by id,
    source items are in document order; the bytes are the same on every run. ``described``:
    tables another producer writes (the network's), added to both descriptions, not returned.
    """
    m = Minter(base)
    tables = table_specs(base)
    rows = _Rows(doc, catalog, linked, base)
    cells = {t.name: rows.table(t) for t in source_specs(base)}
    files: dict[str, bytes] = {}
    for t in tables:
        names = [c.name for c in t.columns]
        if t.link_of is None:
            body = cells[t.name]
        else:  # a link table: the rows of its table that have a value
            owner, column = t.link_of
            body = [r for r in cells[owner] if r.get(column) not in (None, "")]
        text = to_csv(names, ([r.get(n) for n in names] for r in body))
        files[t.path] = text.encode("utf-8")
    every = (*tables, *(t for t, _ in described))
    data = {**files, **{t.path: b for t, b in described}}
    files["csv/csv-metadata.json"] = json_bytes(_csvw(every, m))
    files["datapackage.json"] = json_bytes(_datapackage(every, data, m))
    return files
