"""Translations as gettext PO catalogs: extract, update (merge), status, and use at build.

Every text unit is a catalog entry whose msgctxt is the unit's stable id, so
an edited English sentence keeps its context, and its translation turns
fuzzy (stale) instead of silently standing for the new text. Strings that
templates add ("Page {page} of {pages}") are entries without a context.
polib reads and writes the files; the merge rules are ours, because they
key on the unit id rather than on text similarity.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
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
REVIEW_DATE_HEADER = "X-Reviewed-Date"
PLURAL_HEADER = "Plural-Forms"
# gettext's rules for the shipped languages (Arabic: the six CLDR forms, zero one two few
# many other); any other language takes Babel's rule from CLDR.
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
    "zh": "nplurals=1; plural=0;",
}
# One header comment line (it takes the place of the bare "#" a new catalog starts with,
# so no entry moves): how a reviewer signs the catalog off. README, "Translations", says more.
SIGN_OFF = ("Sign-off: after comparing every entry with its English, a medical translator adds "
            "the headers X-Reviewed-By: NAME, QUALIFICATION and X-Reviewed-Date: YYYY-MM-DD.")


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
    """_("…") calls in the Jinja templates and the deck's strings.yaml, merged by text.

    Parsing every template costs a tenth of a second per language of a build; the
    result is kept while no template file changes (names, sizes and times unchanged)."""
    files = tuple((str(path), stat.st_size, stat.st_mtime_ns)
                  for path in sorted(templates.rglob("*")) if path.is_file()
                  for stat in [path.stat()])
    return list(_template_strings(templates, files))


@lru_cache(maxsize=4)
def _template_strings(templates: Path, files: tuple) -> tuple[SourceString, ...]:
    return tuple(_read_template_strings(templates))


def _read_template_strings(templates: Path) -> list[SourceString]:
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


def source_date(document: Document) -> str:
    """The template's creation date: the day the content was last reviewed (topic.yaml's
    review_date), so the same content always makes the same bytes."""
    return f"{document.topic.review_date.isoformat()} 00:00+0000"


def plural_forms(language: str) -> str:
    """The Plural-Forms header of a language (gettext's rule, or Babel's from CLDR)."""
    base = language.split("-")[0].split("_")[0].lower()
    if base in PLURAL_FORMS:
        return PLURAL_FORMS[base]
    try:
        from babel.messages.plurals import get_plural

        rule = get_plural(language.replace("-", "_"))
        return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"
    except (ValueError, LookupError):  # pragma: no cover - an unknown locale
        return "nplurals=2; plural=(n != 1);"


def sign_off_comment(document: Document, language: str) -> str:  # noqa: ARG001
    return SIGN_OFF


def _header(document: Document, language: str | None) -> dict[str, str]:
    header = {
        "Project-Id-Version": f"{document.topic.id} {document.topic.version}",
        "Report-Msgid-Bugs-To": document.topic.owner,
        "POT-Creation-Date": source_date(document),
        "PO-Revision-Date": source_date(document) if language is None
        else "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if language:
        header["Language"] = language.replace("-", "_")
        header[PLURAL_HEADER] = plural_forms(language)
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


@dataclass(frozen=True)
class Change:
    """One entry `update` added, made fuzzy or made obsolete."""

    ident: str  # the unit id, or a template string's English
    english: str  # the English now (for an obsolete entry: the English it had)
    old_english: str = ""  # a fuzzy entry's previous English
    line: int = 0  # its line in the catalog after the update (0: obsolete)
    safety: bool = False


@dataclass
class UpdateReport:
    path: Path
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0
    kept: int = 0
    added: list[Change] = field(default_factory=list)
    fuzzied: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)


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
    catalog.metadata["POT-Creation-Date"] = source_date(document)
    catalog.metadata.setdefault(PLURAL_HEADER, plural_forms(language))
    catalog.header = _with_sign_off(old.header if old else "", document, language)
    previous = {_key(e): e for e in old or [] if not e.obsolete}
    wanted = audiences_in(document, language)
    added, fuzzied = [], []
    for source in source_strings(document, templates):
        if not source.audiences & wanted:
            continue
        entry = _entry(source)
        before = previous.pop(source.key, None)
        if before is None:
            report.new += 1
            added.append(source)
        else:
            entry.msgstr, entry.tcomment = before.msgstr, before.tcomment
            entry.flags = list(before.flags)
            entry.previous_msgid = before.previous_msgid
            if before.msgid != source.msgid and before.msgstr:
                entry.previous_msgid = before.msgid
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                report.fuzzy += 1
                fuzzied.append((source, before.msgid))
            else:
                report.kept += 1
        catalog.append(entry)
    for gone in previous.values():
        if gone.msgstr:
            gone.obsolete = True
            gone.occurrences = []
            catalog.append(gone)
            report.obsolete += 1
            report.removed.append(Change(gone.msgctxt or gone.msgid, gone.msgid))
    catalog.extend(e for e in old or [] if e.obsolete and _key(e) not in {_key(c) for c in catalog})
    if old is not None and (report.new or report.fuzzy or report.obsolete):
        _mark_changed_after_review(catalog.metadata)
    save(catalog, path)
    lines = read_po(folder, language, display_path(folder))[1] if added or fuzzied else {}

    def line(source: SourceString) -> int:
        where = lines.get(_key_of(source))
        return where.start if where else 0

    report.added = [Change(s.context or s.msgid, s.msgid, "", line(s), s.safety) for s in added]
    report.fuzzied = [Change(s.context or s.msgid, s.msgid, was, line(s), s.safety)
                      for s, was in fuzzied]
    return report


def _key_of(source: SourceString) -> tuple[str | None, str | None]:
    return handouts_key(source.context, source.msgid)


def _with_sign_off(header: str, document: Document, language: str) -> str:
    """The catalog's header comment, with the sign-off instructions once (a translator's
    own notes above them stay)."""
    if "Sign-off:" in header:
        return header
    note = sign_off_comment(document, language)
    return f"{header.rstrip()}\n{note}".strip("\n") if header.strip() else note


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

REVIEWED_LINE = "Translation reviewed by {reviewer}, {date}"  # templates print it when signed


@dataclass
class Translation:
    """A language's catalog, looked up by unit id (content) or by text (template strings).

    `reviewer` is set only while the sign-off holds (see review_state): the outputs
    then say who reviewed the translation and when; otherwise "not yet reviewed".
    """

    language: str
    path: Path
    shown: str
    entries: dict[tuple[str | None, str | None], polib.POEntry]
    reviewer: str | None
    lines: dict[tuple[str | None, str | None], EntryLines] = field(default_factory=dict)
    reviewed_on: dt.date | None = None  # the date of the sign-off that holds
    review_note: str = ""  # why there is no valid sign-off (for i18n status)

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
        found = text if entry is None or not entry.msgstr or "fuzzy" in entry.flags \
            else entry.msgstr
        if text == REVIEWED_LINE:  # the sign-off, filled in here: the templates do not have it
            from ..model.dates import long_date

            who = (self.reviewer or "").replace("{", "(").replace("}", ")")
            when = long_date(self.reviewed_on, self.language) if self.reviewed_on else ""
            found = found.replace("{reviewer}", who).replace("{date}", when)
        return found


def load_translation(topic: Path, language: str, shown_topic: str) -> Translation | None:
    """The language's catalog, None when there is none; ContentErrors when it is flawed."""
    path = checked_catalog_path(topic, language, shown_topic)
    if not os.path.lexists(path):
        return None
    catalog, lines = read_po(topic, language, shown_topic)
    entries = {_key(e): e for e in catalog if not e.obsolete}
    reviewer, reviewed_on, note = review_state(catalog.metadata, entries.values())
    return Translation(language, path, f"{shown_topic}/{LOCALES}/{language}.po", entries,
                       reviewer, lines, reviewed_on, note)


def _header_date(value: str | None) -> dt.date | None:
    """The date of a header value such as 2026-11-25 or 2026-11-25 14:02+0100."""
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def review_state(metadata: dict[str, str], entries) -> tuple[str | None, dt.date | None, str]:
    """(reviewer, date, note): who signed the catalog off and when, while that holds.

    A reviewer signs with X-Reviewed-By (name, qualification) and X-Reviewed-Date
    (YYYY-MM-DD; without it, the PO-Revision-Date of the file they saved). The
    sign-off no longer holds, and the outputs say "not yet reviewed" again, when
    any entry is fuzzy, or when the catalog was changed after that date: PO
    editors set PO-Revision-Date on every save, and `i18n update` moves it past
    the review date whenever it changes entries of a signed catalog.
    """
    reviewer = (metadata.get(REVIEWER_HEADER) or "").strip() or None
    if reviewer is None:
        return None, None, "no X-Reviewed-By header"
    revised = _header_date(metadata.get("PO-Revision-Date"))
    stated = metadata.get(REVIEW_DATE_HEADER)
    reviewed_on = _header_date(stated) if stated else revised
    if reviewed_on is None:
        return None, None, f"signed by {reviewer}, but {REVIEW_DATE_HEADER} is not a date " \
                           "YYYY-MM-DD"
    fuzzy = sum(1 for e in entries if "fuzzy" in e.flags)
    if fuzzy:
        return None, None, (f"signed by {reviewer} on {reviewed_on.isoformat()}, but "
                            f"{fuzzy} entr{'y is' if fuzzy == 1 else 'ies are'} fuzzy")
    if revised is not None and revised > reviewed_on:
        return None, None, (f"signed by {reviewer} on {reviewed_on.isoformat()}, but changed "
                            f"on {revised.isoformat()} (PO-Revision-Date)")
    return reviewer, reviewed_on, ""


def _mark_changed_after_review(metadata: dict[str, str]) -> None:
    """A signed catalog that `update` changed: PO-Revision-Date moves past the review date
    (deterministically: the day after it), so the sign-off lapses until renewed."""
    reviewed_on = _header_date(metadata.get(REVIEW_DATE_HEADER)) \
        or _header_date(metadata.get("PO-Revision-Date"))
    if not (metadata.get(REVIEWER_HEADER) or "").strip() or reviewed_on is None:
        return
    revised = _header_date(metadata.get("PO-Revision-Date"))
    after = reviewed_on + dt.timedelta(days=1)
    if revised is None or revised < after:
        metadata["PO-Revision-Date"] = f"{after.isoformat()} 00:00+0000"


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
    reviewed_on: dt.date | None = None
    review_note: str = ""


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
                                 counts["missing"][1], translation.reviewer,
                                 translation.reviewed_on, translation.review_note))
    if problems:
        raise ContentErrors(problems)
    return rows



@dataclass(frozen=True)
class Remaining:
    """One entry a language still needs: where to fix it, and why."""

    where: str  # catalog file:line, or the source file:line when the catalog lacks it
    state: str  # missing, fuzzy, stale, or absent (not in the catalog: run update)
    safety: bool
    ident: str  # the unit id, or a template string's English
    english: str
    audiences: tuple[str, ...]


def remaining(document: Document, templates: Path, language: str) -> list[Remaining]:
    """What a language's catalog still lacks for the audiences built in it: safety entries
    first, then in reading order. ContentErrors when the catalog is flawed; [] (and no
    catalog) when there is none, which the caller reports."""
    folder = document.topic.folder
    shown = display_path(folder)
    translation = load_translation(folder, language, shown)
    if translation is None:
        return []
    wanted = audiences_in(document, language)
    found = []
    for source in source_strings(document, templates):
        if not source.audiences & wanted:
            continue
        _, state = translation.lookup(source)
        if state == "ok":
            continue
        where = translation.lines.get(source.key)
        if source.key not in translation.entries or where is None:
            state = "absent"
            file, line = source.occurrences[0]
            place = f"{file}:{line}" if file.startswith("templates/") else \
                f"{shown}/{file}:{line}"
        else:
            place = f"{translation.shown}:{where.start}"
        audiences = tuple(a for a in AUDIENCES if a in source.audiences & wanted)
        found.append(Remaining(place, state, source.safety, source.context or source.msgid,
                               source.msgid, audiences))
    return sorted(found, key=lambda r: not r.safety)  # stable: reading order within each
