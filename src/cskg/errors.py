"""Errors that the command line turns into one line and an exit code.

Exit codes are one contract across cskg: 0 ok, 1 the data is invalid (or a
check found rows), 2 a usage or input error.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_INPUT = 2


class CskgError(Exception):
    """A problem the user can act on; shown as ``Error: <message>`` without a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(CskgError):
    """Unreadable or malformed input: a file, an option, a name, a query (exit 2)."""


class SyntaxProblem(InputError):
    """A file that does not parse; the message carries ``path:line:col``."""

    def __init__(self, path: str, line: int | None, column: int | None, what: str) -> None:
        where = path if line is None else f"{path}:{line}:{column or 1}"
        super().__init__(f"{where}: {what}")
        self.path = path
        self.line = line
        self.column = column
        self.what = what


class UnknownName(InputError):
    """A name that resolves to no entity; carries close suggestions."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = ("did you mean: " + "; ".join(suggestions)) if suggestions else None
        super().__init__(f"no entity is called {name!r}", hint)
        self.name = name
        self.suggestions = suggestions


class AmbiguousName(InputError):
    """A name that several entities share; carries the candidates."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(
            f"{name!r} names {len(candidates)} entities", "use one of: " + "; ".join(candidates)
        )
        self.candidates = candidates


class DataInvalid(CskgError):
    """The graph breaks a shape or a check (exit 1)."""

    exit_code = EXIT_INVALID
