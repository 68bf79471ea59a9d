"""Readability of an output's prose, per language, and the gates on it.

English: Flesch-Kincaid grade and SMOG (textstat), gated by `max_grade`.
Spanish: Szigriszt-Pazos (INFLESZ scale) and Fernández-Huerta (textstat),
gated by `min_inflesz` (65 = "bastante fácil"). Languages without a
validated formula here report mean sentence length only.
Only running prose counts (paragraphs, list items, safety wording, the
purpose line): headings and fill-in labels are fragments that would make
any formula meaningless.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem
from ..model.inline import plain_text
from ..model import Block, Unit, View
from .pronunciations import only_the_words_of

PROSE_KINDS = ("paragraph", "bullets", "steps")
SENTENCE_END = re.compile(r"[.!?。！？؟]+")
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"),
                 (40, "algo difícil"), (0, "muy difícil"))


@dataclass(frozen=True)
class Readability:
    language: str
    scores: dict[str, float]  # name -> value, e.g. {"Flesch-Kincaid grade": 4.3}
    words: int
    sentences: int
    hardest: tuple[tuple[Unit, float], ...]  # units that read hardest, with their score

    def summary(self) -> str:
        scores = ", ".join(f"{name} {value:.1f}" for name, value in self.scores.items())
        band = ""
        if "INFLESZ" in self.scores:
            band = f" ({inflesz_band(self.scores['INFLESZ'])})"
        return f"{scores}{band} ({self.words} words, {self.sentences} sentences)"


def inflesz_band(score: float) -> str:
    return next(name for floor, name in INFLESZ_BANDS if score >= floor)


def prose_units(view: View) -> list[Unit]:
    units = [view.settings.purpose] if view.settings.purpose else []
    for section in view.sections:
        for item in section.content:
            blocks = item.blocks if not isinstance(item, Block) else (item,)
            units += [u for b in blocks if b.kind in PROSE_KINDS for u in b.units]
    return units


def _as_sentences(units: list[Unit]) -> str:
    texts = (plain_text(u.text) for u in units)
    return " ".join(t if re.search(r"[.!?:。！？؟]$", t) else t + "." for t in texts if t)


def measure(view: View) -> Readability:
    units = prose_units(view)
    language = view.language.split("-")[0]
    if language in ("en", "es"):
        return _textstat(units, language)
    return _sentence_length(units, language)


def _textstat(units: list[Unit], language: str) -> Readability:
    import textstat  # 0.2 s to import; only builds that measure readability pay it

    textstat.set_lang(language)
    if language == "en":
        scorers = {"Flesch-Kincaid grade": textstat.flesch_kincaid_grade,
                   "SMOG": textstat.smog_index}
        hardest_first = -1  # a higher grade reads harder
    else:
        scorers = {"INFLESZ": textstat.szigriszt_pazos,
                   "Fernández-Huerta": textstat.fernandez_huerta}
        hardest_first = 1  # a lower ease score reads harder
    first = next(iter(scorers.values()))
    text = _as_sentences(units)
    graded = sorted(((u, first(_as_sentences([u]))) for u in units),
                    key=lambda pair: hardest_first * pair[1])
    return Readability(language, {name: round(score(text), 2) for name, score in scorers.items()},
                       textstat.lexicon_count(text), textstat.sentence_count(text),
                       tuple(graded[:3]))


def _sentence_length(units: list[Unit], language: str) -> Readability:
    text = _as_sentences(units)
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    if language in ("zh", "ja"):
        words = len(re.findall(r"[\u3400-\u9fff]", text))  # characters stand for words
        name = "characters per sentence"
    else:
        words = len(text.split())
        name = "words per sentence"
    return Readability(language, {name: round(words / max(len(sentences), 1), 1)}, words,
                       len(sentences), ())


def gate(view: View, result: Readability) -> list[Problem]:
    """A problem when the prose reads harder than the audience's limit for its language."""
    settings = view.settings
    if result.language == "en" and settings.max_grade is not None \
            and result.scores["Flesch-Kincaid grade"] > settings.max_grade:
        what = (f"Flesch-Kincaid grade {result.scores['Flesch-Kincaid grade']:.1f}, above the "
                f"max_grade {settings.max_grade:g}")
    elif result.language == "es" and settings.min_inflesz is not None \
            and result.scores["INFLESZ"] < settings.min_inflesz:
        what = (f"INFLESZ {result.scores['INFLESZ']:.1f} ({inflesz_band(result.scores['INFLESZ'])}"
                f"), below the min_inflesz {settings.min_inflesz:g}")
    else:
        return []
    hardest, _ = result.hardest[0]
    label = "grade" if result.language == "en" else "INFLESZ"
    others = "; ".join(f"{u.location} {label} {score:.1f}" for u, score in result.hardest)
    return [Problem(hardest.location, f"the {view.audience} prose [{view.language}] reads at "
                    f"{what} set in topic.yaml",
                    f"use shorter sentences and shorter words; hardest first: {others}")]


SENTENCE_BREAK = re.compile(r"(?<=[.!?。！？؟])\s+")
WORDLESS_SCRIPTS = ("zh", "ja")  # no spaces between words: a words limit means nothing


@dataclass(frozen=True)
class HardSentence:
    """A sentence above the per-sentence ceiling: where it is, how hard, and why."""

    unit: Unit
    text: str
    words: int
    grade: float | None  # Flesch-Kincaid grade (English only)
    longest: tuple[str, ...]  # its longest words, the first to replace


def hard_sentences(view: View, max_grade: float | None,
                   max_words: int | None) -> list[HardSentence]:
    """Sentences of the prose above a grade or a length: an average hides them.

    A grade-22 sentence passes inside a grade-5 handout when only the whole
    text is measured; a patient who meets it still cannot read it.
    """
    language = view.language.split("-")[0]
    grade_of = _sentence_grade if language == "en" and max_grade is not None else None
    if language in WORDLESS_SCRIPTS:
        max_words = None
    found = []
    for unit in prose_units(view):
        for sentence in SENTENCE_BREAK.split(plain_text(unit.text)):
            words = sentence.split()
            if not words:
                continue
            grade = grade_of(sentence) if grade_of else None
            too_hard = grade is not None and grade > max_grade
            too_long = max_words is not None and len(words) > max_words
            if too_hard or too_long:
                longest = sorted({w.strip(".,;:!?()\"'") for w in words},
                                 key=lambda w: (-len(w), w.lower()))[:3]
                found.append(HardSentence(unit, sentence, len(words), grade, tuple(longest)))
    return found


def _sentence_grade(sentence: str) -> float:
    import textstat

    textstat.set_lang("en")
    return textstat.flesch_kincaid_grade(sentence if sentence[-1] in ".!?" else sentence + ".")


def sentence_problems(view: View) -> list[Problem]:
    """A problem for each sentence above the audience's ceilings in topic.yaml."""
    max_grade = view.settings.max_sentence_grade
    max_words = view.settings.max_sentence_words
    problems = []
    for hard in hard_sentences(view, max_grade, max_words):
        quoted = hard.text if len(hard.text) <= 80 else hard.text[:79] + "…"
        what = []
        if hard.grade is not None and hard.grade > max_grade:
            what.append(f"reads at grade {hard.grade:.1f}, above the sentence ceiling of grade "
                        f"{max_grade:g} (max_sentence_grade)")
        if max_words is not None and hard.words > max_words:
            what.append(f"has {hard.words} words, over the limit of {max_words} "
                        "(max_sentence_words)")
        problems.append(Problem(hard.unit.location,
                                f"a {view.audience} sentence [{view.language}] "
                                + " and ".join(what) + f": \"{quoted}\"",
                                "split it, or use shorter words; its longest: "
                                + ", ".join(hard.longest)))
    return problems


def measure_views(views: list[View]) -> tuple[dict[tuple[str, str], Readability], list[Problem]]:
    """Readability of each (audience, language) among these views, and the gates' problems.

    Only the patient's prose, and prose whose audience sets a gate, is measured.
    """
    results: dict[tuple[str, str], Readability] = {}
    problems: list[Problem] = []
    measured = []
    for view in views:
        key = (view.audience, view.language)
        settings = view.settings
        gated = any(limit is not None for limit in (
            settings.max_grade, settings.min_inflesz, settings.max_sentence_grade,
            settings.max_sentence_words))
        if key not in results and (gated or view.audience == "patient"):
            results[key] = None
            measured.append(view)
    english = [plain_text(u.text) for view in measured if view.language.split("-")[0] == "en"
               for u in prose_units(view)]
    with only_the_words_of(english):
        for view in measured:
            results[(view.audience, view.language)] = measure(view)
            problems += gate(view, results[(view.audience, view.language)])
            problems += sentence_problems(view)
    return results, problems
