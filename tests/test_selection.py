"""Selection: which sections each audience sees, in which order, and how references are numbered.

Tiny topics are written to a temporary folder and loaded; nothing is rendered.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts.errors import Location
from handouts.load.folder import load_document
from handouts.model import Section, Unit, audience_sections
from handouts.plan.selection import (brief_order, evidence_table_after, first_citation_order,
                                     reference_order, select)

TOPIC_YAML = """\
id: tiny
version: "1"
review_date: 2026-01-01
owner: Test Team
audiences:
  patient:
    title: For patients
  clinician:
    title: For clinicians
  trainer:
    title: For trainers
evidence:
  scale: Oxford CEBM 2011
  studies:
{studies}
training:
  objectives:
    - Know the evidence.
  questions:
    - question: Why?
      answer: Because.
"""

STUDY = """\
    - reference: {key}
      design: Trial
      population: Adults
      intervention: Walking
      finding: Better
      limitation: Small
      level: "2"
"""

# Document order differs from the brief's reading order on purpose: the bottom line
# (.summary) and the precautions come last in the file but open the brief.
MARKDOWN = """\
## Introduction {#intro}

Everyone reads this [@e2020].

::: notes
Say it.
:::

## For you {#yours .patient}

Patients read this [@d2020] and this [@a2020].

## Background {#background .clinician .trainer}

Background [@c2020].

::: notes
Say it.
:::

## What the evidence shows {#evidence .clinician .trainer .evidence}

Evidence [@b2020].

::: notes
Say it.
:::

## Indications {#indications .clinician .trainer}

Indications [@h2020].

::: notes
Say it.
:::

## Bottom line {#bottom .clinician .summary}

The bottom line [@a2020].

## Precautions {#precautions .clinician .precautions}

Be careful [@d2020].

## Only on the slides {#deck .trainer}

The deck alone cites this [@f2020] and then this [@i2020], and again [@c2020].

::: notes
Say it.
:::
"""

KEYS = ("a2020", "b2020", "c2020", "d2020", "e2020", "f2020", "g2020", "h2020", "i2020")


def write_topic(root: Path, markdown: str = MARKDOWN, studies: tuple[str, ...] = ("g2020", "b2020"),
                audiences: str | None = None) -> Path:
    folder = root / "tiny"
    folder.mkdir()
    yaml = TOPIC_YAML.format(studies="".join(STUDY.format(key=key) for key in studies))
    if audiences is not None:
        yaml = yaml.replace(yaml[yaml.index("audiences:"):yaml.index("evidence:")], audiences)
    (folder / "topic.yaml").write_text(yaml, "utf-8")
    (folder / "tiny.md").write_text(markdown, "utf-8")
    references = [{"id": key, "type": "article-journal", "title": f"Study {key}",
                   "container-title": "Journal of Tests", "issued": {"date-parts": [[2020]]},
                   "DOI": f"10.1000/{key}"} for key in KEYS]
    (folder / "references.json").write_text(json.dumps(references, indent=1), "utf-8")
    return folder


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    loaded = load_document(write_topic(tmp_path_factory.mktemp("selection")))
    assert [p for p in loaded.warnings if "cited nowhere" not in p.message] == []
    return loaded.document


def keys(view) -> list[str]:
    return [ref.key for ref in view.references]


# -- numbering -------------------------------------------------------------------

def test_patient_handout_numbers_by_first_citation(document):
    view = select(document, "patient")
    assert keys(view) == ["e2020", "d2020", "a2020"]  # the evidence table is not on the handout


def test_brief_numbers_in_its_reading_order_with_the_table_where_it_stands(document):
    view = select(document, "clinician")
    # Bottom line, precautions, then the rest in file order; the table's rows (g, b) are
    # numbered right after the .evidence section, before what the indications cite (h).
    assert keys(view) == ["a2020", "d2020", "e2020", "c2020", "b2020", "g2020", "h2020"]


def test_deck_numbers_in_its_own_reading_order(document):
    """Slides in file order, the table's rows (g, b) right after the .evidence section:
    the numbers rise as the presenter goes on. The brief keeps its own numbering."""
    deck = select(document, "trainer")
    assert deck.evidence_after == "evidence"
    assert keys(deck) == ["e2020", "c2020", "b2020", "g2020", "h2020", "f2020", "i2020"]
    assert select(document, "clinician").numbers["e2020"] != deck.numbers["e2020"]


DECK_ONLY = """\
## Introduction {#intro}

Everyone reads this [@e2020].

::: notes
Say it.
:::

## What the evidence shows {#evidence .trainer .evidence}

Evidence [@b2020].

::: notes
Say it.
:::

## Only on the slides {#deck .trainer}

The deck cites this [@f2020] and [@e2020].

::: notes
Say it.
:::
"""


def test_without_a_brief_the_deck_numbers_by_its_own_first_citation(tmp_path):
    audiences = "audiences:\n  patient:\n    title: P\n  trainer:\n    title: T\n"
    document = load_document(write_topic(tmp_path, DECK_ONLY, audiences=audiences)).document
    # In file order; the table's row cited nowhere else (g) is numbered where the table
    # stands, right after the .evidence section.
    assert keys(select(document, "trainer")) == ["e2020", "b2020", "g2020", "f2020"]


@pytest.mark.parametrize("audience", ["patient", "clinician", "trainer"])
def test_view_numbers_are_the_references_numbered_from_one(document, audience):
    view = select(document, audience)
    assert view.numbers == {ref.key: n for n, ref in enumerate(view.references, start=1)}
    assert list(view.numbers.values()) == list(range(1, len(view.references) + 1))
    assert [view.numbers[ref.key] for ref in view.references] == list(view.numbers.values())
    assert all(ref is document.references[ref.key] for ref in view.references)


def test_reference_order_is_what_select_numbers(document):
    for audience in ("patient", "clinician", "trainer"):
        view = select(document, audience)
        assert reference_order(document, audience, view.sections) == keys(view)


def test_first_citation_order_seeds_then_citations_then_extras():
    def unit(text: str) -> Unit:
        return Unit("u", text, Location("t.md", 1))

    units = [unit("One [@b; @a]."), unit("Two [@c] and [@a]."), unit("No citation.")]
    assert first_citation_order(units) == ["b", "a", "c"]
    assert first_citation_order(units, extra=["d", "a"]) == ["b", "a", "c", "d"]
    assert first_citation_order(units, extra=["d"], seed=["c", "z"]) == ["c", "z", "b", "a", "d"]


# -- reading order and where the evidence table stands ------------------------------

def test_brief_shows_bottom_line_and_precautions_first_and_only_its_sections(document):
    view = select(document, "clinician")
    assert [s.id for s in view.sections] == ["bottom", "precautions", "intro", "background",
                                             "evidence", "indications"]
    assert view.evidence_after == "evidence"


def test_handout_and_deck_keep_the_file_order(document):
    assert [s.id for s in select(document, "patient").sections] == ["intro", "yours"]
    deck = select(document, "trainer")
    assert [s.id for s in deck.sections] == ["intro", "background", "evidence", "indications",
                                             "deck"]
    assert deck.evidence_after == "evidence"


def section(section_id: str, *classes: str) -> Section:
    where = Location("t.md", 1)
    return Section(section_id, Unit(f"{section_id}.title", section_id, where),
                   frozenset({"clinician"}), classes, (), (), where)


def test_brief_order_puts_summaries_then_precautions_first():
    sections = (section("a"), section("p1", "precautions"), section("b", "evidence"),
                section("s1", "summary"), section("p2", "precautions"), section("s2", "summary"))
    assert [s.id for s in brief_order(sections)] == ["s1", "s2", "p1", "p2", "a", "b"]
    assert brief_order(()) == ()
    plain = (section("x"), section("y"))
    assert brief_order(plain) == plain


def test_a_section_both_summary_and_precautions_opens_the_brief_once():
    sections = (section("a"), section("both", "precautions", "summary"),
                section("p", "precautions"))
    assert [s.id for s in brief_order(sections)] == ["both", "p", "a"]


def test_evidence_table_follows_the_first_evidence_section_else_ends_the_body():
    assert evidence_table_after((section("a"), section("b", "evidence"), section("c"),
                                 section("d", "evidence"))) == "b"
    assert evidence_table_after((section("a"), section("b"))) == "b"
    assert evidence_table_after(()) is None


def test_audience_sections_drop_what_the_audience_does_not_see(document):
    ids = {a: [s.id for s in audience_sections(document, a)] for a in ("patient", "trainer")}
    assert ids["patient"] == ["intro", "yours"]
    assert "bottom" not in ids["trainer"] and "yours" not in ids["trainer"]
    assert all(not s.notes for s in audience_sections(document, "clinician"))
    assert all(s.notes for s in audience_sections(document, "trainer"))
