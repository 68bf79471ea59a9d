"""The plan as a PDF form, and `handouts fill`: values read back from the fields, nowhere else.

Form fields are read with pypdf (names, types, accessible labels, values);
the output folder is compared byte for byte before and after a fill.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BUNDLED
from handouts.cli import cli

FIELDS = ["start-date", "how-often", "minutes", "speed"]
SUPPORTS = ["support-1", "support-2", "support-3"]


def fields(path: Path) -> dict:
    return PdfReader(path).get_fields() or {}


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["backwards-walking-patient.pdf",
                                  "backwards-walking-patient-large-a4.pdf"])
def test_plan_lines_and_tick_boxes_are_named_labelled_form_fields(built, name):
    found = fields(built / name)
    assert list(found) == FIELDS + SUPPORTS
    assert all(found[f]["/FT"] == "/Tx" and found[f].get("/V", "") == "" for f in FIELDS)
    assert all(found[s]["/FT"] == "/Btn" and found[s]["/V"] == "/Off" for s in SUPPORTS)
    assert found["how-often"]["/TU"] == "How often:"
    assert found["support-1"]["/TU"] == "A spotter (a person beside you)"


def test_translated_handout_labels_its_fields_in_its_language(built):
    found = fields(built.parent / "es" / "backwards-walking-patient.pdf")
    assert list(found) == FIELDS + SUPPORTS  # names stay the plan's ids
    assert found["how-often"]["/TU"] != "How often:"


def test_empty_fields_still_print_as_ruled_lines_and_boxes(built):
    """The lines and boxes are drawn on the page itself, not only by a form-aware reader."""
    reader = PdfReader(built / "backwards-walking-patient.pdf")
    page = next(p for p in reader.pages
                if any(a.get_object().get("/FT") for a in p.get("/Annots", [])))
    content = page.get_contents().get_data()
    widgets = [a.get_object() for a in page["/Annots"] if a.get_object().get("/FT")]
    assert len(widgets) == len(FIELDS + SUPPORTS)
    assert content.count(b" re") >= len(FIELDS) + len(SUPPORTS)  # rules and box borders


def fill(runner, tmp_path, *args: str):
    return runner.invoke(cli, ["fill", str(BUNDLED), "--out", str(tmp_path / "output"),
                               *args])


def test_fill_writes_the_values_into_the_fields_and_nothing_into_output(runner, tmp_path,
                                                                         built):
    output = tmp_path / "output"
    output.mkdir()
    (output / "keep.txt").write_text("earlier build")
    before = tree(output)
    target = tmp_path / "plans" / "walk.pdf"
    target.parent.mkdir()
    result = fill(runner, tmp_path, "--lang", "en", "--paper", "a4",
                  "--set", "how-often=3 times a week", "--set", "minutes=10",
                  "--set", "speed=<b>1.0</b> km/h", "--tick", "1", "--tick", "Safety bars",
                  "-o", str(target))
    assert result.exit_code == 0, result.output
    found = fields(target)
    assert found["how-often"]["/V"] == "3 times a week"
    assert found["minutes"]["/V"] == "10"
    assert found["speed"]["/V"] == "<b>1.0</b> km/h"  # text, never markup
    assert found["start-date"].get("/V", "") == ""
    assert [found[s]["/V"] for s in SUPPORTS] == ["/on", "/on", "/Off"]
    assert PdfReader(target).pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)
    assert tree(output) == before
    assert [p.name for p in target.parent.iterdir()] == ["walk.pdf"]  # no temporary left


def test_fill_is_reproducible(runner, tmp_path):
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    for target in (one, two):
        result = fill(runner, tmp_path, "--large", "--set", "minutes=5", "-o", str(target))
        assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()
    assert fields(one)["minutes"]["/V"] == "5"


def test_an_unknown_field_lists_the_valid_ones(runner, tmp_path):
    result = fill(runner, tmp_path, "--set", "reps=10", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert ("the plan has no field 'reps'; valid: start-date, how-often, minutes, speed"
            in result.output)
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_support_lists_the_valid_ones(runner, tmp_path):
    result = fill(runner, tmp_path, "--tick", "wheelchair", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "1 (A spotter (a person beside you)); 2 (Safety bars)" in result.output


def test_a_filled_copy_is_never_written_into_the_output_folder(runner, tmp_path):
    target = tmp_path / "output" / "backwards-walking" / "plan.pdf"
    result = fill(runner, tmp_path, "--set", "minutes=5", "-o", str(target))
    assert result.exit_code == 2
    assert "inside the output folder" in result.output
    assert not target.exists()


@pytest.mark.parametrize("value, message", [
    ("x" * 201, "201 characters, over the 200 a plan line holds"),
    ("ten\u202eminutes", "holds control or invisible characters"),
])
def test_untrusted_values_are_bounded_and_plain(runner, tmp_path, value, message):
    result = fill(runner, tmp_path, "--set", f"minutes={value}", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_value_without_a_field_id_is_a_usage_error(runner, tmp_path):
    result = fill(runner, tmp_path, "--set", "10 minutes", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "write FIELD_ID=VALUE" in result.output
