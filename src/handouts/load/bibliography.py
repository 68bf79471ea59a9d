"""The topic's references as CSL-JSON (what Zotero and pandoc export), with line numbers.

JSON is read through the YAML composer, which is a superset of JSON for
these files, so every entry keeps the line it starts on for error messages.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Location, Problem
from ..model import Reference
from .files import load_yaml, read_text

DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
REQUIRED = {"title": "the article's title", "issued": 'the year, as {"date-parts": [[2019]]}',
            "container-title": "the journal's full name"}


def load_bibliography(path: Path, shown: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Entries by key, in file order; problems for anything a formatter would choke on."""
    if not path.is_file():
        return {}, [Problem(Location(shown), "the bibliography file does not exist",
                            "create it as CSL-JSON, or fix 'bibliography:' in topic.yaml")]
    text, problems = read_text(path, shown)
    if text is None:
        return {}, problems
    doc, problems = load_yaml(text, shown)
    if doc is None:
        return {}, [Problem(p.location, p.message.replace("YAML", "JSON"),
                            "check commas, brackets and quotes") for p in problems]
    if not isinstance(doc.data, list):
        return {}, problems + [Problem(Location(shown, 1), "the bibliography should be a JSON "
                                       "list of entries", "start the file with [ and end it with ]")]
    references: dict[str, Reference] = {}
    for index, entry in enumerate(doc.data):
        where = doc.location((index,))
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(Problem(where, "a bibliography entry without an \"id\"",
                                    "give each entry a citation key such as \"cha2016\""))
            continue
        key = entry["id"]
        if key in references:
            problems.append(Problem(where, f"duplicate bibliography id '{key}' (first at line "
                                    f"{references[key].location.line})", "give each entry its own id"))
            continue
        problems.extend(_entry_problems(entry, key, doc.location, index))
        references[key] = Reference(key, entry, where)
    return references, problems


def _entry_problems(entry: dict, key: str, locate, index: int) -> list[Problem]:
    problems = []
    for name, what in REQUIRED.items():
        if not entry.get(name):
            problems.append(Problem(locate((index,)), f"reference '{key}' has no \"{name}\"",
                                    f"add {what}"))
    doi = entry.get("DOI")
    if doi is not None and not (isinstance(doi, str) and DOI.fullmatch(doi)):
        problems.append(Problem(locate((index, "DOI")), f"reference '{key}' has a malformed "
                                f"DOI {doi!r}", "write it as 10.xxxx/suffix, without "
                                "https://doi.org/"))
    return problems
