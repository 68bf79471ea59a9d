"""A broken Jinja template is a message naming its file and line, never a traceback.

An organisation's templates folder (`--templates`, `$HANDOUTS_TEMPLATES`) is
input like any other: a tag left open, a misspelt variable or a missing
include must stop the build with the template's own file and line and what
to do, and leave the output folder as it was.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator
from pathlib import Path

import jinja2

from ..errors import TEMPLATE_HINT, ContentErrors, Location, Problem, display_path


@contextlib.contextmanager
def reported(templates: Path, name: str) -> Iterator[None]:
    """Turn an error raised while loading or filling template `name` into ContentErrors."""
    try:
        yield
    except (jinja2.TemplateError, RecursionError) as error:  # recursion: a macro without end
        path, line = _where(error, templates / name)
        raise ContentErrors([Problem(Location(display_path(path), line), _message(error),
                                     TEMPLATE_HINT)]) from None


def _message(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "a macro of the template calls itself without end"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"the template uses {error.name}, which is not in the templates folder"
    text = str(error.message or type(error).__name__).splitlines()[0]
    return f"the template cannot be used: {text}"


def _where(error: Exception, fallback: Path) -> tuple[Path, int]:
    """The template file and line at fault: the syntax error's own, else the deepest template
    frame of the traceback (Jinja maps its frames to template lines), else the template."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.lineno:
        return Path(error.filename) if error.filename else fallback, error.lineno
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if frame.filename.endswith(".j2")]
    if frames:
        return Path(frames[-1].filename), frames[-1].lineno or 0
    return fallback, 0
