"""Property tests: whatever a translator's PO file holds, the build answers with file:line.

Random bytes, the shipped catalog with random bytes changed, catalogs built
from random entries and headers, and the shipped catalog with random
translations, all go through the functions a build uses (load_translation
and translate, not a whole build, to stay fast). The only acceptable
outcomes are a translation or ContentErrors-style problems naming a place;
never an exception, and never a reading in which polib and the strict
reader disagree.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import BUNDLED
from handouts.assets.locations import default_templates
from handouts.errors import ContentErrors
from handouts.i18n.catalogs import load_translation
from handouts.i18n.translate import translate
from handouts.load.folder import load_document

SETTINGS = dict(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ORIGINAL = (BUNDLED / "locales" / "es.po").read_bytes()
SHIPPED = polib.pofile(str(BUNDLED / "locales" / "es.po"))
CONTEXTS = sorted({e.msgctxt for e in SHIPPED if e.msgctxt})
MSGIDS = sorted({e.msgid for e in SHIPPED})
PLACES = ("backwards-walking/locales/es.po", "backwards-walking/backwards-walking.md",
          "backwards-walking/topic.yaml")


class Topic:
    def __init__(self, root: Path):
        self.folder = root / "backwards-walking"
        shutil.copytree(BUNDLED, self.folder)
        self.document = load_document(self.folder).document
        self.catalog = self.folder / "locales" / "es.po"


@pytest.fixture(scope="module")
def topic(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("po-properties")
    previous = Path.cwd()
    os.chdir(root)  # paths print relative to the topic's parent, as in a build
    request.addfinalizer(lambda: os.chdir(previous))
    return Topic(root)


def outcome(topic: Topic, data: bytes) -> list:
    """Translate the patient handout from `data` as es.po; the problems, checked for form."""
    topic.catalog.write_bytes(data)
    problems = []
    for audience in ("patient", "trainer"):
        result = translate(topic.document, audience, "es", default_templates(), False)
        assert result is not None
        problems += result.problems
    try:
        load_translation(topic.folder, "es", "backwards-walking")
    except ContentErrors as exc:
        assert exc.problems
    for problem in problems:
        assert problem.location.path in PLACES, problem
        assert problem.message and str(problem).startswith(problem.location.path)
        assert "could not be read consistently" not in problem.message, problem
    return problems


# -- random bytes -----------------------------------------------------------------------

@settings(**SETTINGS)
@given(st.binary(max_size=3000))
def test_random_bytes_as_a_catalog(topic, data):
    assert outcome(topic, data)  # random bytes are never a complete Spanish catalog


@settings(**SETTINGS)
@given(st.lists(st.tuples(st.integers(0, len(ORIGINAL)), st.integers(0, 8),
                          st.binary(min_size=0, max_size=6)), min_size=1, max_size=6))
def test_the_shipped_catalog_with_random_bytes_changed(topic, changes):
    data = bytearray(ORIGINAL)
    for position, removed, inserted in changes:
        position = min(position, len(data))
        data[position:position + removed] = inserted
    outcome(topic, bytes(data))


# -- random structures ------------------------------------------------------------------

CLEAN_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                     max_size=40) | \
    st.sampled_from(["", ".", "\u00a0", "\u200b", "**Pare.**", "[@thomas2000]", "[@nope]",
                     "{page}", "{pages}", "{label.__class__}", "{0}", "{", "}", "![x](y.png)",
                     "[x](https://e.com)", "<b>x</b>", "&nbsp;", "5", "٥", "1,5", "\\", '"',
                     "\n", "\t", "Pare la cinta y agárrese."])
TEXT = CLEAN_TEXT | st.text(max_size=20) | st.sampled_from(["\r", "\x00", "\u2028", "\x1b"])
HEADERS = st.lists(st.sampled_from([
    "Content-Type: text/plain; charset=UTF-8\\n", "Content-Type: text/plain; charset=latin1\\n",
    "Content-Type: text/plain; charset=CHARSET\\n", "Content-Type: text/plain\\n",
    "Language: es\\n", "MIME-Version: 1.0\\n", "Content-Transfer-Encoding: 8bit\\n",
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n", "Plural-Forms: nplurals=x\\n",
    "X-Reviewed-By: A. Translator\\n", "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n",
]), max_size=6)


def quoted(text: str, escape: bool) -> str:
    if not escape:
        return f'"{text}"'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\t", "\\t") + '"'


@st.composite
def entries(draw, clean: bool) -> str:
    text = CLEAN_TEXT if clean else TEXT
    escape = clean or draw(st.booleans())
    lines = []
    for kind in draw(st.lists(st.sampled_from(["#.", "#:", "#, fuzzy", "# ", "#|", "#~"]),
                              max_size=2)):
        if not clean or kind != "#|":
            lines.append(f"{kind} {draw(text)}".replace("\n", " "))
    obsolete = "#~ " if draw(st.integers(0, 9)) == 0 else ""
    context = draw(st.none() | st.sampled_from(CONTEXTS) | text)
    if context is not None:
        lines.append(f"{obsolete}msgctxt {quoted(context, escape)}")
    msgid = draw(st.sampled_from(MSGIDS) | text)
    lines.append(f"{obsolete}msgid {quoted(msgid, escape)}")
    if clean or draw(st.integers(0, 19)):  # now and then an entry without msgstr
        pieces = draw(st.lists(text, min_size=1, max_size=3))
        lines.append(f"{obsolete}msgstr {quoted(pieces[0], escape)}")
        lines += [f"{obsolete}{quoted(piece, escape)}" for piece in pieces[1:]]
    return "\n".join(lines)


@st.composite
def catalogs(draw) -> bytes:
    """Half of them well-formed, so that the checks after parsing are reached too."""
    clean = draw(st.booleans())
    lines = draw(HEADERS)
    if clean:
        lines = ["Content-Type: text/plain; charset=UTF-8\\n"] + [
            line for line in lines if "Content-Type" not in line]
    header = "".join(f'"{line}"\n' for line in lines)
    text = f'msgid ""\nmsgstr ""\n{header}\n' if clean or draw(st.integers(0, 9)) else ""
    text += "\n\n".join(draw(st.lists(entries(clean), max_size=8))) + "\n"
    encoding = "utf-8" if clean else draw(st.sampled_from(["utf-8", "latin-1", "utf-16"]))
    return text.encode(encoding, "replace")


@settings(**SETTINGS)
@given(catalogs())
def test_catalogs_of_random_entries_and_headers(topic, data):
    outcome(topic, data)


@settings(**SETTINGS)
@given(st.dictionaries(st.sampled_from([e.msgctxt or e.msgid for e in SHIPPED if not e.obsolete]),
                       TEXT, min_size=1, max_size=6))
def test_the_shipped_catalog_with_random_translations(topic, translations):
    """Well-formed files whose translations are random text: the checks, not the parser."""
    catalog = polib.pofile(ORIGINAL.decode("utf-8"))
    for entry in catalog:
        if (entry.msgctxt or entry.msgid) in translations:
            entry.msgstr = translations[entry.msgctxt or entry.msgid]
    problems = outcome(topic, str(catalog).encode("utf-8"))
    changed = [e for e in SHIPPED if (e.msgctxt or e.msgid) in translations
               and e.msgstr != translations[e.msgctxt or e.msgid]]
    if any(e.msgctxt and e.msgctxt.startswith("safety.") and "patient" in str(e.comment)
           and not translations[e.msgctxt].strip() for e in changed):
        assert problems  # a blanked patient safety statement never builds
