"""A font cut once per process is reused by every PDF that needs the same cut, and the
PDFs are the bytes they would be without it."""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.pdf import fonts as pdf_fonts

from handouts.render.pdf import font_subsets
from handouts.render.pdf.font_subsets import reused_subsets

CHINESE = "全程握住扶手。不要独自练习。如果感到头晕，请立即停止。"
PAGE = ('<html lang="zh-Hans"><body style="font-family: \'Noto Sans CJK SC\'; '
        'font-size: {size}pt"><p>{text}</p><p><b>{text}</b></p></body></html>')


def write(text: str, size: int = 12, paper: str = "A4") -> bytes:
    style = f"<style>@page {{ size: {paper} }}</style>"
    document = weasyprint.HTML(string=style + PAGE.format(size=size, text=text)).render()
    return document.write_pdf()


@pytest.fixture
def cuts(monkeypatch):
    """Count the cuts HarfBuzz really makes, from an empty memory (and a fixed date for
    the PDFs, set for these tests only: a build later in the session must not see it)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    monkeypatch.setattr(font_subsets, "_CUT", type(font_subsets._CUT)())
    made = []
    real = pdf_fonts.Font._harfbuzz_subset
    monkeypatch.setattr(pdf_fonts.Font, "_harfbuzz_subset",
                        lambda self, *args: made.append(self.family) or real(self, *args))
    return made


def test_pdfs_with_the_same_glyphs_share_one_cut_and_keep_their_bytes(cuts):
    plain = [write(CHINESE, 12, "A4"), write(CHINESE, 17, "letter")]
    assert len(cuts) == 4  # regular and bold, for each PDF
    cuts.clear()
    with reused_subsets():
        reused = [write(CHINESE, 12, "A4"), write(CHINESE, 17, "letter")]
    assert len(cuts) == 2  # the large-print Letter page reused the A4 page's cuts
    assert reused == plain


def test_other_glyphs_are_cut_again(cuts):
    with reused_subsets():
        write(CHINESE)
        write(CHINESE[:8])
    assert len(cuts) == 4
