"""Taiwan City Low-Carbon Diplomacy Knowledge Graph: toolkit and open dataset."""

from __future__ import annotations

__version__ = "0.1.0"

from lowcarbon.errors import InputError, LowcarbonError, NotConformingError
from lowcarbon.source import Column, Document, Header, Record, SourceError, read_source

__all__ = [
    "Column",
    "Document",
    "Header",
    "InputError",
    "LowcarbonError",
    "NotConformingError",
    "Record",
    "SourceError",
    "__version__",
    "read_source",
]
