"""One catalog of template strings per language, shared by every topic.

The words the templates add ("Safety", "Page {page} of {pages}", "DRAFT –
incomplete translation") live with the templates, in templates/locales/LANG.po
(template: templates/locales/templates.pot). They belong to the templates, not
to any topic: they change when the templates change, a `--templates` folder
brings the translations of its own words, an installed package carries them,
and a language is translated once, not once per topic. A topic's own catalog
holds its text; an entry there without a context (a template string) overrides
the shared translation for that topic alone (catalogs.Translation.owner).
"""

from __future__ import annotations

import os
from pathlib import Path

import polib

from ..errors import ContentErrors, Location, Problem, display_path
from ..load.language import is_language_tag
from .catalogs import (PLURAL_HEADER, SIGN_OFF, WRAP, Translation, UpdateReport, _entry,
                       _key, _with_sign_off, finish, merge_entries, plural_forms,
                       review_state, save, template_strings)
from .pofile import read_catalog

LOCALES = "locales"
TEMPLATE = "templates.pot"


def shared_path(templates: Path, language: str) -> Path:
    """templates/locales/LANG.po, for a tag that cannot lead out of locales/."""
    if not is_language_tag(language):
        raise ContentErrors([Problem(Location(display_path(templates / LOCALES)),
                                     f"{language!r} is not a language tag",
                                     "use a tag such as es, ar or zh-Hans")])
    return templates / LOCALES / f"{language}.po"


def _read(templates: Path, language: str) -> tuple[polib.POFile, dict, str]:
    path = shared_path(templates, language)
    shown = display_path(path)
    catalog = read_catalog(path, shown, templates / LOCALES, WRAP)
    return catalog.po, catalog.lines, shown


def load_shared(templates: Path, language: str) -> Translation | None:
    """The language's shared catalog, None when the templates have none; ContentErrors
    when it is flawed (read as strictly as a topic's)."""
    path = shared_path(templates, language)
    if not os.path.lexists(path):
        return None
    po, lines, shown = _read(templates, language)
    entries = {_key(e): e for e in po if not e.obsolete}
    reviewer, reviewed_on, note = review_state(po.metadata, entries.values())
    return Translation(language, path, shown, entries, reviewer, lines, reviewed_on, note)


def _header(language: str | None) -> dict[str, str]:
    # No dates the clock gives: the same templates always make the same bytes.
    header = {"Project-Id-Version": "handouts templates",
              "MIME-Version": "1.0",
              "Content-Type": "text/plain; charset=UTF-8",
              "Content-Transfer-Encoding": "8bit"}
    if language:
        header["Language"] = language.replace("-", "_")
        header[PLURAL_HEADER] = plural_forms(language)
    return header


def extract_shared(templates: Path) -> Path:
    """Write templates/locales/templates.pot: every template string."""
    pot = polib.POFile(wrapwidth=WRAP)
    pot.metadata = _header(None)
    for source in template_strings(templates):
        pot.append(_entry(source))
    path = templates / LOCALES / TEMPLATE
    save(pot, path)
    return path


def update_shared(templates: Path, language: str) -> UpdateReport:
    """Merge the templates' strings into templates/locales/LANG.po, as `update` merges a
    topic's text: kept, fuzzy with the old English, obsolete, or new."""
    path = shared_path(templates, language)
    old = _read(templates, language)[0] if os.path.lexists(path) else None
    catalog = polib.POFile(wrapwidth=WRAP)
    catalog.metadata = dict(old.metadata) if old else _header(language)
    catalog.metadata.setdefault(PLURAL_HEADER, plural_forms(language))
    catalog.header = _with_sign_off(old.header if old else "", SIGN_OFF)
    report = merge_entries(catalog, template_strings(templates), list(old or []), path)
    return finish(catalog, old, report, lambda: _read(templates, language)[1])
