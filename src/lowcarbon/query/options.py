"""The query command's options that the CLI names before any query runs: formats, time limit.

Kept apart from the runner, so that parsing the command line imports no query machinery.
"""

from __future__ import annotations

__all__ = ["DEFAULT_TIMEOUT", "GRAPH_FORMATS", "SELECT_FORMATS"]

#: Output formats of SELECT and ASK results (``table`` is aligned text, the rest W3C formats).
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Output formats of CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
#: Wall-clock limit of a query run through :func:`~lowcarbon.query.run_query`, in seconds.
DEFAULT_TIMEOUT = 30.0
