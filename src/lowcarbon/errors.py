"""Exception classes of every stage, and the one place that maps them to exit codes.

Each input has its error class here (SourceError, CatalogError, LinkError, ...), all naming
the file and line of the problem; the command line reports any LowcarbonError without a
traceback and exits with its ``exit_code``: 0 ok, 1 stale or not conforming, 2 bad input.
"""

from __future__ import annotations

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_STALE",
    "CatalogError",
    "InputError",
    "LinkError",
    "LoadError",
    "LowcarbonError",
    "NotConformingError",
    "QueryBusyError",
    "QueryError",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "RemoteError",
    "RemoteTimeoutError",
    "ResultTooLargeError",
    "ShapesNotFoundError",
    "SourceError",
    "StaleError",
    "StoreError",
    "UnresolvedMentionsError",
    "UnsafeQueryError",
    "ValidationInputError",
    "ValidationRuntimeError",
    "exit_code_for",
]

EXIT_OK = 0
EXIT_STALE = 1  # also "does not conform", like pyshacl
EXIT_ERROR = 2


class LowcarbonError(Exception):
    """Base class of the errors the command line reports without a traceback."""

    exit_code = EXIT_ERROR


class InputError(LowcarbonError, ValueError):
    """Bad input: a file that is missing, unreadable or not of the expected shape."""

    exit_code = EXIT_ERROR

    def __init__(
        self, path: str, line: int | None, message: str, *, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        where = f"{path}:{line}" if line is not None else path
        if line is not None and column is not None:
            where += f":{column}"
        super().__init__(f"{where}: {message}")


class NotConformingError(LowcarbonError):
    """The graph does not conform to the shapes (exit 1, nothing written)."""

    exit_code = EXIT_STALE


# -- ingest: the source document ------------------------------------------------------------------


class SourceError(InputError):
    """The source document does not have the expected shape; names the file and line."""


# -- catalog: the entity files --------------------------------------------------------------------


class CatalogError(InputError):
    """A catalog file is not as docs/catalog.md says; names the file, the line and the fix.

    Every error inside a file has its line; only errors about the folder itself (missing,
    an unexpected file in it) have none.
    """


# -- link: data/links.yaml ------------------------------------------------------------------------


class LinkError(InputError):
    """A links file that cannot be read or points at an unknown record or entity."""


# -- validate: data, ontology and shapes files ----------------------------------------------------


class ValidationInputError(InputError):
    """A data file that cannot be read or parsed (exit 2); names the file and line."""


class ValidationRuntimeError(LowcarbonError):
    """The validator itself failed, e.g. on broken shapes (exit 2)."""


class ShapesNotFoundError(LowcarbonError, FileNotFoundError):
    """``ontology/shapes.ttl`` or ``ontology/lowcarbon.ttl`` is not where it should be (exit 2)."""


# -- query: SPARQL text ---------------------------------------------------------------------------


class QueryError(LowcarbonError):
    """A query that cannot run: bad syntax, unknown name or parameter, engine error (exit 2)."""

    exit_code = EXIT_ERROR

    def __init__(
        self,
        message: str,
        *,
        origin: str = "<query>",
        line: int | None = None,
        column: int | None = None,
        text: str | None = None,
    ) -> None:
        self.message = message
        self.origin = origin
        self.line = line
        self.column = column
        where = origin
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        detail = ""
        if text is not None and line is not None and 0 < line <= len(text.splitlines()):
            src = text.splitlines()[line - 1]
            detail = f"\n  {src}"
            if column is not None:
                detail += "\n  " + " " * max(column - 1, 0) + "^"
        super().__init__(f"{where}: {message}{detail}")


class UnsafeQueryError(QueryError):
    """A query refused before it runs: SERVICE (federation) or an update such as LOAD."""


class QueryTimeoutError(QueryError):
    """A query stopped because it ran past its wall-clock limit."""


class QueryTooLargeError(QueryError):
    """A query longer than the check accepts (HTTP 413)."""


class ResultTooLargeError(QueryError):
    """A query whose result is larger than the endpoint sends; a LIMIT makes it smaller."""


class QueryBusyError(QueryError):
    """Every query process stayed busy for as long as a request may wait (HTTP 503)."""


# -- query: remote servers ------------------------------------------------------------------------


class RemoteError(LowcarbonError):
    """A remote server cannot be reached, refuses, or sends an answer we do not accept."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RemoteTimeoutError(RemoteError):
    """The answer did not arrive, complete, within the time allowed."""


# -- query: stores --------------------------------------------------------------------------------


class StoreError(LowcarbonError):
    """The embedded store cannot be built or opened, or a URL is not http(s) (exit 2)."""

    exit_code = EXIT_ERROR


class LoadError(LowcarbonError):
    """A request to a remote store failed (exit 2); rerunning the load repairs a partial one."""

    exit_code = EXIT_ERROR


# -- build ----------------------------------------------------------------------------------------


class StaleError(LowcarbonError):
    """Committed generated files differ from a fresh build (exit 1)."""

    exit_code = 1


class UnresolvedMentionsError(LowcarbonError):
    """A record mentions a name that matches no entity and has no reasoned exclusion (exit 1)."""

    exit_code = 1


def exit_code_for(exc: LowcarbonError) -> int:
    """The process exit code for an error."""
    return exc.exit_code
