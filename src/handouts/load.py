"""A topic folder -> one validated Document, or every problem found in it."""

from __future__ import annotations

from pathlib import Path

from .bibliography import load_bibliography
from .content import read_content
from .errors import ContentErrors, Location, Problem, display_path
from .model import Document, Section
from .sourcefiles import read_text
from .topicfile import load_topic
from .validate import check_document, citation_problems


def load_document(folder: Path) -> tuple[Document, list[Problem]]:
    """Load and check a topic; raise ContentErrors unless only warnings were found."""
    shown = display_path(folder)
    if not folder.is_dir():
        raise ContentErrors([Problem(Location(shown), "not a topic folder",
                                     "give the path of a folder under content/")])
    topic, yaml_doc, problems = load_topic(folder, shown)
    settings = yaml_doc.data if yaml_doc and isinstance(yaml_doc.data, dict) else {}
    content_file = _file_name(settings.get("content"), f"{folder.name}.md")
    bibliography_file = _file_name(settings.get("bibliography"), "references.json")
    sections, more = _read_markdown(folder, shown, content_file, required=topic is not None)
    problems += more
    markdown_read = not any(p.location.path.endswith(content_file) and p.location.line <= 1
                            and ("UTF-8" in p.message or "limit" in p.message
                                 or "cannot read" in p.message) for p in more)
    references: dict = {}
    bibliography_read = True
    if topic is not None or (folder / bibliography_file).is_file():
        references, more = load_bibliography(folder / bibliography_file,
                                             f"{shown}/{bibliography_file}")
        problems += more
        bibliography_read = bool(references) or not more
    if not (markdown_read and bibliography_read):
        # Cross-checks on a file we could not read would only repeat its problem.
        raise ContentErrors(problems)
    if topic is None:
        # Still check the Markdown, so one run reports every problem of the topic.
        units = (unit for s in sections for item in s.content for unit in item.units)
        raise ContentErrors(problems + citation_problems(units, references, bibliography_file))
    document = Document(topic, tuple(sections), references)
    problems += check_document(document)
    if any(not p.warning for p in problems):
        raise ContentErrors(problems)
    return document, problems


def _file_name(declared: object, default: str) -> str:
    return declared if isinstance(declared, str) and declared.strip() else default


def _read_markdown(folder: Path, shown: str, name: str,
                   required: bool) -> tuple[list[Section], list[Problem]]:
    path = folder / name
    if not path.is_file() and not required:
        return [], []
    text, problems = read_text(path, f"{shown}/{name}")
    if text is None:
        return [], problems
    sections, more = read_content(text, f"{shown}/{name}", folder)
    return sections, problems + more
