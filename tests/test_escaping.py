"""One escaping rule: every string from a user file is printed as text, never as markup."""

from __future__ import annotations

from conftest import run_build
from readback import pdf_text, squeezed

SPANISH = ("--lang", "es", "--audience", "patient", "--paper", "letter")
HANDOUT = "out/backwards-walking/es/backwards-walking-patient.pdf"


def override(topic, msgid: str, msgstr: str) -> None:
    """A template string translated in the topic's own catalog, over the shared one."""
    with topic.path("locales/es.po").open("a", encoding="utf-8") as catalog:
        catalog.write(f'\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n')


def test_markup_in_a_translated_template_string_is_refused(runner, topic):
    """A translator's <style> once turned every box of the handout white."""
    override(topic, "Your plan", "Su plan <style>*{color:#fff}</style>")
    result = run_build(runner, "backwards-walking", "--out", "out", *SPANISH)
    assert result.exit_code == 1
    assert "backwards-walking/locales/es.po:" in result.output and "Your plan" in result.output
    assert not (topic.root / "out" / "backwards-walking").exists()


def test_the_renderer_prints_any_translation_as_text(tmp_path):
    """Behind the catalog check, the templates escape what a translation says."""
    from handouts.render.pdf.html import environment

    (tmp_path / "t.html.j2").write_text('<p>{{ _("Your plan") }}</p>', "utf-8")
    env = environment(tmp_path, (tmp_path / "es.po", 1), lambda text: "<b>Su plan</b> 100%")
    assert env.get_template("t.html.j2").render() == "<p>&lt;b&gt;Su plan&lt;/b&gt; 100%</p>"


def test_a_percent_sign_in_a_translated_template_string_is_just_a_character(runner, topic):
    override(topic, "Your plan", "Su plan (100%)")
    result = run_build(runner, "backwards-walking", "--out", "out", *SPANISH)
    assert result.exit_code == 0, result.output
    assert squeezed("Su plan (100%)") in squeezed(pdf_text(HANDOUT))


def test_markup_in_a_reference_title_prints_as_text(runner, topic):
    topic.edit("references.json", '"title": "The effectiveness of backward walking',
               '"title": "<style>p{color:#fff}</style> The effectiveness of backward walking')
    result = run_build(runner, "backwards-walking", "--out", "out", "--lang", "en",
                       "--audience", "clinician", "--paper", "letter")
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text("out/backwards-walking/en/backwards-walking-clinician.pdf"))
    assert squeezed("<style>p{color:#fff}</style> The effectiveness of backward walking") in text
