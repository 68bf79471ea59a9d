"""Errors users see: every one names a file, a line and what to do about it.

Content problems are collected (not raised one by one) so that an author
fixes every problem of a build in one pass; `ContentErrors` carries them all
to the CLI, which prints them and exits 1. Usage errors exit 2 (click's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line is 1-based (0 when the whole file is meant)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `path:line: message (hint)`."""

    location: Location
    message: str
    hint: str = ""
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location}: {kind}{self.message}{hint}"


# What to do about a templates folder's file that cannot be used (load/templates.py checks
# them before a build renders; render/template_errors.py reports what shows only then).
TEMPLATE_HINT = ("fix the template there, or leave out --templates and $HANDOUTS_TEMPLATES to "
                 "build with the templates that ship with handouts")


class HandoutsError(click.ClickException):
    """Base of every error the tool reports on purpose; exit code 1."""

    exit_code = 1


class ContentErrors(HandoutsError):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))  # parallel renders can report the same cause
        errors = [p for p in self.problems if not p.warning]
        super().__init__(
            "\n".join(str(p) for p in self.problems)
            + f"\n{len(errors)} problem(s) found; nothing was written."
        )

    def show(self, file=None) -> None:  # noqa: D102 - click's hook
        click.echo(self.format_message(), err=True, file=file)


class OutputError(HandoutsError):
    """The output folder cannot be written (read-only, full, locked)."""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should read it: relative to the working folder when inside it."""
    path = Path(path)
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
