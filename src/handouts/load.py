"""A topic folder -> one validated Document, or every problem found in it."""

from __future__ import annotations

from pathlib import Path

from .bibliography import load_bibliography
from .content import read_content
from .errors import ContentErrors, Location, Problem, display_path
from .model import Document
from .sourcefiles import read_text
from .topicfile import load_topic
from .validate import check_document


def load_document(folder: Path) -> tuple[Document, list[Problem]]:
    """Load and check a topic; raise ContentErrors unless only warnings were found."""
    shown = display_path(folder)
    if not folder.is_dir():
        raise ContentErrors([Problem(Location(shown), "not a topic folder",
                                     "give the path of a folder under content/")])
    topic, _, problems = load_topic(folder, shown)
    if topic is None:
        raise ContentErrors(problems)
    markdown_shown = f"{shown}/{topic.content_file}"
    text, read_problems = read_text(folder / topic.content_file, markdown_shown)
    problems += read_problems
    sections = []
    if text is not None:
        sections, content_problems = read_content(text, markdown_shown, folder)
        problems += content_problems
    references, bib_problems = load_bibliography(folder / topic.bibliography_file,
                                                 f"{shown}/{topic.bibliography_file}")
    problems += bib_problems
    document = Document(topic, tuple(sections), references)
    problems += check_document(document)
    if any(not p.warning for p in problems):
        raise ContentErrors(problems)
    return document, problems

