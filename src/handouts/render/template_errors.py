"""A broken Jinja template is a message naming its file and line, never a traceback.

An organisation's templates folder (`--templates`, `$HANDOUTS_TEMPLATES`) is
input like any other: a tag left open, a misspelt variable or a missing
include must stop the build with the template's own file and line and what
to do, and leave the output folder as it was.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import jinja2

from ..errors import TEMPLATE_HINT, ContentErrors, Location, Problem, display_path


@contextlib.contextmanager
def reported(templates: Path, name: str) -> Iterator[None]:
    """Turn a Jinja error raised while loading or filling template `name` into ContentErrors."""
    try:
        yield
    except jinja2.TemplateError as error:
        raise ContentErrors([template_problem(error, templates, name)]) from None
    except RecursionError:  # a macro that calls itself without end
        path, line = _where_in(traceback.extract_tb(sys.exc_info()[2]), templates / name)
        raise ContentErrors([Problem(Location(display_path(path), line), "a macro of the "
                                     "template calls itself without end", TEMPLATE_HINT)]) from None


def template_problem(error: jinja2.TemplateError, templates: Path, name: str) -> Problem:
    path, line = _where(error, templates / name)
    return Problem(Location(display_path(path), line), _message(error), TEMPLATE_HINT)


def _message(error: jinja2.TemplateError) -> str:
    if isinstance(error, jinja2.TemplateNotFound):
        return f"the template uses {error.name}, which is not in the templates folder"
    text = str(error.message or type(error).__name__).splitlines()[0]
    return f"the template cannot be used: {text}"


def _where(error: jinja2.TemplateError, fallback: Path) -> tuple[Path, int]:
    """The template file and line at fault: the syntax error's own, else the traceback's."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.lineno:
        return Path(error.filename) if error.filename else fallback, error.lineno
    return _where_in(traceback.extract_tb(error.__traceback__), fallback)


def _where_in(frames: traceback.StackSummary, fallback: Path) -> tuple[Path, int]:
    """The deepest template frame (Jinja maps its frames to template lines), else the template."""
    found = [frame for frame in frames if frame.filename.endswith(".j2")]
    if found:
        return Path(found[-1].filename), found[-1].lineno or 0
    return fallback, 0
