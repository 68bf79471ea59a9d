"""The web edition's stylesheets, inlined into the page and checked to load nothing.

The PDF's own stylesheets (base.css and the audience's) come first, so the
printed web page looks like the PDF; web.css then adapts them to screens from
a 320 px phone up. A templates folder may come from outside: a stylesheet
that could close the <style> element or fetch a file or address is refused,
naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from ...errors import ContentErrors, Location, Problem, display_path

MAX_STYLESHEET_BYTES = 512 * 1024
# A url() that is not a data: URL, an @import, or the end of the <style> element.
LOADS_OR_ESCAPES = re.compile(r"url\(\s*(?![\"']?\s*data:)|@import|</", re.IGNORECASE)


def stylesheet_names(audience: str) -> list[str]:
    return ["css/base.css", f"css/{audience}.css", "css/organisation.css", "css/web.css"]


def inline_styles(templates: Path, audience: str) -> Markup:
    """The stylesheets' text, checked, as one block for the page's <style> element."""
    parts, problems = [], []
    for name in stylesheet_names(audience):
        path = templates / name
        text = _read(path, problems)
        for number, line in enumerate(text.splitlines(), start=1):
            found = LOADS_OR_ESCAPES.search(line)
            if found:
                problems.append(Problem(
                    Location(display_path(path), number),
                    f"the web edition's stylesheet uses '{found.group(0).strip()}'",
                    "a web edition loads nothing from files or the network and keeps its "
                    "styles inside one <style> element: remove it (fonts are inlined by "
                    "handouts)"))
        parts.append(f"/* {name} */\n{text}")
    if problems:
        raise ContentErrors(problems)
    return Markup("\n".join(parts))


def _read(path: Path, problems: list[Problem]) -> str:
    where = Location(display_path(path))
    try:
        if not path.is_file() or path.stat().st_size > MAX_STYLESHEET_BYTES:
            problems.append(Problem(where, "the stylesheet is missing, not a regular file, or "
                                           f"over {MAX_STYLESHEET_BYTES // 1024} KB",
                                    "restore it from the templates that ship with handouts"))
            return ""
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(where, f"the stylesheet cannot be read as UTF-8 text ({exc})",
                                "save it as UTF-8"))
        return ""
