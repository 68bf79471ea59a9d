"""A second topic, built and checked end to end (issue 13, item 9).

tests/topics/library-card is synthetic and neutral (using a library card; no
clinical advice). It exercises what the bundled topic does not: references of
every kind (a web page without a date, a book, a chapter, a report without a
date, an article without a DOI, one with), a long safety box of hyphenated
statements, a long plan, a content table, a QR code and a care setting of its
own (library staff), in standard and large print on Letter and A4. A build the
loader refuses for want of another engineer's part of issue 13 (a reference
type, the care_setting block) skips the module, saying so.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import run_build
from handouts.assets.locations import PACKAGE_TEMPLATES
from handouts.cli import cli
from handouts.recheck import recheck
from readback import markdown_safety_texts, pdf_text, squeezed

SOURCE = Path(__file__).parent / "topics" / "library-card"
TOPIC = yaml.safe_load((SOURCE / "topic.yaml").read_text(encoding="utf-8"))
SAFETY = markdown_safety_texts(SOURCE / "library-card.md")
HANDOUTS = {"library-card-patient.pdf": (612, 792), "library-card-patient-a4.pdf": (595, 842),
            "library-card-patient-large.pdf": (612, 792),
            "library-card-patient-large-a4.pdf": (595, 842)}
OUTPUTS = [*HANDOUTS, "library-card-clinician.pdf", "library-card-clinician-a4.pdf",
           "library-card-slides.pptx", "library-card-patient.html", "library-card-clinician.html"]
REFUSED = "is not one the reference formatter prints"  # the loader's words for a CSL type
CARE = ["Ask at the front desk", "Library staff fill this in with you.",
        "Follow the plan you made with library staff."]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The topic copied and built once, every audience, paper and print size."""
    root = tmp_path_factory.mktemp("second")
    folder = root / "library-card"
    shutil.copytree(SOURCE, folder)
    result = run_build(CliRunner(), str(folder), "--out", str(root / "out"))
    if result.exit_code and REFUSED in result.output:
        pytest.skip("the bibliography loader refuses a book, chapter, report or web page "
                    "(issue 13, item 1, is another engineer's): " + result.output[-300:])
    if result.exit_code and "care_setting" in result.output:
        pytest.skip("topic.yaml takes no care_setting block yet (issue 13, item 2, is "
                    "another engineer's): " + result.output[-300:])
    assert result.exit_code == 0, result.output
    return folder, root / "out", root / "out" / "library-card" / "en"


def test_every_output_is_built(built):
    _, _, en = built
    assert sorted(p.name for p in en.iterdir()) == sorted(OUTPUTS)


def test_handouts_check_passes_on_every_output(built):
    folder, out, _ = built
    result = CliRunner().invoke(cli, ["check", str(folder), "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{len(OUTPUTS)} output(s) checked, 0 failed." in result.output


def test_every_pdf_breaks_its_pages_well(built):
    folder, out, _ = built
    for checked in recheck((folder,), out, PACKAGE_TEMPLATES):
        if checked.relpath.endswith(".pdf"):
            [breaks] = [c for c in checked.checks if c.name == "page-breaks"]
            assert breaks.ok, f"{checked.relpath}: {breaks.detail}"


@pytest.mark.parametrize("name", HANDOUTS)
def test_paper_and_print_size(built, name):
    _, _, en = built
    reader = PdfReader(en / name)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == HANDOUTS[name]
    with pdfplumber.open(en / name) as pdf:
        sizes = Counter(round(c["size"]) for page in pdf.pages for c in page.chars)
    body = sizes.most_common(1)[0][0]
    assert body >= (17 if "large" in name else 12)


@pytest.mark.parametrize("name", HANDOUTS)
@pytest.mark.parametrize("safety_id", TOPIC["audiences"]["patient"]["required_safety"])
def test_hyphenated_safety_statements_read_back(built, name, safety_id):
    _, _, en = built
    assert squeezed(SAFETY[safety_id]) in squeezed(pdf_text(en / name))


def test_the_safety_text_is_hyphenated():
    text = " ".join(SAFETY.values())
    for word in ("non-slip", "hands-on", "low-speed", "step-by-step", "drop-off"):
        assert word in text


def pages_holding(path: Path, texts: list[str]) -> set[int]:
    """The pages on which each text is printed (whole, on one page)."""
    pages = [squeezed(page.extract_text() or "") for page in PdfReader(path).pages]
    found = set()
    for text in texts:
        holding = [number for number, page in enumerate(pages, 1) if squeezed(text) in page]
        assert holding, f"{text!r} is on no single page of {path.name}"
        found.update(holding)
    return found


@pytest.mark.parametrize("name", HANDOUTS)
def test_the_long_safety_box_is_on_one_page(built, name):
    _, _, en = built
    boxed = [text for key, text in SAFETY.items() if key.startswith("patient-")
             and key not in ("patient-stop-machine", "patient-call-desk")]
    assert len(boxed) == 6
    assert len(pages_holding(en / name, boxed)) == 1


@pytest.mark.parametrize("name", HANDOUTS)
def test_the_stop_and_call_pair_is_on_one_page(built, name):
    _, _, en = built
    pair = [SAFETY["patient-stop-machine"], SAFETY["patient-call-desk"]]
    assert len(pages_holding(en / name, pair)) == 1


@pytest.mark.parametrize("name", HANDOUTS)
def test_the_long_plan_keeps_its_fields_on_one_page(built, name):
    _, _, en = built
    fields = [f"{field['label']}:" for field in TOPIC["plan"]["fields"]]
    assert len(fields) == 10
    assert len(pages_holding(en / name, fields)) == 1
    assert len(pages_holding(en / name, TOPIC["plan"]["supports"])) == 1


def links(path: Path) -> set[str]:
    found = set()
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def test_references_of_every_kind_in_the_brief(built):
    _, _, en = built
    text = pdf_text(en / "library-card-clinician.pdf")
    listed = text[text.rindex("References"):]
    assert re.findall(r"^(\d+)\. ", listed, re.MULTILINE) == [str(n) for n in range(1, 7)]
    flat = squeezed(listed)
    for printed in ("Smith A. Running a Small Public Library. 2nd ed. Example Press; 2019.",
                    "Jones B, Patel C. Self-service loans in branch libraries: a survey. "
                    "J Libr Ex. 2004;12(3):45-52.",
                    "In: Garcia E, ed. Library Services for Everyone. Example Press; "
                    "2018:101-118.",
                    "Springfield Library Council; n.d. Accessed March 2, 2026.",
                    "Get a library card. Springfield Public Library. Accessed March 2, 2026.",
                    "doi:10.5555/libex.2022.001"):
        assert squeezed(printed) in flat, printed
    assert links(en / "library-card-clinician.pdf") == {
        "https://doi.org/10.5555/libex.2022.001", "https://council.example.org/card-privacy",
        "https://library.example.org/cards"}  # the book, chapter and article have none


def test_the_handout_lists_its_own_references(built):
    _, _, en = built
    text = pdf_text(en / "library-card-patient.pdf")
    sources = squeezed(text[text.index("Where this information comes from"):])
    assert squeezed("1. Get a library card. Springfield Public Library.") in sources
    assert squeezed("2. Smith A. Running a Small Public Library.") in sources
    assert links(en / "library-card-patient.pdf") == {"https://library.example.org/cards"}


# -- the care setting ----------------------------------------------------------------

@pytest.mark.parametrize("name", HANDOUTS)
def test_the_handout_names_its_own_care_setting(built, name):
    _, _, en = built
    text = pdf_text(en / name)
    for line in CARE:
        assert squeezed(line).lower() in squeezed(text).lower(), line  # labels in capitals
    assert "therapist" not in text.lower()


def test_without_a_care_setting_the_wording_is_neutral(tmp_path):
    folder = tmp_path / "library-card"
    shutil.copytree(SOURCE, folder)
    topic = (folder / "topic.yaml").read_text(encoding="utf-8")
    block = topic[topic.index("# Who the reader turns to"):topic.index("link:")]
    (folder / "topic.yaml").write_text(topic.replace(block, ""), encoding="utf-8")
    out = tmp_path / "out"
    result = run_build(CliRunner(), str(folder), "--out", str(out), "--audience", "patient",
                       "--paper", "letter")
    assert result.exit_code == 0, result.output
    text = pdf_text(out / "library-card" / "en" / "library-card-patient.pdf")
    assert "therapist" not in text.lower()
    assert not any(squeezed(line).lower() in squeezed(text).lower() for line in CARE)
