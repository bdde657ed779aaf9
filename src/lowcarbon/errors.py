"""Exception classes and the one place that maps them to exit codes."""

from __future__ import annotations

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_STALE",
    "InputError",
    "LowcarbonError",
    "NotConformingError",
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


def exit_code_for(exc: LowcarbonError) -> int:
    """The process exit code for an error."""
    return exc.exit_code
