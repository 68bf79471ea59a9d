"""The topic's references as CSL-JSON (what Zotero and pandoc export), with line numbers.

The file must be JSON (read by the standard library's parser); it is also read
through the YAML composer, a superset of JSON for these files, only to know the
line each entry and field starts on for error messages.

Every field the CSL processor (citeproc-py) reads is checked for its type here,
so that a wrong one is a `references.json:line` message instead of a traceback
when the outputs are rendered, or a volume printed as `{'a': 1}`: names are
lists of {family, given, ...} or {literal}; dates are {"date-parts": [[y, m, d]]}
or {"literal": ...}; every other variable is text or a number. Fields the
processor does not know are ignored by it; they are left out, with a warning.

Each kind of reference needs what the AMA style prints for it (`KINDS`): a
journal article its journal and year, a book or report its publisher, a
chapter its book and publisher, a web page its address and the day it was
read. A DOI is optional everywhere; a web address must be http(s), and one
printed instead of a DOI needs the date it was accessed. CSL has no guideline
type: a guideline is a "report" (or an "article-journal" when a journal
published it).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import Location, Problem
from ..model import Reference
from .files import BIBLIOGRAPHY_BYTES, YamlDocument, load_yaml, read_text

DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
YEAR = 'the year, as {"date-parts": [[2019]]}'
ACCESSED = 'the day you last opened it, as "accessed": {"date-parts": [[2025, 3, 14]]}'

# The kinds of reference handouts formats (CSL types), each with what AMA prints for it.
KINDS: dict[str, dict[str, str]] = {
    "article-journal": {"title": "the article's title", "issued": YEAR,
                        "container-title": "the journal's full name"},
    "book": {"title": "the book's title",
             "publisher": 'the publisher, as "publisher": "F.A. Davis"'},
    "chapter": {"title": "the chapter's title", "container-title": "the book's title",
                "publisher": "the book's publisher"},
    "report": {"title": "the report's title",
               "publisher": "the organisation that published it"},
    "webpage": {"title": "the page's title",
                "URL": 'the page\'s address, as "URL": "https://..."', "accessed": ACCESSED},
}
GUIDELINE = ('a guideline is a "report" (its "publisher" the body that issued it), or an '
             '"article-journal" when a journal published it')

# CSL-JSON variables as citeproc-py reads them (citeproc.NAMES, DATES, NUMBERS, VARIABLES).
NAMES = {"author", "collection-editor", "composer", "container-author", "editor",
         "editorial-director", "illustrator", "interviewer", "original-author", "recipient",
         "translator"}
DATES = {"accessed", "container", "event-date", "issued", "original-date", "submitted"}
TEXT = {"abstract", "annote", "archive", "archive_location", "archive-place", "authority",
        "call-number", "citation-label", "citation-number", "collection-title",
        "container-title", "container-title-short", "dimensions", "DOI", "event",
        "event-place", "first-reference-note-number", "genre", "ISBN", "ISSN", "jurisdiction",
        "keyword", "language", "locator", "medium", "note", "original-publisher",
        "original-publisher-place", "original-title", "page", "page-first", "PMCID", "PMID",
        "publisher", "publisher-place", "references", "section", "source", "status", "title",
        "title-short", "shortTitle", "URL", "version", "year-suffix", "chapter-number",
        "collection-number", "edition", "issue", "number", "number-of-pages",
        "number-of-volumes", "volume"}
TEXT_ONLY = {"language", "URL"}  # read as it is, not printed through str()
OTHER = {"id", "type"}
NAME_PARTS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix",
              "literal"}
LARGEST_NUMBER = 10 ** 15  # a volume or page number; Python refuses to print huge ints


def load_bibliography(path: Path, shown: str) -> tuple[dict[str, Reference], list[Problem]]:
    """Entries by key, in file order; problems for anything a formatter would choke on."""
    if not path.is_file():
        return {}, [Problem(Location(shown), "the bibliography file does not exist",
                            "create it as CSL-JSON, or fix 'bibliography:' in topic.yaml")]
    text, problems = read_text(path, shown, BIBLIOGRAPHY_BYTES, "a bibliography",
                               "keep only the references the topic cites")
    if text is None:
        return {}, problems
    data, problems = _parse(text, shown)
    if data is None:
        return {}, problems
    doc, data = data
    if not isinstance(data, list):
        return {}, problems + [Problem(Location(shown, 1), "the bibliography should be a JSON "
                                       "list of entries", "start the file with [ and end it with ]")]
    references: dict[str, Reference] = {}
    folded: dict[str, str] = {}  # the processor matches keys ignoring case
    for index, entry in enumerate(data):
        where = doc.location((index,))
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) \
                or not entry["id"].strip():
            problems.append(Problem(where, "a bibliography entry without an \"id\"",
                                    "give each entry a citation key such as \"cha2016\""))
            continue
        key = entry["id"]
        if key.lower() in folded:
            first = references[folded[key.lower()]].location.line
            same = "" if folded[key.lower()] == key else f" ('{folded[key.lower()]}': ids " \
                "differing only in capitals are the same to the reference formatter)"
            problems.append(Problem(where, f"duplicate bibliography id '{key}' (first at line "
                                    f"{first}){same}", "give each entry its own id"))
            continue
        found = _entry_problems(entry, key, doc.location, index)
        problems.extend(found)
        folded[key.lower()] = key
        known = {name: value for name, value in entry.items() if name in _KNOWN}
        references[key] = Reference(key, known, where)
    return references, problems


def _parse(text: str, shown: str) -> tuple[tuple[YamlDocument, Any] | None, list[Problem]]:
    """(line-numbered document, the JSON data) or the syntax problem."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
        failure = None
    except (ValueError, RecursionError) as exc:
        data, failure = None, exc
    doc, problems = load_yaml(text, shown)
    if failure is not None:
        if doc is None:  # YAML's message, which names what it expected
            return None, [Problem(p.location, p.message.replace("YAML", "JSON"),
                                  "check commas, brackets and quotes") for p in problems]
        line, what = _json_failure(failure, text)
        return None, [Problem(Location(shown, line), f"JSON syntax error: {what}",
                              "check commas, brackets and quotes; the file must be JSON, as "
                              "Zotero exports it")]
    if doc is None:  # JSON that the YAML reader cannot number: lines are unknown
        return (YamlDocument(data, shown), data), []
    return (doc, data), problems


def _no_constant(name: str) -> None:
    raise _Constant(name)


class _Constant(ValueError):
    """NaN or Infinity, which Python's JSON reader accepts and JSON does not."""

    def __init__(self, name: str):
        super().__init__(f"{name} is not a JSON number")
        self.name = name


def _json_failure(failure: Exception, text: str) -> tuple[int, str]:
    """The line and message of a JSON syntax error."""
    if isinstance(failure, _Constant):
        found = re.search(rf"(?<![\w\"]){re.escape(failure.name)}(?![\w\"])", text)
        return (text.count("\n", 0, found.start()) + 1 if found else 1), str(failure)
    if isinstance(failure, json.JSONDecodeError):
        return failure.lineno, failure.msg
    return 1, "the values are nested too deeply to read"


def _entry_problems(entry: dict, key: str, locate, index: int) -> list[Problem]:
    problems = []

    def wrong(field: str, message: str, hint: str, path: tuple = ()) -> None:
        problems.append(Problem(locate((index, field) + path), f"reference '{key}': "
                                f"{message}", hint))

    kind = entry.get("type")
    if not isinstance(kind, str) or not kind.strip():
        wrong("type", "\"type\" should be a CSL type such as \"article-journal\", got "
              f"{_shown(kind)}", "add \"type\": \"article-journal\" for a journal article")
    elif kind not in KINDS:
        wrong("type", f"the type \"{kind}\" is not one the reference formatter prints",
              f"use one of {', '.join(KINDS)}" + (f"; {GUIDELINE}" if "guideline" in
                                                  kind.lower() else ""))
    needed = dict(KINDS.get(kind, {"title": "the title"}) if isinstance(kind, str) else
                  {"title": "the title"})
    if _present(entry.get("URL")) and not _present(entry.get("DOI")):
        needed.setdefault("accessed", ACCESSED + " (AMA prints it before a web address)")
    for name, what in needed.items():
        if not _present(entry.get(name)):
            problems.append(Problem(locate((index,)), f"reference '{key}' has no \"{name}\"",
                                    f"add {what}"))
    for field, value in entry.items():
        if not isinstance(field, str):
            wrong(field, f"the field name {field!r} is not text", "put field names in quotes")
        elif field in NAMES:
            _check_names(field, value, wrong)
        elif field in DATES:
            _check_date(field, value, wrong)
        elif field in TEXT_ONLY and not isinstance(value, str):
            wrong(field, f"\"{field}\" should be text, got {_shown(value)}",
                  f"write it as \"{field}\": \"...\"")
        elif field in TEXT and not _text_or_number(value):
            wrong(field, f"\"{field}\" should be text or a number, got {_shown(value)}",
                  f"write it as \"{field}\": \"...\"")
        elif field not in _KNOWN:
            problems.append(Problem(locate((index, field)), f"reference '{key}' has the field "
                                    f"\"{field}\", which the reference formatter does not "
                                    "know; it is ignored", "remove it, or use a CSL-JSON "
                                    "field (journal abbreviations: \"container-title-short\")",
                                    warning=True))
    doi = entry.get("DOI")
    if doi is not None and not (isinstance(doi, str) and DOI.fullmatch(doi)):
        problems.append(Problem(locate((index, "DOI")), f"reference '{key}' has a malformed "
                                f"DOI {doi!r}", "write it as 10.xxxx/suffix, without "
                                "https://doi.org/"))
    url = entry.get("URL")
    if isinstance(url, str) and (url.strip() or "URL" not in needed):
        problem = _url_problem(url)
        if problem:
            wrong("URL", f"the URL {url[:60]!r} {problem[0]}", problem[1])
    return problems


def _url_problem(url: str) -> tuple[str, str] | None:
    """What is wrong with a reference's web address (it becomes a link), and what to do."""
    if not url.strip():
        return "is empty", "write the page's address, or leave \"URL\" out"
    odd = next((ch for ch in url if ch.isspace() or unicodedata.category(ch)[0] == "C"), None)
    if odd == " ":
        return "contains a space", "write a space in a web address as %20"
    if odd is not None:
        return (f"contains the invisible character U+{ord(odd):04X}",
                "copy the address again from the browser's address bar, or delete it")
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed [IPv6] host
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.strip(":@"):
        return ("is not a web address", "write the whole address, starting with https:// or "
                "http://, as the browser shows it")
    return None


_KNOWN = NAMES | DATES | TEXT | OTHER


def _present(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value) and not isinstance(value, bool)


def _text_or_number(value: object) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < LARGEST_NUMBER
    return isinstance(value, float) and math.isfinite(value)


def _shown(value: object) -> str:
    kinds = {dict: "an object {...}", list: "a list [...]", bool: f"{value!r}".lower(),
             type(None): "null"}
    for kind, text in kinds.items():
        if isinstance(value, kind):
            return text
    return f"{type(value).__name__} {value!r:.40}"


def _check_names(field: str, value: object, wrong) -> None:
    hint = f'write it as "{field}": [{{"family": "Cha", "given": "H. G."}}] or [{{"literal": ' \
           '"World Health Organization"}]'
    if not isinstance(value, list):
        wrong(field, f"\"{field}\" should be a list of names, got {_shown(value)}", hint)
        return
    for i, name in enumerate(value):
        if not isinstance(name, dict):
            wrong(field, f"name {i + 1} of \"{field}\" should be an object such as "
                  f"{{\"family\": ..., \"given\": ...}}, got {_shown(name)}", hint, (i,))
            continue
        unknown = sorted(str(part) for part in name if part not in NAME_PARTS)
        if unknown:
            wrong(field, f"name {i + 1} of \"{field}\" has the part \"{unknown[0]}\", which "
                  "the reference formatter cannot use", "use only family, given, suffix, "
                  "dropping-particle, non-dropping-particle, or literal", (i,))
        if "literal" in name and len(name) > 1:
            wrong(field, f"name {i + 1} of \"{field}\" has both \"literal\" and other parts",
                  "give either {\"literal\": ...} alone (an organisation) or family and "
                  "given", (i,))
            continue
        bad = [part for part, text in name.items() if not isinstance(text, str)]
        if bad:
            wrong(field, f"\"{bad[0]}\" of name {i + 1} of \"{field}\" should be text, got "
                  f"{_shown(name[bad[0]])}", hint, (i,))
        elif not any(_present(name.get(part)) for part in ("family", "literal")):
            wrong(field, f"name {i + 1} of \"{field}\" has no \"family\" (or \"literal\")",
                  hint, (i,))


def _check_date(field: str, value: object, wrong) -> None:
    hint = f'write it as "{field}": {{"date-parts": [[2019, 2, 28]]}} (month and day optional)'
    if not isinstance(value, dict):
        wrong(field, f"\"{field}\" should be a date such as {{\"date-parts\": [[2019]]}}, got "
              f"{_shown(value)}", hint)
        return
    unknown = sorted(str(k) for k in value if k not in ("date-parts", "literal", "circa",
                                                         "season"))
    if unknown:
        wrong(field, f"the date \"{field}\" has the part \"{unknown[0]}\", which the reference "
              "formatter cannot read", hint)
        return
    if "season" in value and not (_text_or_number(value["season"])):
        wrong(field, f"the season of \"{field}\" should be text or a number", hint)
    if "circa" in value and not isinstance(value["circa"], (bool, int, str)):
        wrong(field, f"\"circa\" of \"{field}\" should be true or false", hint)
    if "date-parts" not in value:
        literal = value.get("literal")
        if not (isinstance(literal, str) and literal.strip()):
            wrong(field, f"the date \"{field}\" has neither \"date-parts\" nor a \"literal\" "
                  "text", hint)
        return
    parts = value["date-parts"]
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
        wrong(field, f"\"date-parts\" of \"{field}\" should hold one date, or two for a range",
              hint)
        return
    for date in parts:
        problem = _date_problem(date)
        if problem:
            wrong(field, f"the date {_shown_date(date)} in \"{field}\" {problem}", hint)
            return


def _date_problem(date: object) -> str | None:
    if not isinstance(date, list) or not 1 <= len(date) <= 3:
        return "should be a list of year, month and day"
    numbers = []
    for part in date:
        if isinstance(part, str) and re.fullmatch(r"-?[0-9]{1,4}", part.strip()):
            part = int(part)
        if isinstance(part, bool) or not isinstance(part, int):
            return "should hold whole numbers"
        numbers.append(part)
    year, month, day = (numbers + [None, None])[:3]
    if not 1 <= year <= 9999:
        return "has a year outside 1 to 9999"
    if month is not None and not 1 <= month <= 12:
        return "has a month outside 1 to 12"
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return "is not a day of the calendar"
    return None


def _shown_date(date: object) -> str:
    return json.dumps(date)[:40] if isinstance(date, (list, int, str)) else _shown(date)
