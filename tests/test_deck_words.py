"""Slides for presenting: about forty words a slide, few lone bullets, a bullet cut only
between its sentences.

The decks of the bundled topic are built by the command line and read back with
python-pptx: each section's bullets, in order, must give back the section's
paragraphs, a paragraph cut only where a sentence ends, every citation marker on
the bullet of its sentence, bold and italic kept.
"""

from __future__ import annotations

import re

import pytest
from pptx import Presentation

from conftest import BUNDLED
from handouts.assets.locations import default_templates
from handouts.load.folder import load_document
from handouts.model.inline import Run, plain_text
from handouts.model.markers import MAX_BULLETS, MAX_WORDS, WORD_CEILING
from handouts.plan.selection import select
from handouts.render.pptx.deck import deck_strings
from handouts.render.pptx.planner import Paragraph, Planner
from handouts.render.pptx.sentences import sentences
from handouts.render.pptx.template import open_template

FIFTEEN = "Walk backward on the treadmill with both hands on the rails and a spotter near you."


@pytest.fixture(scope="module")
def planner():
    view = select(load_document(BUNDLED).document, "trainer")
    templates = default_templates()
    _, layouts = open_template(view, templates, None)
    return Planner(view, deck_strings(view, templates), layouts)


def bullets(count: int, text: str = FIFTEEN) -> list[Paragraph]:
    return [Paragraph([Run(text)]) for _ in range(count)]


def words(slide) -> int:
    return sum(len(p.text.split()) for p in slide.body)


def test_a_slide_holds_about_forty_words():
    assert len(FIFTEEN.split()) == 16


def test_sections_continue_when_they_pass_forty_words(planner):
    slides = planner.fit("section", "Guarding", bullets(6), "notes")
    assert [len(s.body) for s in slides] == [2, 2, 2]
    assert all(words(s) <= MAX_WORDS for s in slides)


def test_a_slide_may_stretch_to_the_ceiling_rather_than_leave_a_lone_bullet(planner):
    slides = planner.fit("section", "Guarding", bullets(3), "notes")
    assert [len(s.body) for s in slides] == [3]  # 48 words, not 2 + a lone bullet
    assert MAX_WORDS < words(slides[0]) <= WORD_CEILING


def test_a_long_paragraph_continues_on_the_next_slide_between_two_sentences(planner):
    long = " ".join([FIFTEEN] * 5)
    slides = planner.fit("section", "Guarding", [Paragraph([Run(long)], divisible=True)],
                         "notes")
    assert len(slides) > 1
    parts = [p.text for slide in slides for p in slide.body]
    assert " ".join(parts) == long
    assert all(part.endswith("you.") for part in parts)
    assert [words(slide) for slide in slides] == [48, 32]  # 3 + 2 sentences, not 2 + 2 + 1
    assert all(words(slide) <= WORD_CEILING for slide in slides)
    assert all(len(slide.body) > 1 for slide in slides)  # no slide with one bullet


def test_a_paragraph_that_fits_is_not_cut(planner):
    paragraph = Paragraph([Run(FIFTEEN + " " + FIFTEEN)], divisible=True)
    (slide,) = planner.fit("section", "Guarding", [paragraph], "notes")
    assert [p.text for p in slide.body] == [paragraph.text]


def test_a_long_section_cuts_no_paragraph_that_needs_no_cut(planner):
    """Twenty-four paragraphs of two sentences, fifteen words: cut, they would fill fewer
    slides, but none is too long or alone, so every slide holds two whole paragraphs."""
    halves = ("Walk backward on the treadmill slowly.",
              "Keep both hands on the rails at all times.")
    paragraph = Paragraph([Run(" ".join(halves))], divisible=True)
    slides = planner.fit("section", "Guarding", [paragraph] * 24, "notes")
    assert [[p.text for p in slide.body] for slide in slides] == [[paragraph.text] * 2] * 12


def test_a_statement_that_is_not_divisible_is_never_cut(planner):
    long = " ".join([FIFTEEN] * 5)
    slides = planner.fit("section", "Guarding", [Paragraph([Run(long)])], "notes")
    assert len(slides) == 1 and slides[0].body[0].text == long


def test_a_long_safety_statement_stays_one_bullet(runner, topic):
    """A statement of six sentences and a hundred words is never cut, however long."""
    from conftest import run_build

    added = (" Ask about dizziness, recent falls and any change of medication since the "
             "last visit. Check that the patient can stand without help for one full minute. "
             "Write down what you found before the first session starts, and tell the team. "
             "Repeat the screening whenever the patient's condition changes between sessions. "
             "Stop the session at once if the patient reports pain, dizziness or shortness "
             "of breath, and ask the supervising therapist before you continue.")
    topic.edit("backwards-walking.md", "they walk backward only with safeguards.",
               "they walk backward only with safeguards." + added)
    result = run_build(runner, str(topic.folder), "--out", "out", "--audience", "trainer",
                       "--lang", "en")
    assert result.exit_code == 0, result.output
    deck = Presentation("out/backwards-walking/en/backwards-walking-slides.pptx")
    shown = [p.text for slide in deck.slides for shape in slide.placeholders
             if shape.has_text_frame for p in shape.text_frame.paragraphs]
    statement = [text for text in shown if "Screen before starting" in text]
    assert [_flat(text) for text in statement] == [_flat(
        "Screen before starting: identify patients who are frail or elderly or whose "
        "mobility is compromised; they walk backward only with safeguards." + added)]
    assert not any(text.startswith("Ask about dizziness") for text in shown)


def test_the_safety_protocol_keeps_every_statement_on_one_slide(planner):
    view = planner.view
    section = next(s for s in view.sections if s.id == "guarding")
    slides = planner.section_slides(section)
    assert len(slides) == 1 and slides[0].second


def test_references_fill_each_slide_before_the_next():
    from handouts.render.pptx.fit import Box
    from handouts.render.pptx.planner import Packing
    packing = Packing(Box(width=600, height=120), limit=7, words=None)
    chunks = packing.filled(bullets(7), 14)
    assert len(chunks) > 1
    for chunk, following in zip(chunks, chunks[1:]):
        assert not packing.fits(chunk + following[:1], 14)  # the next one did not fit


def test_the_bundled_references_are_at_least_14_pt_on_as_few_slides_as_fit(planner):
    slides = planner.reference_slides()
    assert all(slide.size >= 14 for slide in slides)
    assert len(slides) == 1


def test_a_title_too_long_for_its_placeholder_is_set_smaller(planner):
    from handouts.render.pptx.planner import TITLE_FLOOR, PlannedSlide
    short = PlannedSlide("section", "Mechanism")
    long = PlannedSlide("section", "Protocolo de seguridad y protección para la marcha hacia "
                                   "atrás en cinta rodante con arnés (cont.)")
    assert planner.title_size(short) is None
    assert TITLE_FLOOR <= planner.title_size(long) < 36


# The bundled decks, built by the command line and read back.

STOP = re.compile(r"[.?!。？！؟](?:[†‡\"”’»)\]]|\s*\[\d+(?:, \d+)*\])*$")  # a sentence's end
CONTINUED = " (cont.)"


@pytest.fixture(scope="module", params=["default", "plain-4-3"])
def decks(request, tmp_path_factory):
    """language -> (the saved deck read back, the trainer's view in that language)."""
    from click.testing import CliRunner
    from deck_templates import plain_4_3

    from handouts.cli import cli

    root = tmp_path_factory.mktemp(request.param)
    args = ["build", str(BUNDLED), "--out", str(root / "out"), "--audience", "trainer",
            "--lang", "en", "--lang", "es"]
    if request.param == "plain-4-3":
        args += ["--template", str(plain_4_3(root / "plain.pptx"))]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = root / "out" / "backwards-walking"
    return {language: (Presentation(out / language / "backwards-walking-slides.pptx"),
                       _view(language)) for language in ("en", "es")}


def _view(language: str):
    from handouts.i18n.translate import translate

    document = load_document(BUNDLED).document
    if language == "en":
        return select(document, "trainer")
    translated = translate(document, "trainer", language, default_templates(), False)
    return select(translated.document, "trainer", language, translated.translation)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown_runs(paragraph) -> list[Run]:
    """A slide paragraph's runs as the presenter sees them: text, bold, italic."""
    return [Run(r.text, bool(r.font.bold), bool(r.font.italic)) for r in paragraph.runs]


def _section_bullets(deck, title: str) -> list[list[list[Run]]]:
    """Per slide of the section titled `title` (and its continuations): its bullets' runs."""
    slides = []
    for slide in deck.slides:
        if slide.shapes.title is None or slide.shapes.title.text not in (
                title, title + CONTINUED):
            continue
        bodies = sorted((s for s in slide.placeholders if s.placeholder_format.idx in (1, 2)),
                        key=lambda s: s.placeholder_format.idx)
        slides.append([_shown_runs(p) for body in bodies if body.has_text_frame
                       for p in body.text_frame.paragraphs if p.text.strip()])
    return slides


def _source_paragraphs(view, section) -> list[tuple[list[Run], bool]]:
    """A section's paragraphs, list items and statements as runs; True for a safety statement."""
    from handouts.model import Block, SafetyStatement
    from handouts.model.inline import inline_runs
    from handouts.model.markers import slide_citation

    def cite(keys):
        return slide_citation([view.numbers[k] for k in keys])

    return [(inline_runs(unit.text, cite), isinstance(item, SafetyStatement))
            for item in section.content
            if not (isinstance(item, Block) and item.kind == "image") for unit in item.units]


def _text(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def _styled(runs: list[Run]) -> list[tuple[str, bool, bool]]:
    """Each visible character with its bold and italic: how formatting is compared."""
    return [(char, run.bold, run.italic) for run in runs for char in run.text
            if not char.isspace()]


def _sections(decks):
    for language, (deck, view) in decks.items():
        for section in view.sections:
            title = plain_text(section.title.text)
            yield language, section.id, _section_bullets(deck, title), \
                _source_paragraphs(view, section)


def _grouped(shown: list[list[Run]], source: list[tuple[list[Run], bool]]):
    """The shown bullets in order, grouped as the source paragraphs they come from."""
    groups, position = [], 0
    for runs, _ in source:
        want, group = _flat(_text(runs)), []
        while position < len(shown) and _flat(" ".join(_text(p) for p in group)) != want:
            group.append(shown[position])
            position += 1
        assert _flat(" ".join(_text(p) for p in group)) == want, (want, group)
        groups.append(group)
    assert position == len(shown)  # nothing shown that is not in the source
    return groups


def test_every_section_gives_back_its_paragraphs_in_order_word_for_word(decks):
    for language, section, slides, source in _sections(decks):
        assert slides, (language, section)
        _grouped([bullet for slide in slides for bullet in slide], source)


def test_a_bullet_is_cut_only_where_a_sentence_ends(decks):
    cut = 0
    for language, section, slides, source in _sections(decks):
        groups = _grouped([bullet for slide in slides for bullet in slide], source)
        for (runs, safety), parts in zip(source, groups):
            if len(parts) == 1:
                continue
            cut += 1
            assert not safety, (language, section, _text(runs))  # never a safety statement
            for before, after in zip(parts, parts[1:]):
                assert STOP.search(_text(before).rstrip()), (language, _text(before))
                assert not _text(after).lstrip()[0].islower(), (language, _text(after))
            assert _styled(runs) == [c for part in parts for c in _styled(part)]  # bold kept
    assert cut  # the bundled decks do cut their long paragraphs


def test_every_citation_marker_is_on_the_bullet_of_its_sentence(decks):
    marker = re.compile(r"^\s*\[\d+(?:, \d+)*\]")
    for language, section, slides, source in _sections(decks):
        for slide in slides:
            for bullet in slide:
                assert not marker.match(_text(bullet)), (language, section, _text(bullet))


def test_slides_hold_six_bullets_and_about_forty_words(decks):
    for language, section, slides, _ in _sections(decks):
        for bullets in slides:
            assert len(bullets) <= MAX_BULLETS, (language, section)
            words = sum(len(_text(b).split()) for b in bullets)
            one_sentence = len(bullets) == 1 and len(sentences(bullets[0])) == 1
            assert words <= WORD_CEILING or one_sentence or section == "guarding", (
                language, section, words)


def test_a_continuation_slide_holds_one_bullet_only_when_it_cannot_share(decks):
    """One bullet alone on a (cont.) slide is one sentence too long to share a slide with
    the sentence next to it on the slide before or after."""
    for language, section, slides, _ in _sections(decks):
        for number, bullets in enumerate(slides[1:], start=1):
            if len(bullets) != 1:
                continue
            (alone,) = sentences(bullets[0])
            neighbours = [sentences(slides[number - 1][-1])[-1]]
            if number + 1 < len(slides):
                neighbours.append(sentences(slides[number + 1][0])[0])
            nearest = min(len(_text(n).split()) for n in neighbours)
            assert len(_text(alone).split()) + nearest > MAX_WORDS, (language, section)


def test_every_slide_of_a_section_carries_the_sections_notes(decks):
    for deck, _ in decks.values():
        notes = {}
        for slide in deck.slides:
            title = slide.shapes.title.text.removesuffix(CONTINUED) if slide.shapes.title else ""
            text = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
            notes.setdefault(title, set()).add(text)
        assert all(len(texts) == 1 for texts in notes.values()), notes
