"""Reading a source document into cells and items with line numbers; ROC dates."""

from __future__ import annotations

from lowcarbon.ingest.dates import (
    Date,
    DateError,
    DateMatch,
    DateRange,
    Precision,
    expand_cop_range,
    find_dates,
    parse_chinese_numeral,
    parse_date,
    roc_to_gregorian,
)
from lowcarbon.ingest.source import (
    COLUMN_HEADINGS,
    MAX_SOURCE_BYTES,
    RECORD_COLUMNS,
    Column,
    Document,
    Gloss,
    Header,
    Record,
    SourceError,
    SubHeading,
    parse_source,
    read_source,
    records_csv,
)

__all__ = [
    "COLUMN_HEADINGS",
    "MAX_SOURCE_BYTES",
    "RECORD_COLUMNS",
    "Column",
    "Date",
    "DateError",
    "DateMatch",
    "DateRange",
    "Document",
    "Gloss",
    "Header",
    "Precision",
    "Record",
    "SourceError",
    "SubHeading",
    "expand_cop_range",
    "find_dates",
    "parse_chinese_numeral",
    "parse_date",
    "parse_source",
    "read_source",
    "records_csv",
    "roc_to_gregorian",
]
