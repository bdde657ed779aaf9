"""SHACL validation (pyshacl the reference) and its readable report."""

from __future__ import annotations

from lowcarbon.validate.loaded import NTriples
from lowcarbon.validate.shacl import (
    ONTOLOGY_PATH,
    SHAPES_PATH,
    Report,
    ShapesNotFoundError,
    ValidationInputError,
    ValidationRuntimeError,
    Violation,
    load_data,
    load_ontology,
    load_shapes,
    read_turtle,
    validate_files,
    validate_graph,
)

__all__ = [
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "NTriples",
    "Report",
    "ShapesNotFoundError",
    "ValidationInputError",
    "ValidationRuntimeError",
    "Violation",
    "load_data",
    "load_ontology",
    "load_shapes",
    "read_turtle",
    "validate_files",
    "validate_graph",
]
