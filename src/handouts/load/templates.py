"""A templates folder checked as the input it is, before anything renders.

An organisation's templates (`--templates`, `$HANDOUTS_TEMPLATES`) come from
outside like a topic. Every file the formats being built read must be a UTF-8
text file of bounded size inside the folder; a Jinja template must parse, and
what it extends, imports or includes must be in the folder and parse too; the
deck's strings must map names to text. Each problem names the file and line.
A name a template uses that no page defines shows only when a page is filled
(render/template_errors.py reports it then).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..errors import TEMPLATE_HINT, Location, Problem, display_path
from .files import load_yaml, read_text

MAX_TEMPLATE_BYTES = 512 * 1024  # the largest shipped template file is 8 KB


def check_templates(templates: Path, names: Iterable[str]) -> list[Problem]:
    """The problems of the named template files and of the templates they use."""
    if not templates.is_dir():
        return [Problem(Location(display_path(templates)), "the templates folder does not "
                        "exist, or is not a folder", "give the folder that holds your "
                        "templates, or leave out --templates and $HANDOUTS_TEMPLATES to use "
                        "the templates that ship with handouts")]
    names = tuple(sorted(set(names)))
    versions = tuple(_version(templates / name) for name in names)
    return list(_checked(templates.resolve(), names, versions))


def _version(path: Path) -> tuple:
    try:
        status = path.stat()
    except OSError:
        return ()
    return status.st_size, status.st_mtime_ns


@lru_cache(maxsize=8)  # one check per folder and file versions, however many topics
def _checked(templates: Path, names: tuple[str, ...], versions: tuple) -> tuple[Problem, ...]:
    import jinja2
    from jinja2 import meta

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    problems: list[Problem] = []
    pending = [(name, None) for name in names]  # (file, the place that names it)
    seen = set(names)
    uses: dict[str, list[tuple[str, Location]]] = {}  # template -> what it uses, and where
    while pending:
        name, named_at = pending.pop(0)
        path = templates / name
        shown = f"{display_path(path.parent)}/{path.name}"  # where it is, not where it leads
        if not path.is_file() and not path.is_symlink():
            problems.append(Problem(named_at, f"the template uses {name}, which is not in the "
                                    "templates folder", TEMPLATE_HINT) if named_at else
                            Problem(Location(shown), "the templates folder has no such file",
                                    "copy it from the templates that ship with handouts, or "
                                    "leave out --templates and $HANDOUTS_TEMPLATES to use "
                                    "them"))
            continue
        if templates not in path.resolve().parents:
            problems.append(Problem(Location(shown), "the template file is outside the "
                                    "templates folder (a link, or '..' in its name)",
                                    TEMPLATE_HINT))
            continue
        text, found = read_text(path, shown, MAX_TEMPLATE_BYTES, "a template file",
                                TEMPLATE_HINT)
        problems += found
        if text is None:
            continue
        if name.endswith(".j2"):
            try:
                used = meta.find_referenced_templates(env.parse(text, name, str(path)))
            except jinja2.TemplateSyntaxError as error:
                problems.append(Problem(Location(shown, error.lineno or 0),
                                        f"the template cannot be used: {error.message}",
                                        TEMPLATE_HINT))
                continue
            uses[name] = [(other, Location(shown, _line_naming(text, other)))
                          for other in used if other]
            for other, where in uses[name]:
                if other not in seen:
                    seen.add(other)
                    pending.append((other, where))
        elif name.endswith((".yaml", ".yml")):
            problems += _strings_problems(text, shown)
    return tuple(problems + _cycles(uses))


def _cycles(uses: dict[str, list[tuple[str, Location]]]) -> list[Problem]:
    """A template that uses itself, directly or through others, never ends when it is filled."""
    problems, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        for other, where in uses.get(name, []):
            if other in path:
                problems.append(Problem(where, f"the template uses {other}, which leads back "
                                        f"to {name}: a template cannot use itself",
                                        TEMPLATE_HINT))
            elif other not in done:
                visit(other, path + [other])
        done.add(name)

    for name in sorted(uses):
        if name not in done:
            visit(name, [name])
    return problems


def _line_naming(text: str, name: str) -> int:
    """The line of the first quoted mention of `name` (0 when it is built at run time)."""
    for quote in "\"'":
        at = text.find(f"{quote}{name}{quote}")
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 0


def _strings_problems(text: str, shown: str) -> list[Problem]:
    """A strings file (the deck's words) maps names to text."""
    doc, problems = load_yaml(text, shown)
    if doc is None or problems:
        return problems
    if not isinstance(doc.data, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in doc.data.items()):
        return [Problem(Location(shown, 1), "the file must map each name to its text "
                        "(name: text, one a line)", TEMPLATE_HINT)]
    return []
