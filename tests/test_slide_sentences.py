"""Where a slide may cut a bullet: only between sentences, in every language of the decks."""

from __future__ import annotations

import pytest

from handouts.model.inline import Run
from handouts.render.pptx.sentences import cut, sentence_ends, sentences


def split(text: str) -> list[str]:
    """The sentences of `text`, as the slide would show them."""
    return ["".join(run.text for run in part) for part in sentences([Run(text)])]


def test_a_full_stop_question_or_exclamation_mark_ends_a_sentence():
    assert split("Hold the rails. Is it safe? Stop now! Rest.") == \
        ["Hold the rails.", "Is it safe?", "Stop now!", "Rest."]


@pytest.mark.parametrize("text", [
    "Walk slowly, e.g. Beside a rail, with a spotter.",
    "Use a harness, i.e. A body-weight support system.",
    "Cha et al. Found better balance after four weeks.",
    "Forward vs. Backward walking was compared.",
    "Dr. Thomas measured the energy cost.",
    "See No. 4 in the list of references.",
    "The review by M. VanNostrand covers falls.",
    "Speed rose from 1.5 to 2.0 km/h over the weeks.",
    "Rest (see Fig. 2. Then continue) and repeat.",
    'The sign said "Stop. Call for help." in red letters.',
    "It may help. it is not proven.",  # a lower-case word does not start a sentence
    "Caminar, p. ej. Con barandillas, es más seguro.",
])
def test_no_sentence_ends_at_an_abbreviation_a_decimal_or_inside_brackets(text):
    assert sentence_ends(text) == []


def test_no_is_an_abbreviation_only_before_a_number_with_its_capital():
    assert split("El paciente dijo que no. Después siguió caminando.") == \
        ["El paciente dijo que no.", "Después siguió caminando."]


def test_a_citation_marker_stays_with_the_sentence_before_it():
    assert split("Balance improved [2]. Pain fell. [3] Gait improved. [1, 4] Falls were rare.") \
        == ["Balance improved [2].", "Pain fell. [3]", "Gait improved. [1, 4]",
            "Falls were rare."]


def test_a_dagger_or_a_closing_quote_stays_with_its_sentence():
    assert split("Less stress on the knee.† Greater quadriceps activation.”” Next.") == \
        ["Less stress on the knee.†", "Greater quadriceps activation.””", "Next."]


def test_spanish_questions_and_exclamations_open_with_inverted_marks():
    assert split("¿Es seguro caminar hacia atrás? Sí, con barandillas. ¡Pare si se marea! "
                 "Avise al equipo.") == \
        ["¿Es seguro caminar hacia atrás?", "Sí, con barandillas.", "¡Pare si se marea!",
         "Avise al equipo."]


def test_chinese_sentences_end_at_full_width_stops_without_a_space():
    assert split("请扶好扶手。慢慢开始！感到头晕吗？请停下。") == \
        ["请扶好扶手。", "慢慢开始！", "感到头晕吗？", "请停下。"]


def test_arabic_sentences_end_at_the_arabic_question_mark_and_the_full_stop():
    assert split("هل المشي إلى الخلف آمن؟ نعم، مع الدرابزين. توقف إذا شعرت بالدوار.") == \
        ["هل المشي إلى الخلف آمن؟", "نعم، مع الدرابزين.", "توقف إذا شعرت بالدوار."]


def test_a_bold_run_in_label_stays_with_the_sentence_it_introduces():
    runs = [Run("Source discrepancy.", bold=True), Run(" The article says two. It lists one.")]
    parts = sentences(runs)
    assert [[(r.text, r.bold) for r in part] for part in parts] == [
        [("Source discrepancy.", True), (" The article says two.", False)],
        [("It lists one.", False)]]


def test_cutting_keeps_each_runs_bold_italic_and_link():
    runs = [Run("Walk "), Run("slowly", bold=True), Run(". Then "), Run("stop", italic=True),
            Run(". See "), Run("doi:10.1/x", link="https://doi.org/10.1/x"), Run(".")]
    parts = sentences(runs)
    assert parts == [
        [Run("Walk "), Run("slowly", bold=True), Run(".")],
        [Run("Then "), Run("stop", italic=True), Run(".")],
        [Run("See "), Run("doi:10.1/x", link="https://doi.org/10.1/x"), Run(".")]]


def test_the_sentences_joined_give_back_the_paragraph():
    text = ("In knee osteoarthritis, walking backward reduced pain [3]. It was an adjunct, "
            "e.g. to strengthening. Was it alone? No. 2019 saw one review. Done.")
    joined = " ".join(split(text))
    assert joined == text and len(split(text)) == 5


def test_cut_drops_only_the_space_at_each_cut():
    runs = [Run("One. "), Run("Two.", bold=True), Run(" Three.")]
    assert cut(runs, [4, 9]) == [[Run("One.")], [Run("Two.", bold=True)], [Run("Three.")]]
