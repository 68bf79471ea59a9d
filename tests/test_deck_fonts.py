"""The deck is set in fonts presenting PCs have, and fitted with the metrics of those fonts.

The default template's theme fonts are Calibri, measured here with the
metric-compatible Carlito (docs/slide-fonts.md says why); an organisation's
template keeps its own theme fonts when they can be measured, and one that
cannot be measured is refused with a message, not fitted with wrong widths.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont
from pptx import Presentation

from conftest import REPOSITORY, run_build
from deck_templates import organisation_style, set_theme_fonts
from handouts.assets.slide_fonts import UnmeasurableFont, metric_file
from handouts.render.pptx.fit import text_width
from handouts.render.pptx.template import theme_fonts
from handouts.verify.deck_render import libreoffice

DECK = "backwards-walking-slides.pptx"


def test_the_default_template_and_the_deck_use_calibri(built):
    assert theme_fonts(Presentation(REPOSITORY / "templates/slides/default.pptx")) == \
        ("Calibri", "Calibri")
    assert theme_fonts(Presentation(built / DECK)) == ("Calibri", "Calibri")


def test_calibri_is_measured_with_carlito_and_arial_with_liberation_sans():
    for family, name in (("Calibri", "Carlito"), ("Arial", "Liberation Sans")):
        for bold in (False, True):
            with TTFont(metric_file(family, bold)) as font:
                assert font["name"].getDebugName(1) == name


def test_the_planner_measures_the_theme_font_not_another():
    text = "Screen before starting: identify patients who are frail or elderly"
    calibri, arial = text_width(text, 24, family="Calibri"), text_width(text, 24, family="Arial")
    assert arial > calibri * 1.05  # Arial sets the same words about 8% wider


def test_a_font_that_cannot_be_measured_is_named():
    with pytest.raises(UnmeasurableFont) as caught:
        metric_file("Brand Sans Display")
    assert "'Brand Sans Display' cannot be measured" in caught.value.message
    assert "Calibri" in caught.value.hint


def test_a_template_in_an_unmeasurable_font_is_refused(runner, topic, tmp_path):
    deck = Presentation(organisation_style(tmp_path / "brand.pptx"))
    set_theme_fonts(deck, "Brand Sans Display")
    deck.save(tmp_path / "brand.pptx")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "en", "--template", str(tmp_path / "brand.pptx"))
    assert result.exit_code == 1, result.output
    assert "brand.pptx: the theme font 'Brand Sans Display' cannot be measured" in result.output
    assert "Traceback" not in result.output


def test_an_organisation_template_in_arial_builds_in_arial(runner, topic, tmp_path):
    template = organisation_style(tmp_path / "brand.pptx")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "en", "--template", str(template))
    assert result.exit_code == 0, result.output
    deck = Presentation(f"out/backwards-walking/en/{DECK}")
    assert theme_fonts(deck) == ("Arial", "Arial")


@pytest.mark.skipif(libreoffice() is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice or poppler-utils is not installed here")
def test_libreoffice_draws_the_deck_in_the_metric_twin_not_a_stand_in(built, tmp_path):
    subprocess.run([libreoffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(built / DECK)], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    fonts = subprocess.run(["pdffonts", str(tmp_path / DECK.replace(".pptx", ".pdf"))],
                           check=True, capture_output=True, text=True).stdout
    text_fonts = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert {"Carlito", "Carlito-Bold"} <= text_fonts, text_fonts
    assert not any(name.startswith(("NotoSans", "DejaVu")) for name in text_fonts), text_fonts
