"""Markdown + YAML + CSL-JSON -> one Document, with audiences, ids and source lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUNDLED
from handouts.load.sections import read_content
from handouts.errors import ContentErrors
from handouts.load.folder import load_document
from handouts.model import Block, SafetyStatement
from handouts.plan.selection import select


def read(markdown: str, folder: Path = BUNDLED):
    return read_content(markdown, "t.md", folder)


def test_bundled_topic_loads_without_problems():
    loaded = load_document(BUNDLED)
    document, warnings = loaded.document, loaded.warnings
    assert warnings == []
    assert len(document.references) == 6
    assert {s.id for s in document.safety_statements()} >= {"patient-rails", "trainer-guarding"}


def test_sections_keep_their_audiences_and_lines():
    sections, problems = read("## Intro\n\nFor all.\n\n## Only you {#you .patient}\n\nHi.\n")
    assert problems == []
    intro, you = sections
    assert intro.audiences == {"patient", "clinician", "trainer"}
    assert you.id == "you" and you.audiences == {"patient"}
    assert you.title.location.line == 5
    assert you.content[0].units[0].location.line == 7


def test_nested_divs_with_the_same_colons_nest_like_pandoc():
    markdown = """## S

::: {.clinician .trainer}
Both.

::: {.safety #guard audience="trainer"}
Guard them.
:::

After the inner div, still both.
:::

Everyone.
"""
    sections, problems = read(markdown)
    assert problems == []
    both, safety, after, everyone = sections[0].content
    assert both.audiences == {"clinician", "trainer"}
    assert isinstance(safety, SafetyStatement) and safety.audiences == {"trainer"}
    assert safety.units[0].id == "safety.guard.p1" and safety.units[0].safety_id == "guard"
    assert after.audiences == {"clinician", "trainer"}
    assert everyone.audiences == {"patient", "clinician", "trainer"}


def test_notes_belong_to_the_trainer_only():
    sections, _ = read("## S\n\nText.\n\n::: notes\nSay this.\n:::\n")
    assert [u.text for b in sections[0].notes for u in b.units] == ["Say this."]
    document = load_document(BUNDLED).document
    assert all(not s.notes for s in select(document, "clinician").sections)
    assert any(s.notes for s in select(document, "trainer").sections)


def test_unit_ids_survive_insertions_rewrapping_and_edits_after_their_first_words():
    before, _ = read("## S\n\nOne two three four five six seven.\n\n- a\n- b\n")
    after, _ = read("## S\n\nA new first paragraph.\n\nOne two three\nfour five six seven, "
                    "edited.\n\n- new item\n- a changed\n- b\n")
    ids = lambda sections: [u.id for c in sections[0].content for u in c.units]  # noqa: E731
    assert before[0].id == after[0].id == "s"  # the heading's slug, lowercase
    assert ids(before) == ["s.p.one-two-three-four-five-six", "s.li.a", "s.li.b"]
    assert ids(after) == ["s.p.a-new-first-paragraph", "s.p.one-two-three-four-five-six",
                          "s.li.new-item", "s.li.a-changed", "s.li.b"]
    twice, _ = read("## S\n\nSame start here.\n\nSame start here.\n")
    assert ids(twice) == ["s.p.same-start-here", "s.p.same-start-here-2"]
    safety, _ = read("## S\n\n::: {.safety #x}\nHold on.\n:::\n")
    assert ids(safety) == ["safety.x.p1"]  # the author's id, and the place within it


def test_citations_are_parsed_from_pandoc_brackets():
    from handouts.model.inline import citation_keys, plain_text
    assert citation_keys("A [@cha2016; @lin2025] and [@thomas2000].") == [
        "cha2016", "lin2025", "thomas2000"]
    assert plain_text("Safe **now** [@cha2016].") == "Safe now."


def test_unreadable_citation_is_reported(tmp_path):
    from handouts.load.consistency import check_document
    document = load_document(BUNDLED).document
    section = document.sections[0]
    unit = section.content[0].units[0]
    broken = type(unit)(unit.id, "See [@cha2016, p. 3].", unit.location, unit.audiences)
    block = Block("paragraph", (broken,), unit.audiences, unit.location)
    from dataclasses import replace
    document = replace(document, sections=(replace(section, content=(block,)),))
    assert any("a citation this tool cannot read" in p.message for p in check_document(document))


@pytest.mark.parametrize("markdown,message", [
    ("Text first.\n\n## S\n", "text before the first ## heading"),
    ("# Title\n\n## S\n", "a # level-1 heading in the content"),
    ("## S\n\n```\ncode\n```\n", "a code block is not allowed in handout content"),
    ("## S\n\n> quoted\n", "a block quote is not allowed in handout content"),
    ("## S\n\n- a\n  - nested\n", "a list inside a list"),
    ("## S\n\n::: {.safety}\nNo id.\n:::\n", "a safety statement without an id"),
    ("## S\n\n::: {.safety #x}\n:::\n", "safety statement 'x' is empty"),
    ("## S\n\n::: {.safety #x tier=\"later\"}\nT.\n:::\n", "unknown tier 'later'"),
    ("## S {.patient}\n\n::: {.clinician}\nNobody sees this.\n:::\n",
     "this text is shown to no audience"),
    ("## S\n\n::: {.patient\nx\n:::\n", "a ::: line that opens or closes no div"),
    ("## S\n\nText.\n\n:::\n", "a ::: line that opens or closes no div"),
    ("## S\n\n::: {.patient #a #b .c=}\nx\n:::\n", "cannot read the attributes"),
])
def test_structure_problems(markdown, message):
    _, problems = read(markdown)
    assert any(message in p.message for p in problems), problems


def test_images_need_alt_text_and_must_exist(tmp_path):
    (tmp_path / "images").mkdir()
    from PIL import Image
    Image.new("RGB", (8, 6), "white").save(tmp_path / "images" / "walk.png")
    sections, problems = read("## S\n\n![Walking on a treadmill](images/walk.png)\n", tmp_path)
    assert problems == []
    image = sections[0].content[0]
    assert image.kind == "image" and image.image.alt.text == "Walking on a treadmill"
    _, problems = read("## S\n\n![](images/walk.png)\n\n![x](images/none.png)\n", tmp_path)
    messages = [p.message for p in problems]
    assert "image 'images/walk.png' has no alt text" in messages
    assert "image 'images/none.png' does not exist" in messages


def test_load_errors_are_content_errors_with_locations(tmp_path):
    (tmp_path / "topic.yaml").write_text("id: [\n")
    with pytest.raises(ContentErrors) as error:
        load_document(tmp_path)
    assert error.value.exit_code == 1
    assert [str(p.location).rsplit("/", 1)[-1] for p in error.value.problems] == ["topic.yaml:2"]


def test_non_utf8_file_is_reported_with_its_line(tmp_path):
    from handouts.load.files import read_text
    path = tmp_path / "x.md"
    path.write_bytes("## S\n\nCaf\xe9\n".encode("latin-1"))
    text, problems = read_text(path, "x.md")
    assert text is None
    assert str(problems[0]).startswith("x.md:3: the file is not UTF-8 (byte 0xe9")


def test_byte_order_mark_is_accepted(tmp_path):
    from handouts.load.files import read_text
    path = tmp_path / "x.md"
    path.write_bytes(b"\xef\xbb\xbf## S\n")
    assert read_text(path, "x.md") == ("## S\n", [])
