"""A topic folder -> one validated Document, or every problem found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentErrors, Location, Problem, display_path
from ..model import Document
from ..model.document import section_units
from .bibliography import load_bibliography
from .consistency import check_document, citation_problems, link_problems
from .files import Refused, YamlDocument, confine, read_text
from .sections import read_content
from .topic_yaml import load_topic


@dataclass(frozen=True)
class LoadedTopic:
    """A topic that loaded: its Document, and the warnings found on the way."""

    document: Document
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Read:
    """What one source file gave: its data, its problems, and whether it could be read."""

    data: object
    problems: list[Problem]
    readable: bool = True


def load_document(folder: Path) -> LoadedTopic:
    """Load and check a topic; raise ContentErrors unless only warnings were found."""
    shown = display_path(folder)
    if not folder.is_dir():
        raise ContentErrors([Problem(Location(shown), "not a topic folder",
                                     "give the path of a folder under content/")])
    topic, yaml_doc, problems = load_topic(folder, shown)
    settings = yaml_doc.data if yaml_doc and isinstance(yaml_doc.data, dict) else {}
    content_file = _file_name(settings.get("content"), f"{folder.name}.md")
    bibliography_file = _file_name(settings.get("bibliography"), "references.json")
    markdown = _read_markdown(folder, shown, content_file, required=topic is not None,
                              declared=_declared(yaml_doc, settings, ("content",)))
    bibliography = _read_bibliography(folder, shown, bibliography_file,
                                      required=topic is not None,
                                      declared=_declared(yaml_doc, settings, ("bibliography",)))
    problems += markdown.problems + bibliography.problems + _template_problems(
        folder, yaml_doc, settings)
    if not (markdown.readable and bibliography.readable):
        # Cross-checks on a file we could not read would only repeat its problem.
        raise ContentErrors(problems)
    sections, references = markdown.data, bibliography.data
    if topic is None:
        # Still check the Markdown, so one run reports every problem of the topic.
        units = [unit for s in sections for unit in section_units([s])]
        raise ContentErrors(problems + citation_problems(units, references, bibliography_file)
                            + link_problems(units))
    document = Document(topic, tuple(sections), references)
    problems += check_document(document)
    if any(not p.warning for p in problems):
        raise ContentErrors(problems)
    return LoadedTopic(document, problems)


def _file_name(declared: object, default: str) -> str:
    return declared if isinstance(declared, str) and declared.strip() else default


def _declared(doc: YamlDocument | None, settings: dict, path: tuple) -> Location | None:
    """Where topic.yaml names a file, when it does (None: the default name is used)."""
    value: object = settings
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return doc.location(path) if doc and isinstance(value, str) and value.strip() else None


def _confined(folder: Path, shown: str, name: str, what: str,
              declared: Location | None) -> tuple[Path | None, list[Problem]]:
    """The named file's real path if it may be read; (None, []) if it does not exist."""
    try:
        return confine(folder, name), []
    except Refused as refused:
        if refused.missing:
            return None, []
        if declared:
            return None, [Problem(declared, f"the {what} '{name}' {refused.message}",
                                  refused.hint)]
        return None, [Problem(Location(f"{shown}/{name}"), f"the file {refused.message}",
                              refused.hint)]


def _read_markdown(folder: Path, shown: str, name: str, required: bool,
                   declared: Location | None = None) -> _Read:
    path, problems = _confined(folder, shown, name, "Markdown file", declared)
    if problems:
        return _Read([], problems, readable=False)
    if path is None and not required:
        return _Read([], [])
    text, problems = read_text(path or folder / name, f"{shown}/{name}")
    if text is None:
        return _Read([], problems, readable=False)
    sections, more = read_content(text, f"{shown}/{name}", folder)
    return _Read(sections, problems + more)


def _read_bibliography(folder: Path, shown: str, name: str, required: bool,
                       declared: Location | None = None) -> _Read:
    path, problems = _confined(folder, shown, name, "bibliography", declared)
    if problems:
        return _Read({}, problems, readable=False)
    if path is None and not required:
        return _Read({}, [])
    references, problems = load_bibliography(path or folder / name, f"{shown}/{name}")
    return _Read(references, problems, readable=bool(references) or not problems)


def _template_problems(folder: Path, doc: YamlDocument | None, settings: dict) -> list[Problem]:
    """training.template: read only when the deck is rendered, but checked now, with the
    other files the topic names."""
    training = settings.get("training")
    name = training.get("template") if isinstance(training, dict) else None
    declared = _declared(doc, settings, ("training", "template"))
    if not isinstance(name, str) or declared is None:
        return []
    path, problems = _confined(folder, "", name.strip(), "slide template", declared)
    if path is None and not problems:
        problems = [Problem(declared, f"the slide template '{name.strip()}' does not exist",
                            "check the file name, or add the .pptx or .potx to the topic "
                            "folder")]
    return problems
