"""The in-service training deck, read back with python-pptx (and LibreOffice where present)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import ImageFont
from pptx import Presentation

from conftest import BUNDLED, run_build
from readback import markdown_safety_texts, pdf_text, squeezed

DECK = "backwards-walking-slides.pptx"
TOPIC = yaml.safe_load((BUNDLED / "topic.yaml").read_text(encoding="utf-8"))
REFERENCES = json.loads((BUNDLED / "references.json").read_text(encoding="utf-8"))
SAFETY = markdown_safety_texts(BUNDLED / "backwards-walking.md")
EMU_PER_POINT = 12700


@pytest.fixture(scope="module")
def deck(built):
    return Presentation(built / DECK)


def titles(deck) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in deck.slides]


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def without_markers(text: str) -> str:
    return re.sub(r"\s*\[\d+(, \d+)*\]", "", text)


def test_slides_come_in_the_order_a_presenter_expects(deck):
    names = titles(deck)
    # The evidence table follows the .evidence section, as in the brief.
    expected = [TOPIC["audiences"]["trainer"]["title"], "Learning objectives", "Mechanism",
                "What the evidence shows", "Summary of the evidence", "Indications and uses",
                "Safety and guarding protocol", "Check your understanding", "References",
                "Questions and discussion"]
    positions = [names.index(title) for title in expected]
    assert positions == sorted(positions)
    assert positions[0] == 0 and positions[-1] == len(names) - 1


def test_title_slide_names_audience_presenter_and_date(deck):
    text = slide_text(deck.slides[0])
    assert "In-service training" in text
    assert "Clinical Education Team" in text
    assert "November 25, 2026" in text


def test_learning_objectives_are_the_topics(deck):
    slide = deck.slides[titles(deck).index("Learning objectives")]
    for objective in TOPIC["training"]["objectives"]:
        assert objective in slide_text(slide)


def test_every_content_slide_has_speaker_notes(deck):
    for number, slide in enumerate(deck.slides, start=1):
        if number in (1, len(deck.slides)):
            continue
        assert slide.has_notes_slide, number
        assert slide.notes_slide.notes_text_frame.text.strip(), number


def test_section_notes_come_from_the_markdown(deck):
    slide = deck.slides[titles(deck).index("Safety and guarding protocol")]
    notes = slide.notes_slide.notes_text_frame.text
    assert "This is the slide to slow down on." in notes


@pytest.mark.parametrize("safety_id", TOPIC["audiences"]["trainer"]["required_safety"])
def test_trainer_safety_statements_are_on_the_safety_slide(deck, safety_id):
    slide = deck.slides[titles(deck).index("Safety and guarding protocol")]
    assert squeezed(SAFETY[safety_id]) in squeezed(without_markers(slide_text(slide)))


def test_evidence_table_is_a_real_table_with_one_row_per_study(deck):
    slides = [s for s in deck.slides if s.shapes.title.text.startswith("Summary of the evidence")]
    tables = [shape.table for s in slides for shape in s.shapes if shape.has_table]
    assert tables
    rows = [row for table in tables for row in list(table.rows)[1:]]
    assert len(rows) == len(TOPIC["evidence"]["studies"])
    assert [cell.text for cell in tables[0].rows[0].cells][:2] == ["Ref.", "Design"]
    findings = {row.cells[3].text for row in rows}
    assert {s["finding"] for s in TOPIC["evidence"]["studies"]} == findings


def test_references_slides_list_all_dois_in_the_order_the_deck_cites_them(deck):
    text = "\n".join(slide_text(s) for s in deck.slides
                     if s.shapes.title.text.startswith("References"))
    listed = [int(n) for n in re.findall(r"^(\d+)\. ", text, re.MULTILINE)]
    assert listed == list(range(1, len(REFERENCES) + 1))
    for reference in REFERENCES:
        assert f"doi:{reference['DOI']}" in text
    # In-text numbers (markers and the table's Ref. column) first appear in rising order.
    shown = []
    for slide in deck.slides:
        if slide.shapes.title.text.startswith("References"):
            break
        for shape in slide.shapes:
            cells = ([row.cells[0].text for row in list(shape.table.rows)[1:]]
                     if shape.has_table else [])
            found = re.findall(r"\[(\d+(?:, \d+)*)\]", shape.text_frame.text) \
                if shape.has_text_frame else []
            shown += [int(n) for group in found for n in group.split(", ")]
            shown += [int(c) for c in cells if c.isdigit()]
    first = list(dict.fromkeys(shown))
    assert first == sorted(first) == list(range(1, len(first) + 1))


def test_dois_are_hyperlinks(deck):
    links = {run.hyperlink.address for s in deck.slides for shape in s.shapes
             if shape.has_text_frame for p in shape.text_frame.paragraphs for run in p.runs
             if run.hyperlink.address}
    assert {f"https://doi.org/{r['DOI']}" for r in REFERENCES} <= links


def test_citation_markers_resolve_to_the_references_slide(deck):
    markers = re.findall(r"\[(\d+(?:, \d+)*)\]", "\n".join(slide_text(s) for s in deck.slides))
    numbers = {int(n) for group in markers for n in group.split(", ")}
    assert numbers and numbers <= set(range(1, len(REFERENCES) + 1))


def test_quiz_questions_on_the_slide_answers_in_the_notes(deck):
    slide = deck.slides[titles(deck).index("Check your understanding")]
    notes = slide.notes_slide.notes_text_frame.text
    for item in TOPIC["training"]["questions"]:
        assert item["question"] in slide_text(slide)
        assert item["answer"] not in slide_text(slide)
        assert " ".join(item["answer"].split()) in " ".join(notes.split())


def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    """The default template's theme font is Calibri: Carlito has its metrics."""
    name = "Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf"
    return ImageFont.truetype(f"/usr/share/fonts/truetype/crosextra/{name}", size=int(size * 10))


def _lines(text: str, width_pt: float, size: float) -> int:
    """Greedy word wrap measured with FreeType (Pillow), independently of the builder."""
    font, lines, line = _font(True, size), 1, ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) / 10 > width_pt and line:
            lines += 1
            line = word
        else:
            line = candidate
    return lines


def test_no_text_box_overflows_and_body_text_is_at_least_18pt(deck):
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.placeholders:
            if shape.placeholder_format.idx not in (1, 2) or not shape.text_frame.text.strip():
                continue
            paragraphs = [p for p in shape.text_frame.paragraphs if p.text.strip()]
            sizes = [r.font.size.pt for p in paragraphs for r in p.runs if r.font.size]
            if number in (1, len(deck.slides)):
                continue
            size = max(sizes)
            if not slide.shapes.title.text.startswith("References"):
                assert min(sizes) >= 18, (number, min(sizes))
            bullets = [p for p in paragraphs if p._p.find(".//{*}buNone") is None]
            indent = 342900 if bullets else 0
            width = (shape.width - 2 * 91440 - indent) / EMU_PER_POINT
            height = (shape.height - 2 * 45720) / EMU_PER_POINT
            lines = sum(_lines(p.text, width, size) for p in paragraphs)
            needed = lines * size * 1.22 + 8 * (len(paragraphs) - 1)  # Carlito's line height
            assert needed <= height, (number, shape.name, needed, height)
            assert len(bullets) <= 6, number


def test_core_properties_are_fixed_from_the_topic(deck):
    props = deck.core_properties
    assert props.author == props.last_modified_by == "Clinical Education Team"
    assert props.created == props.modified == dt.datetime(2026, 11, 25)
    assert props.title == TOPIC["audiences"]["trainer"]["title"]
    assert props.revision == 1


def test_every_zip_entry_has_a_fixed_date(built):
    import zipfile
    with zipfile.ZipFile(built / DECK) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# -- building variations ------------------------------------------------------

def _rename_layout(source: Path, target: Path, old: str, new: str) -> None:
    deck = Presentation(source)
    for layout in deck.slide_layouts:
        if layout.name == old:
            layout._element.cSld.set("name", new)
    deck.save(target)


def test_template_missing_a_layout_lists_the_layouts_it_has(runner, topic, tmp_path):
    from conftest import REPOSITORY
    template = tmp_path / "brand.pptx"
    _rename_layout(REPOSITORY / "templates/slides/default.pptx", template, "Two Content",
                   "Zwei Inhalte")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer", "--lang", "en",
                       "--template", str(template))
    assert result.exit_code == 1
    assert "the slide template brand.pptx has no layout 'Two Content'; it has: 'Title Slide', " \
           "'Title and Content'" in result.output
    assert "'Zwei Inhalte'" in result.output
    assert "(name the layouts to use under training.layouts in topic.yaml)" in result.output
    assert not Path("out").exists() or not list(Path("out").rglob("*.pptx"))


def test_an_organisations_potx_with_its_own_layout_names(runner, topic, tmp_path):
    import zipfile
    from conftest import REPOSITORY
    renamed = tmp_path / "renamed.pptx"
    _rename_layout(REPOSITORY / "templates/slides/default.pptx", renamed, "Two Content",
                   "Zwei Inhalte")
    potx = topic.folder / "brand.potx"
    with zipfile.ZipFile(renamed) as source, zipfile.ZipFile(potx, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml",
                                    b"presentationml.template.main+xml")
            target.writestr(info, data)
    topic.edit("topic.yaml", "training:\n", "training:\n  template: brand.potx\n"
               "  layouts:\n    two_content: Zwei Inhalte\n")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer", "--lang", "en")
    assert result.exit_code == 0, result.output
    deck = Presentation("out/backwards-walking/en/backwards-walking-slides.pptx")
    layouts = {slide.slide_layout.name for slide in deck.slides}
    assert "Zwei Inhalte" in layouts


def test_long_section_continues_on_more_slides(runner, topic):
    items = "\n".join(f"- Point number {i} about backward walking, with enough words to take "
                      f"a full line or two on the slide." for i in range(1, 12))
    topic.edit("backwards-walking.md", "## Background {#background .clinician .trainer}\n",
               "## Background {#background .clinician .trainer}\n\n" + items + "\n")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer", "--lang", "en")
    assert result.exit_code == 0, result.output
    deck = Presentation("out/backwards-walking/en/backwards-walking-slides.pptx")
    background = [s for s in deck.slides if s.shapes.title.text.startswith("Background")]
    assert len(background) >= 2
    assert all(s.shapes.title.text == "Background (cont.)" for s in background[1:])
    text = "\n".join(slide_text(s) for s in background)
    for i in range(1, 12):
        assert f"Point number {i} " in text
    for slide in background:
        assert len([p for p in slide.placeholders[1].text_frame.paragraphs if p.text]) <= 6
        assert slide.notes_slide.notes_text_frame.text.strip()


def test_images_carry_their_alt_text(runner, topic):
    from PIL import Image
    (topic.root / "handouts.yaml").unlink()  # no organisation logo: the figure alone
    (topic.folder / "images").mkdir()
    Image.new("RGB", (400, 300), "teal").save(topic.folder / "images" / "treadmill.png")
    topic.edit("backwards-walking.md", "## Background {#background .clinician .trainer}\n",
               "## Background {#background .clinician .trainer}\n\n"
               "![A patient walking backward on a treadmill, holding the rails]"
               "(images/treadmill.png)\n")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer", "--lang", "en")
    assert result.exit_code == 0, result.output
    deck = Presentation("out/backwards-walking/en/backwards-walking-slides.pptx")
    pictures = [shape for s in deck.slides for shape in s.shapes if shape.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == \
        "A patient walking backward on a treadmill, holding the rails"


def test_section_without_notes_is_a_warning(runner, topic):
    topic.edit("backwards-walking.md", "::: notes\nOpen with where the practice comes from.",
               "::: {.clinician}\nOpen with where the practice comes from.")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer", "--lang", "en")
    assert result.exit_code == 0, result.output
    line = topic.line_of("backwards-walking.md", "## Background")
    assert (f"backwards-walking/backwards-walking.md:{line}: warning: section 'background' has "
            "no speaker notes for the training deck") in result.output


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed here; "
                    "`make test` and .ci/run install libreoffice-impress-nogui")
def test_libreoffice_opens_the_deck_and_the_safety_slide_reads_back(built, tmp_path):
    import fontpkg_atkinson_hyperlegible as package
    fonts = tmp_path / "home" / ".fonts"
    shutil.copytree(Path(package.ROOT) / "files", fonts)
    env = {"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    subprocess.run([_soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(built / DECK)], check=True, env=env, capture_output=True, timeout=180)
    pdf = tmp_path / DECK.replace(".pptx", ".pdf")
    text = squeezed(without_markers(pdf_text(pdf)))
    for safety_id in TOPIC["audiences"]["trainer"]["required_safety"]:
        assert squeezed(SAFETY[safety_id]) in text, safety_id
    from pypdf import PdfReader
    assert len(PdfReader(pdf).pages) == len(Presentation(built / DECK).slides)
