"""Exceptions raised by parkreport.

The library never prints or exits; it raises one of these and the CLI turns
them into messages and exit codes.

    ParkreportError
     ├── ContentError          content did not validate; carries every Problem
     ├── BuildError            the site could not be built (templates, links, I/O)
     │    ├── BuildLockedError another build holds the output lock
     │    └── BuildStopped     the build was asked to stop (the dev server stopping) and gave up
     ├── IngestError           a raw source could not be turned into a source text
     ├── ScaffoldError         'parkreport new' cannot create what was asked (bad id, file exists)
     └── ExtractError          a draft cannot be written (it would replace a reviewed report)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located to a file, line and column.

    ``line`` and ``column`` are 1-based; 0 means "the whole file".
    """

    path: str
    line: int
    column: int
    field: str
    message: str

    def format(self) -> str:
        where = self.path
        if self.line:
            where = f"{where}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class ParkreportError(Exception):
    """Base class of every error parkreport raises on purpose."""


class ContentError(ParkreportError):
    """The content directory holds one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the content")


class BuildError(ParkreportError):
    """The site could not be built; the previous site was left in place."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        self.details = details or []
        super().__init__(message)


class BuildLockedError(BuildError):
    """Another build of the same output directory is running."""

    def __init__(self, lock_path: Path) -> None:
        super().__init__(
            f"another build is writing to this site (lock file {lock_path}); "
            "wait for it to finish, or delete the lock file if no build is running"
        )
        self.lock_path = lock_path


class BuildStopped(BuildError):
    """The build was asked to stop (``build_site``'s ``stop``) and gave up; the previous site was left in place."""

    def __init__(self, message: str = "the build was stopped") -> None:
        super().__init__(message)


class IngestError(ParkreportError):
    """A raw source document could not be read or cleaned."""


class ScaffoldError(ParkreportError):
    """A new site, park or report cannot be created as asked; nothing was overwritten."""


class ExtractError(ParkreportError):
    """A draft report cannot be extracted or written; nothing was overwritten."""
