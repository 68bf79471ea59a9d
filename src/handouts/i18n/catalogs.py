"""Translations as gettext PO catalogs: extract, update (merge), status, and use at build.

Every text unit is a catalog entry whose msgctxt is the unit's stable id
(model/keys.py: it survives insertions, re-wrapping and reordering), and
whose msgid is its English with the Markdown's line breaks made spaces. An
edited English sentence keeps its context, and its translation turns fuzzy
(stale) instead of silently standing for the new text; merge.py says which
old entry each new one takes over.

Strings that templates add ("Page {page} of {pages}") are entries without a
context, in one catalog per language shared by every topic (template_catalog.py,
templates/locales/LANG.po); a topic's catalog holds its own text, and may hold
a template string too, which then overrides the shared translation for that
topic. polib reads and writes the files.
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
from ..model.keys import normalise_space
from ..load.files import load_yaml
from ..load.language import is_language_tag
from .merge import match
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
    return content_strings(document) + template_strings(templates)


def content_strings(document: Document) -> list[SourceString]:
    """Every unit of the topic (topic.yaml, then the Markdown), in reading order."""
    return [source_of(unit) for unit in document.units()]


def source_of(unit: Unit) -> SourceString:
    """A content unit as a catalog entry: its file (within the topic) and line as reference."""
    name = unit.location.path.rsplit("/", 1)[-1]
    return SourceString(unit.id, normalise_space(unit.text), ((name, str(unit.location.line)),),
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
    from ..load.templates import check_templates

    found: dict[str, tuple[list, set]] = {}
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    paths = sorted(templates.rglob("*.j2"))
    strings_file = templates / "slides" / "strings.yaml"
    names = [path.relative_to(templates).as_posix() for path in paths]
    problems = check_templates(templates, names + ["slides/strings.yaml"] * strings_file.is_file())
    if problems:
        raise ContentErrors(problems)
    for path, relative in zip(paths, names):
        for line, _function, message in env.extract_translations(path.read_text("utf-8")):
            if isinstance(message, str):
                _add(found, message, f"templates/{relative}", line, _template_audiences(relative))
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


def extract(document: Document, templates: Path) -> Path:  # noqa: ARG001
    """Write locales/<topic>.pot with every unit of the topic (template strings have their
    own template, templates/locales/templates.pot: template_catalog.py)."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.metadata = _header(document, None)
    for source in content_strings(document):
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
    """Merge the topic's current text into locales/<language>.po.

    Each unit takes over the old entry merge.py matches to it: kept when its
    English is the same, fuzzy with the previous English shown (`#| msgid`)
    when it changed; a unit that no longer exists becomes obsolete (`#~`); a
    new unit is added untranslated. Template strings the catalog translates
    stay as this topic's overrides of the shared catalog. The file's header
    (translator, reviewer, notes) stays.
    """
    folder = document.topic.folder
    path = checked_catalog_path(folder, language, display_path(folder))
    old = read_po(folder, language, display_path(folder))[0] if os.path.lexists(path) else None
    catalog = polib.POFile(wrapwidth=WRAP)
    catalog.metadata = dict(old.metadata) if old else _header(document, language)
    catalog.metadata["POT-Creation-Date"] = source_date(document)
    catalog.metadata.setdefault(PLURAL_HEADER, plural_forms(language))
    catalog.header = _with_sign_off(old.header if old else "", sign_off_comment(document,
                                                                               language))
    wanted = audiences_in(document, language)
    sources = [s for s in content_strings(document) if s.audiences & wanted]
    shared = {s.msgid for s in template_strings(templates)}
    previous = list(old or [])
    overrides = [e for e in previous if not e.obsolete and e.msgctxt is None
                 and normalise_space(e.msgid) in shared]
    report = merge_entries(catalog, sources, [e for e in previous if e not in overrides],
                           path)
    catalog.extend(overrides)
    report.kept += len(overrides)
    return finish(catalog, old, report, lambda: read_po(folder, language,
                                                        display_path(folder))[1])


def merge_entries(catalog: polib.POFile, sources: list[SourceString],
                  old: list[polib.POEntry], path: Path) -> UpdateReport:
    """Append an entry for every source to `catalog`, each taking over the old entry that
    merge.match finds for it, then the old entries nothing took, as obsolete."""
    report = UpdateReport(path)
    ordered = [e for e in old if not e.obsolete] + [e for e in old if e.obsolete]
    found = match([(s.context, s.msgid) for s in sources], ordered)
    taken = set()
    for source, matched in zip(sources, found):
        entry = _entry(source)
        if matched is None:
            report.new += 1
            report.added.append(source)
            catalog.append(entry)
            continue
        before = matched.entry
        taken.add(id(before))
        entry.msgstr, entry.tcomment = before.msgstr, before.tcomment
        entry.flags = list(before.flags)
        entry.previous_msgid = before.previous_msgid
        if matched.fuzzy and before.msgstr:
            entry.previous_msgid = normalise_space(before.msgid)
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            report.fuzzy += 1
            report.fuzzied.append((source, normalise_space(before.msgid)))
        else:
            report.kept += 1
        catalog.append(entry)
    for gone in ordered:
        if id(gone) in taken or not gone.msgstr:
            continue
        if not gone.obsolete:
            report.obsolete += 1
            report.removed.append(Change(gone.msgctxt or gone.msgid, gone.msgid))
        gone.obsolete = True
        gone.occurrences = []
        catalog.append(gone)
    return report


def finish(catalog: polib.POFile, old: polib.POFile | None, report: UpdateReport,
           read_lines) -> UpdateReport:
    """Save a merged catalog (lapsing a sign-off it changed) and give each change its line."""
    if old is not None and (report.new or report.fuzzy or report.obsolete):
        _mark_changed_after_review(catalog.metadata)
    save(catalog, report.path)
    lines = read_lines() if report.added or report.fuzzied else {}

    def line(source: SourceString) -> int:
        where = lines.get(_key_of(source))
        return where.start if where else 0

    report.added = [Change(s.context or s.msgid, s.msgid, "", line(s), s.safety)
                    for s in report.added]
    report.fuzzied = [Change(s.context or s.msgid, s.msgid, was, line(s), s.safety)
                      for s, was in report.fuzzied]
    return report


def _key_of(source: SourceString) -> tuple[str | None, str | None]:
    return handouts_key(source.context, source.msgid)


def _with_sign_off(header: str, note: str) -> str:
    """The catalog's header comment, with the sign-off instructions once (a translator's
    own notes above them stay)."""
    if "Sign-off:" in header:
        return header
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
    # The template strings every topic shares (templates/locales/LANG.po), for those this
    # catalog does not translate itself.
    shared: Translation | None = None

    def owner(self, key: tuple[str | None, str | None]) -> Translation:
        """The catalog that answers for an entry: this one, or for a template string this
        one does not translate (override), the shared catalog."""
        if key[0] is None and self.shared is not None:
            entry = self.entries.get(key)
            if entry is None or not entry.msgstr.strip():
                return self.shared
        return self

    def line(self, key: tuple[str | None, str | None]) -> int:
        """The line of an entry's msgstr in its file (0 when it has none)."""
        where = self.owner(key).lines.get(key)
        return where.msgstr if where else 0

    def where(self, key: tuple[str | None, str | None]) -> Location:
        """The entry's file and line, for messages about it."""
        return Location(self.owner(key).shown, self.line(key))

    def template_entries(self):
        """(key, entry, catalog) of every template string translated: this catalog's
        overrides, then the shared catalog's other entries."""
        own = [(k, e, self) for k, e in self.entries.items() if k[0] is None and k[1]]
        shared = [] if self.shared is None else [
            (k, e, self.shared) for k, e in self.shared.entries.items()
            if k[0] is None and k[1] and self.owner(k) is self.shared]
        return own + shared

    def stamp(self) -> tuple:
        """What changes when a catalog behind this translation changes (render caches)."""
        catalogs = [self] + ([self.shared] if self.shared else [])
        return tuple((str(c.path), c.path.stat().st_mtime_ns) for c in catalogs
                     if c.path.exists())

    def lookup(self, source: SourceString) -> tuple[str | None, str]:
        """(translation, state) with state one of: ok, missing, fuzzy, stale."""
        entry = self.owner(source.key).entries.get(source.key)
        if entry is None or not entry.msgstr.strip():
            return None, "missing"
        if "fuzzy" in entry.flags:
            return entry.msgstr, "fuzzy"
        if normalise_space(entry.msgid) != source.msgid:
            return entry.msgstr, "stale"
        return entry.msgstr, "ok"

    def gettext(self, text: str) -> str:
        entry = self.owner((None, text)).entries.get((None, text))
        found = text if entry is None or not entry.msgstr or "fuzzy" in entry.flags \
            else entry.msgstr
        if text == REVIEWED_LINE:  # the sign-off, filled in here: the templates do not have it
            from ..model.dates import long_date

            who = (self.reviewer or "").replace("{", "(").replace("}", ")")
            when = long_date(self.reviewed_on, self.language) if self.reviewed_on else ""
            found = found.replace("{reviewer}", who).replace("{date}", when)
        return found


def load_translation(topic: Path, language: str, shown_topic: str,
                     templates: Path | None = None) -> Translation | None:
    """The language's catalog, None when there is none; ContentErrors when it is flawed.
    With `templates`, the shared catalog of template strings comes with it (when the
    templates have one for the language)."""
    path = checked_catalog_path(topic, language, shown_topic)
    if not os.path.lexists(path):
        return None
    catalog, lines = read_po(topic, language, shown_topic)
    entries = {_key(e): e for e in catalog if not e.obsolete}
    reviewer, reviewed_on, note = review_state(catalog.metadata, entries.values())
    shared = None
    if templates is not None:
        from .template_catalog import load_shared

        shared = load_shared(templates, language)
        if shared is not None and reviewer is not None and shared.reviewer is None:
            # The outputs print the templates' words too ("Stop now", "Call your care
            # team"): a translation is reviewed only when both catalogs' sign-offs hold.
            reviewer, reviewed_on = None, None
            note = (f"signed by {catalog.metadata.get(REVIEWER_HEADER, '').strip()}, but the "
                    f"template strings' catalog {shared.shown} is not signed off "
                    f"({shared.review_note})")
    return Translation(language, path, f"{shown_topic}/{LOCALES}/{language}.po", entries,
                       reviewer, lines, reviewed_on, note, shared)


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
            translation = load_translation(folder, language, folder.name, templates)
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
    translation = load_translation(folder, language, shown, templates)
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
        owner = translation.owner(source.key)
        where = owner.lines.get(source.key)
        if source.key not in owner.entries or where is None:
            state = "absent"
            file, line = source.occurrences[0]
            place = f"{file}:{line}" if file.startswith("templates/") else \
                f"{shown}/{file}:{line}"
        else:
            place = f"{owner.shown}:{where.start}"
        audiences = tuple(a for a in AUDIENCES if a in source.audiences & wanted)
        found.append(Remaining(place, state, source.safety, source.context or source.msgid,
                               source.msgid, audiences))
    return sorted(found, key=lambda r: not r.safety)  # stable: reading order within each
