"""CSV tables of the dataset for people who do not use RDF."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from lowcarbon.link import Linked
from lowcarbon.source import Document

__all__ = ["STATEMENT_COLUMNS", "statements_csv", "to_csv"]

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


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with a header row and LF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def statements_csv(doc: Document, linked: Linked) -> str:
    """One row per statement, in record order; list cells are ``;``-separated ids."""
    records = {r.ref: r for r in doc.records}
    rows = []
    for s in linked.statements:
        r = records[s.record]
        d = s.date
        rows.append(
            (
                s.slug,
                s.kind.value,
                s.city,
                s.target,
                ";".join(s.roles),
                s.status.value,
                d.start.lexical if d else None,
                d.end.lexical if d and d.end else None,
                d.start.precision.value if d else None,
                ("true" if d.start.approximate else "false") if d else None,
                d.verbatim if d else None,
                s.at_event,
                ";".join(s.locations),
                ";".join(s.counterparts),
                s.record,
                r.line_start,
                r.line_end,
                r.text,
            )
        )
    return to_csv(STATEMENT_COLUMNS, rows)
