"""The organisation profile (handouts.yaml): where its name, logo, numbers and colours print.

Everything is read back from the built files: PDF text through pypdf, the logo
through the tagged PDF's Figure elements, the deck through python-pptx.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from conftest import BUNDLED, REPOSITORY, run_build
from handouts.cli import cli
from handouts.load.organisation import contrast_with_white
from handouts.load.topic_yaml import load_topic
from readback import pdf_text, squeezed, structure_elements

PROFILE = Path(__file__).parent / "profile_content"


def content_folder(runner, root: Path, profile: bool = True) -> Path:
    """A content folder holding a topic from `handouts new`, with the test profile or not."""
    if profile:
        shutil.copytree(PROFILE, root, dirs_exist_ok=True)
    result = runner.invoke(cli, ["new", "walk-topic", "--content", str(root)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "walk-topic"


def figure_alts(path: Path) -> list[str]:
    return [str(figure.get("/Alt")) for figure in structure_elements(path, "Figure")]


@pytest.fixture(scope="module")
def hillside(tmp_path_factory) -> Path:
    """The test content folder built once (every audience): its output folder."""
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("hillside") / "content"
    topic = content_folder(CliRunner(), root)
    out = root.parent / "out"
    result = CliRunner().invoke(cli, ["build", str(topic), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "walk-topic" / "en"


def test_the_profile_sets_the_paper_sizes_a_topic_leaves_unset(hillside):
    assert sorted(p.name for p in hillside.glob("*patient*.pdf")) == [
        "walk-topic-patient-a4.pdf", "walk-topic-patient-large-a4.pdf"]


@pytest.mark.parametrize("name", ["walk-topic-patient-a4.pdf", "walk-topic-patient-large-a4.pdf"])
def test_handout_header_footer_and_call_line_carry_the_organisation(hillside, name):
    path = hillside / name
    pages = [squeezed(page.extract_text()) for page in PdfReader(path).pages]
    text = "".join(pages)
    assert squeezed("Hillside Walking Clinic") in pages[0]
    assert squeezed("1 Hill Road, Lakeside") in pages[0]
    # the care setting's call line from the profile, then every number, large, as text
    assert squeezed("CALL THE CLINIC") in text  # the signal line is set in capitals
    assert squeezed("Front desk: +1 555 0123") in text and squeezed("Nights: 555-0188") in text
    # the footer of every page: name, first number and web site (printed without https://)
    for page in pages:
        assert squeezed("Hillside Walking Clinic · Front desk: +1 555 0123 · "
                        "hillside.example.org") in page
    assert figure_alts(path)[0] == "Hillside Walking Clinic logo"


def test_the_call_numbers_are_printed_large(hillside):
    import pypdfium2

    document = pypdfium2.PdfDocument(str(hillside / "walk-topic-patient-a4.pdf"))
    sizes = {}
    for page in document:
        text = page.get_textpage()
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1) == "8":  # the "8"s of 555-0188
                sizes.setdefault("8", []).append(text.get_font_size(i) if hasattr(
                    text, "get_font_size") else pypdfium2.raw.FPDFText_GetFontSize(text, i))
    assert max(sizes["8"]) >= 15  # body text is 12 pt; the call line 1.3 times that


def test_brief_header_has_the_logo_and_name(hillside):
    path = hillside / "walk-topic-clinician-a4.pdf"
    first = squeezed(PdfReader(path).pages[0].extract_text())
    assert squeezed("Hillside Walking Clinic") in first
    assert figure_alts(path)[0] == "Hillside Walking Clinic logo"


def test_deck_title_and_closing_slides_carry_logo_and_name(hillside):
    deck = Presentation(str(hillside / "walk-topic-slides.pptx"))
    slides = list(deck.slides)
    for slide in (slides[0], slides[-1]):
        names = {shape.name: shape for shape in slide.shapes}
        assert names["Organisation"].text_frame.text == "Hillside Walking Clinic"
        logo = names["Organisation logo"]
        assert logo.shape_type == 13  # a picture
        assert logo._element.nvPicPr.cNvPr.get("descr") == "Hillside Walking Clinic logo"
    assert not any(shape.name == "Organisation" for slide in slides[1:-1]
                   for shape in slide.shapes)


def test_brand_colour_replaces_the_neutral_one(hillside):
    """#6b2d5c fills the heading bars: its RGB is in the page's drawing operators."""
    data = (hillside / "walk-topic-patient-a4.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    assert b"0.419608 0.176471 0.360784 rg" in content
    assert b"0.043137 0.333333 0.388235 rg" not in content  # the neutral --brand #0b5563


def test_without_a_profile_the_handout_keeps_the_neutral_look(runner, tmp_path):
    topic = content_folder(runner, tmp_path / "content", profile=False)
    out = tmp_path / "out"
    result = run_build(runner, str(topic), "--out", str(out), "--audience", "patient",
                       "--paper", "letter")
    assert result.exit_code == 0, result.output
    path = out / "walk-topic" / "en" / "walk-topic-patient.pdf"
    text = pdf_text(path)
    assert "Hillside" not in text and "555" not in text
    assert squeezed("CALL YOUR CARE TEAM") in squeezed(text)
    assert not any("logo" in alt for alt in figure_alts(path))  # only the icons


def test_bundled_arabic_handout_keeps_numbers_left_to_right(built):
    text = squeezed(pdf_text(built.parent / "ar" / "backwards-walking-patient.pdf"))
    assert "555-0142" in text and "0142-555" not in text
    assert squeezed("العيادة: 555-0142") in text  # the label translated, the number not


def test_bundled_content_shows_its_example_profile(built):
    text = squeezed(pdf_text(built / "backwards-walking-patient.pdf"))
    assert squeezed("Riverside Community Therapy") in text
    assert squeezed("Clinic: 555-0142") in text


def test_a_topic_overrides_the_profile_key_by_key(runner, tmp_path):
    topic = content_folder(runner, tmp_path / "content")
    with (topic / "topic.yaml").open("a", encoding="utf-8") as file:
        file.write("organisation:\n  phones:\n    - {label: Ward 3, number: \"555-0777\"}\n"
                   "paper: [letter]\n")
    loaded, _, problems = load_topic(topic, "walk-topic")
    assert problems == []
    org = loaded.organisation
    assert org.name == "Hillside Walking Clinic"  # from the profile
    assert [(p.label.text, p.number) for p in org.phones] == [("Ward 3", "555-0777")]
    assert org.phones[0].label.id == "topic.organisation.phones.tel-5550777.label"
    assert loaded.papers == ("letter",)
    assert loaded.care_setting["call"].text == "Call the clinic"


def test_a_pale_brand_colour_is_refused_with_its_contrast(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    topic = content_folder(runner, tmp_path / "content")
    profile = tmp_path / "content" / "handouts.yaml"
    profile.write_text(profile.read_text("utf-8").replace("#6b2d5c", "#9fc5e8"), "utf-8")
    result = run_build(runner, str(topic), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(profile.read_text("utf-8").splitlines(), 1)
                if "#9fc5e8" in text)
    assert (f"content/handouts.yaml:{line}: the colour #9fc5e8 for 'organisation.colours.brand' has a "
            "contrast of 1.8:1 against white, under the 4.5:1 text needs") in result.output
    assert not (tmp_path / "out").exists()


def test_contrast_is_measured_as_wcag_does():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast_with_white("#777777") < 4.5


def test_a_missing_number_fails_the_read_back(built):
    """The phone check can fail: a handout without the number is refused."""
    from handouts.plan.request import BuildRequest
    from handouts.plan.topics import plan_topic
    from handouts.verify.organisation import phone_results

    request = BuildRequest(topics=(BUNDLED,), out=built, templates=REPOSITORY / "templates",
                           audiences=("patient",), languages=("en",), papers=("letter",))
    plan = plan_topic(BUNDLED, request, [], [])
    view = plan.jobs[0].view
    text = pdf_text(built / "backwards-walking-patient.pdf")
    assert all(r.ok for r in phone_results(text, 2, view))
    [missing] = phone_results(text.replace("555-0142", "555-0000"), 2, view)
    assert not missing.ok and "555-0142 is not printed" in missing.detail
    [too_few] = phone_results(text, 99, view)
    assert not too_few.ok and "not in every page's footer" in too_few.detail


def test_schema_documents_the_profile(runner):
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert "handouts.yaml" in result.output
    assert "`organisation.colours.brand`" in result.output
    assert "`organisation` (the organisation;" in result.output  # topic.yaml's override


def test_readme_profile_reference_matches_the_schema():
    from handouts.load.profile import profile_schema
    from handouts.load.schema import describe_fields

    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    documented = readme.split("<!-- profile-schema:start -->\n")[1].split(
        "<!-- profile-schema:end -->")[0]
    assert documented.strip() == "\n".join(describe_fields(profile_schema())).strip()


def test_profile_languages_are_the_default_of_audiences_that_list_none(runner, tmp_path):
    topic = content_folder(runner, tmp_path / "content")
    profile = tmp_path / "content" / "handouts.yaml"
    profile.write_text(profile.read_text("utf-8") + "languages: [en, es]\n", "utf-8")
    text = (topic / "topic.yaml").read_text("utf-8")
    assert "    # languages: [en]" in text  # the patient audience leaves it unset
    loaded, _, problems = load_topic(topic, "walk-topic")
    assert problems == []
    assert {name: s.languages for name, s in loaded.audiences.items()} == {
        name: ("en", "es") for name in loaded.audiences}
    (topic / "topic.yaml").write_text(text.replace("    # languages: [en]", "    languages: [en]",
                                                   1), "utf-8")
    loaded, _, _ = load_topic(topic, "walk-topic")
    assert "en" in loaded.audiences["patient"].languages
    assert sorted(len(s.languages) for s in loaded.audiences.values())[0] == 1


def test_a_phone_label_is_keyed_by_its_number_not_its_place():
    from handouts.load.organisation import phone_keys

    assert phone_keys([{"number": "555-0142"}, {"number": "+1 (555) 0199"}]) == \
        ["tel-5550142", "tel-15550199"]
    assert phone_keys([{"number": "555-0142"}, {"number": "555 0142"}]) == \
        ["tel-5550142", "tel-5550142-2"]
