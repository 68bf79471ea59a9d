"""One catalog of template strings per language (templates/locales/LANG.po), shared by
every topic: a topic's catalog holds its own text, and may override a template string."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import BUNDLED, REPOSITORY, run_build
from handouts.cli import cli
from handouts.i18n.catalogs import template_strings
from readback import pdf_text, squeezed

SECOND = Path(__file__).parent / "topics" / "library-card"


def i18n(runner, *args):
    return runner.invoke(cli, ["i18n", *args], catch_exceptions=False)


def test_topic_catalogs_hold_topic_text_and_the_shared_ones_every_template_string():
    english = {s.msgid for s in template_strings(REPOSITORY / "templates")}
    for language in ("es", "ar", "zh-Hans"):
        topic = polib.pofile(str(BUNDLED / "locales" / f"{language}.po"))
        assert not [e for e in topic if e.msgctxt is None and not e.obsolete], language
        shared = polib.pofile(str(REPOSITORY / "templates" / "locales" / f"{language}.po"))
        assert {e.msgid for e in shared if not e.obsolete} == english, language
    pot = polib.pofile(str(REPOSITORY / "templates" / "locales" / "templates.pot"))
    assert {e.msgid for e in pot} == english  # run: handouts i18n update-templates
    spanish = polib.pofile(str(REPOSITORY / "templates" / "locales" / "es.po"))
    assert all(e.msgstr and "fuzzy" not in e.flags for e in spanish if not e.obsolete)


def test_a_second_topic_translates_no_template_string_again(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SECOND, "library-card")
    result = i18n(runner, "update", "library-card", "--lang", "es")
    assert result.exit_code == 0, result.output
    kept, fuzzy, new, obsolete = map(int, re.search(
        r"(\d+) kept, (\d+) now fuzzy, (\d+) new, (\d+) obsolete", result.output).groups())
    po = polib.pofile("library-card/locales/es.po")
    assert new == len(po) and (kept, fuzzy, obsolete) == (0, 0, 0)
    assert all(e.msgctxt for e in po)  # its own text only
    status = i18n(runner, "status", "library-card", "--lang", "es")
    assert "template string" not in status.output  # none of them is left to do
    assert not re.search(r"templates/\S+: missing", status.output)
    assert f"{new} entries to do" in status.output, status.output


def test_a_topic_may_override_a_template_string_and_update_keeps_the_override(runner, topic):
    catalog = topic.path("locales/es.po")
    with catalog.open("a", encoding="utf-8") as file:
        file.write('\nmsgid "Your plan"\nmsgstr "Su plan de ejercicio"\n')
    result = i18n(runner, "update", "backwards-walking", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "0 obsolete" in result.output
    override = [e for e in polib.pofile(str(catalog)) if e.msgid == "Your plan"]
    assert [(e.msgstr, e.obsolete) for e in override] == [("Su plan de ejercicio", False)]
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es", "--paper", "letter")
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text(Path("out/backwards-walking/es/backwards-walking-patient.pdf")))
    assert squeezed("Su plan de ejercicio") in text


def test_update_templates_merges_the_shared_catalog_and_leaves_topics_alone(runner, topic):
    shutil.copytree(REPOSITORY / "templates", "templates")
    strings = Path("templates/slides/strings.yaml")
    strings.write_text(strings.read_text("utf-8").replace(
        "quiz: Check your understanding", "quiz: Check what you understood"), "utf-8")
    before = topic.path("locales/es.po").read_bytes()
    result = i18n(runner, "update-templates", "--lang", "es", "--templates", "templates")
    assert result.exit_code == 0, result.output
    assert "1 now fuzzy, 0 new, 0 obsolete" in result.output
    assert "English was 'Check your understanding'; now 'Check what you understood'" in \
        result.output
    old = next(e.msgstr for e in polib.pofile(str(REPOSITORY / "templates/locales/es.po"))
               if e.msgid == "Check your understanding")
    entry = next(e for e in polib.pofile("templates/locales/es.po")
                 if e.msgid == "Check what you understood")
    assert "fuzzy" in entry.flags and entry.msgstr == old  # kept for the translator
    assert topic.path("locales/es.po").read_bytes() == before
    # a fuzzy shared string stops the deck unless partial, naming the shared catalog
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "es", "--templates", "templates")
    assert result.exit_code == 1
    assert "templates/locales/es.po: the es translation of the template string " \
        "'Check what you understood'" in result.output


def test_a_flawed_shared_catalog_names_its_file_and_line(runner, topic):
    shutil.copytree(REPOSITORY / "templates", "templates")
    shared = Path("templates/locales/es.po")
    text = shared.read_text("utf-8")
    shared.write_text(text.replace('msgstr "Página {page} de {pages}"',
                                   'msgstr "Página {page.__class__} de {pages}"'), "utf-8")
    line = next(i for i, row in enumerate(shared.read_text("utf-8").splitlines(), start=1)
                if "{page.__class__}" in row)
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "patient",
                       "--lang", "es", "--templates", "templates")
    assert result.exit_code == 1
    assert f"templates/locales/es.po:{line}: the es translation of the template string " \
        "'Page {page} of {pages}' has the placeholder {page.__class__}" in result.output


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed; "
                    "the set-up (scripts/install-system-packages) installs it")
@pytest.mark.parametrize("name", ["es.po", "ar.po", "zh-Hans.po", "templates.pot"])
def test_shared_catalogs_pass_msgfmt_and_survive_a_msgcat_round_trip(tmp_path, name):
    path = REPOSITORY / "templates" / "locales" / name
    if name.endswith(".po"):
        subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(path)],
                       check=True, capture_output=True)
    subprocess.run(["msgcat", "-o", str(tmp_path / name), str(path)], check=True)
    assert (tmp_path / name).read_bytes() == path.read_bytes()
