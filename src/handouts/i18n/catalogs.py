"""Translations as gettext PO catalogs: extract, update (merge), status, and use at build.

Every text unit is a catalog entry whose msgctxt is the unit's stable id, so
an edited English sentence keeps its context, and its translation turns
fuzzy (stale) instead of silently standing for the new text. Strings that
templates add ("Page {page} of {pages}") are entries without a context.
polib reads and writes the files; the merge rules are ours, because they
key on the unit id rather than on text similarity.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import polib

from ..errors import ContentErrors, Location, Problem, display_path
from ..model import AUDIENCES, Document, Unit
from ..load.files import load_yaml
from ..load.language import is_language_tag
from .pofile import EntryLines, handouts_key, read_catalog

LOCALES = "locales"
WRAP = 79  # what msgcat writes, so a translator's tool round-trips the file unchanged
REVIEWER_HEADER = "X-Reviewed-By"
SOURCE_DATE = "2000-01-01 00:00+0000"  # POT creation date fixed: same inputs, same bytes


@dataclass(frozen=True)
class SourceString:
    """One entry of the template (POT): a content unit or a template string."""

    context: str | None
    msgid: str
    occurrences: tuple[tuple[str, str], ...]
    audiences: frozenset[str]
    safety: bool = False

    @property
    def key(self) -> tuple[str | None, str | None]:
        return (self.context, None) if self.context else (None, self.msgid)


def catalog_path(topic: Path, language: str) -> Path:
    return topic / LOCALES / f"{language}.po"


def checked_catalog_path(topic: Path, language: str, shown_topic: str) -> Path:
    """catalog_path, for a tag that cannot lead out of locales/ (ContentErrors if not)."""
    if not is_language_tag(language):
        raise ContentErrors([Problem(Location(f"{shown_topic}/{LOCALES}"),
                                     f"{language!r} is not a language tag",
                                     "use a tag such as es, ar or zh-Hans")])
    return catalog_path(topic, language)


def read_po(topic: Path, language: str, shown_topic: str) -> tuple[polib.POFile, dict]:
    """A language's catalog read strictly (see pofile.py): ContentErrors on any flaw."""
    path = checked_catalog_path(topic, language, shown_topic)
    catalog = read_catalog(path, f"{shown_topic}/{LOCALES}/{language}.po", topic / LOCALES,
                           WRAP)
    return catalog.po, catalog.lines


def template_path(topic: Path) -> Path:
    return topic / LOCALES / f"{topic.name}.pot"


# -- what there is to translate ---------------------------------------------------

def source_strings(document: Document, templates: Path) -> list[SourceString]:
    """Every content unit, then every template string, in reading order."""
    return [source_of(unit) for unit in document.units()] + template_strings(templates)


def source_of(unit: Unit) -> SourceString:
    """A content unit as a catalog entry: its file (within the topic) and line as reference."""
    name = unit.location.path.rsplit("/", 1)[-1]
    return SourceString(unit.id, unit.text, ((name, str(unit.location.line)),),
                        frozenset(unit.audiences), unit.safety_id is not None)


def template_strings(templates: Path) -> list[SourceString]:
    """_("…") calls in the Jinja templates and the deck's strings.yaml, merged by text."""
    found: dict[str, tuple[list, set]] = {}
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    for path in sorted(templates.rglob("*.j2")):
        relative = path.relative_to(templates).as_posix()
        for line, _function, message in env.extract_translations(path.read_text("utf-8")):
            if isinstance(message, str):
                _add(found, message, f"templates/{relative}", line, _template_audiences(relative))
    strings_file = templates / "slides" / "strings.yaml"
    if strings_file.is_file():
        doc, _ = load_yaml(strings_file.read_text("utf-8"), "strings.yaml")
        for key, value in (doc.data or {}).items():
            _add(found, str(value), "templates/slides/strings.yaml", doc.lines[(key,)],
                 {"trainer"})
    return [SourceString(None, text, tuple(places), frozenset(audiences))
            for text, (places, audiences) in found.items()]


def _add(found: dict, text: str, path: str, line: int, audiences: set) -> None:
    places, owners = found.setdefault(text, ([], set()))
    places.append((path, str(line)))
    owners |= audiences


def _template_audiences(relative: str) -> set[str]:
    folder = relative.split("/", 1)[0]
    return {folder} if folder in AUDIENCES else set(AUDIENCES)


# -- extract and update ---------------------------------------------------------

def _comment(source: SourceString) -> str:
    who = ", ".join(a for a in AUDIENCES if a in source.audiences)
    if source.context is None:
        return (f"template string for: {who}. Keep {{placeholders}} such as {{page}} as they "
                "are.")
    lines = [f"audience: {who}"]
    if source.safety:
        lines.append("SAFETY TEXT: translate every instruction exactly; do not add, drop or "
                     "soften anything. A missing or fuzzy safety entry stops the build.")
    lines.append("Keep Markdown (**bold**, *italic*) and citations such as [@lin2025] unchanged.")
    return "\n".join(lines)


def _entry(source: SourceString) -> polib.POEntry:
    return polib.POEntry(msgctxt=source.context, msgid=source.msgid, msgstr="",
                         occurrences=list(source.occurrences), comment=_comment(source))


def _header(document: Document, language: str | None) -> dict[str, str]:
    header = {
        "Project-Id-Version": f"{document.topic.id} {document.topic.version}",
        "Report-Msgid-Bugs-To": document.topic.owner,
        "POT-Creation-Date": SOURCE_DATE,
        "PO-Revision-Date": SOURCE_DATE if language is None else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language:
        header["Language"] = language.replace("-", "_")
    return header


def extract(document: Document, templates: Path) -> Path:
    """Write locales/<topic>.pot with every unit and template string."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.metadata = _header(document, None)
    for source in source_strings(document, templates):
        pot.append(_entry(source))
    path = template_path(document.topic.folder)
    save(pot, path)
    return path


def audiences_in(document: Document, language: str) -> set[str]:
    """The audiences that topic.yaml builds in `language` (all of them if none does yet)."""
    audiences = {a for a, s in document.topic.audiences.items() if language in s.languages}
    return audiences or set(document.topic.audiences)


@dataclass
class UpdateReport:
    path: Path
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    kept: int = 0


def update(document: Document, templates: Path, language: str) -> UpdateReport:
    """Merge the current source into locales/<language>.po.

    A unit whose English changed becomes fuzzy with its previous English kept
    (`#| msgid`); a unit that no longer exists becomes obsolete (`#~`); a new
    unit is added untranslated. The file's header (translator, reviewer) stays.
    """
    folder = document.topic.folder
    path = checked_catalog_path(folder, language, display_path(folder))
    report = UpdateReport(path)
    old = read_po(folder, language, display_path(folder))[0] if os.path.lexists(path) else None
    catalog = polib.POFile(wrapwidth=WRAP)
    catalog.metadata = dict(old.metadata) if old else _header(document, language)
    previous = {_key(e): e for e in old or [] if not e.obsolete}
    wanted = audiences_in(document, language)
    for source in source_strings(document, templates):
        if not source.audiences & wanted:
            continue
        entry = _entry(source)
        before = previous.pop(source.key, None)
        if before is None:
            report.new += 1
        else:
            entry.msgstr, entry.tcomment = before.msgstr, before.tcomment
            entry.flags = list(before.flags)
            entry.previous_msgid = before.previous_msgid
            if before.msgid != source.msgid and before.msgstr:
                entry.previous_msgid = before.msgid
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                report.fuzzy += 1
            else:
                report.kept += 1
        catalog.append(entry)
    for gone in previous.values():
        if gone.msgstr:
            gone.obsolete = True
            gone.occurrences = []
            catalog.append(gone)
            report.obsolete += 1
    catalog.extend(e for e in old or [] if e.obsolete and _key(e) not in {_key(c) for c in catalog})
    save(catalog, path)
    return report


def save(catalog: polib.POFile, path: Path) -> None:
    """Write a catalog laid out exactly as GNU gettext lays it out.

    polib wraps long strings slightly differently from msgcat, so a
    translator's tool would rewrap the file on its first save. When GNU
    gettext is installed (the set-up installs it) the file goes through
    msgcat, the reference implementation of the format, once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))
    msgcat = shutil.which("msgcat")
    if msgcat:
        temporary = path.with_suffix(path.suffix + ".tmp")
        subprocess.run([msgcat, "--output-file", str(temporary), str(path)], check=True,
                       capture_output=True)
        os.replace(temporary, path)


def _key(entry: polib.POEntry) -> tuple[str | None, str | None]:
    return handouts_key(entry.msgctxt, entry.msgid)


# -- using a catalog ------------------------------------------------------------

@dataclass
class Translation:
    """A language's catalog, looked up by unit id (content) or by text (template strings)."""

    language: str
    path: Path
    shown: str
    entries: dict[tuple[str | None, str | None], polib.POEntry]
    reviewer: str | None
    lines: dict[tuple[str | None, str | None], EntryLines] = field(default_factory=dict)

    def line(self, key: tuple[str | None, str | None]) -> int:
        """The line of an entry's msgstr in the file (0 when it has none)."""
        where = self.lines.get(key)
        return where.msgstr if where else 0

    def lookup(self, source: SourceString) -> tuple[str | None, str]:
        """(translation, state) with state one of: ok, missing, fuzzy, stale."""
        entry = self.entries.get(source.key)
        if entry is None or not entry.msgstr.strip():
            return None, "missing"
        if "fuzzy" in entry.flags:
            return entry.msgstr, "fuzzy"
        if entry.msgid != source.msgid:
            return entry.msgstr, "stale"
        return entry.msgstr, "ok"

    def gettext(self, text: str) -> str:
        entry = self.entries.get((None, text))
        if entry is None or not entry.msgstr or "fuzzy" in entry.flags:
            return text
        return entry.msgstr


def load_translation(topic: Path, language: str, shown_topic: str) -> Translation | None:
    """The language's catalog, None when there is none; ContentErrors when it is flawed."""
    path = checked_catalog_path(topic, language, shown_topic)
    if not os.path.lexists(path):
        return None
    catalog, lines = read_po(topic, language, shown_topic)
    reviewer = catalog.metadata.get(REVIEWER_HEADER, "").strip() or None
    entries = {_key(e): e for e in catalog if not e.obsolete}
    return Translation(language, path, f"{shown_topic}/{LOCALES}/{language}.po", entries,
                       reviewer, lines)


# -- status ---------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    language: str
    audience: str
    translated: int
    fuzzy: int
    missing: int
    safety_translated: int
    safety_fuzzy: int
    safety_missing: int
    reviewer: str | None


def status(document: Document, templates: Path) -> list[Coverage]:
    """Per language catalog and audience: how many units are translated, stale or missing."""
    folder = document.topic.folder
    sources = source_strings(document, templates)
    rows, problems = [], []
    for path in sorted((folder / LOCALES).glob("*.po")):
        language = path.stem
        if not is_language_tag(language):
            continue  # es.backup.po: no build reads it, so it has no status
        try:
            translation = load_translation(folder, language, folder.name)
        except ContentErrors as exc:  # every flawed catalog is reported, not just the first
            problems += exc.problems
            continue
        if translation is None:  # pragma: no cover - removed while being listed
            continue
        for audience in sorted(audiences_in(document, language), key=AUDIENCES.index):
            counts = {"ok": [0, 0], "fuzzy": [0, 0], "missing": [0, 0]}
            for source in sources:
                if audience in source.audiences:
                    _, state = translation.lookup(source)
                    state = "fuzzy" if state == "stale" else state
                    counts[state][1 if source.safety else 0] += 1
            rows.append(Coverage(language, audience, counts["ok"][0], counts["fuzzy"][0],
                                 counts["missing"][0], counts["ok"][1], counts["fuzzy"][1],
                                 counts["missing"][1], translation.reviewer))
    if problems:
        raise ContentErrors(problems)
    return rows

