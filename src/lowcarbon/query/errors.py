"""The errors of querying: QueryError and its kinds (unsafe, timed out), all exit code 2."""

from __future__ import annotations

from lowcarbon.errors import EXIT_ERROR, LowcarbonError

__all__ = [
    "QueryError",
    "QueryTimeoutError",
    "QueryTooLargeError",
    "UnsafeQueryError",
]


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
