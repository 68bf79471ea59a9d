"""A topic folder -> one validated Document, or every problem found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentErrors, Location, Problem, display_path
from ..model import Document
from .bibliography import load_bibliography
from .consistency import check_document, citation_problems
from .files import read_text
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
    markdown = _read_markdown(folder, shown, content_file, required=topic is not None)
    bibliography = _read_bibliography(folder, shown, bibliography_file,
                                      required=topic is not None)
    problems += markdown.problems + bibliography.problems
    if not (markdown.readable and bibliography.readable):
        # Cross-checks on a file we could not read would only repeat its problem.
        raise ContentErrors(problems)
    sections, references = markdown.data, bibliography.data
    if topic is None:
        # Still check the Markdown, so one run reports every problem of the topic.
        units = (unit for s in sections for item in s.content for unit in item.units)
        raise ContentErrors(problems + citation_problems(units, references, bibliography_file))
    document = Document(topic, tuple(sections), references)
    problems += check_document(document)
    if any(not p.warning for p in problems):
        raise ContentErrors(problems)
    return LoadedTopic(document, problems)


def _file_name(declared: object, default: str) -> str:
    return declared if isinstance(declared, str) and declared.strip() else default


def _read_markdown(folder: Path, shown: str, name: str, required: bool) -> _Read:
    path = folder / name
    if not path.is_file() and not required:
        return _Read([], [])
    text, problems = read_text(path, f"{shown}/{name}")
    if text is None:
        return _Read([], problems, readable=False)
    sections, more = read_content(text, f"{shown}/{name}", folder)
    return _Read(sections, problems + more)


def _read_bibliography(folder: Path, shown: str, name: str, required: bool) -> _Read:
    if not required and not (folder / name).is_file():
        return _Read({}, [])
    references, problems = load_bibliography(folder / name, f"{shown}/{name}")
    return _Read(references, problems, readable=bool(references) or not problems)

