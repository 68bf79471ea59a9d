"""No silent loss and no runaway output: long words break, runaway content is refused."""

from __future__ import annotations

from conftest import run_build
from readback import pdf_text, squeezed

MD = "backwards-walking.md"
ANCHOR = "places less stress on the knee.†"


def test_a_word_longer_than_the_line_breaks_and_every_letter_stays_on_the_page(runner, topic):
    word = "walk" * 2500  # 10,000 letters, no break opportunity
    topic.edit(MD, ANCHOR, f"{ANCHOR} {word}")
    result = run_build(runner, "backwards-walking", "--out", "out", "--lang", "en",
                       "--audience", "clinician", "--paper", "letter", "--jobs", "1")
    # The read-back's text-visible check fails on any glyph outside the page.
    assert result.exit_code == 0, result.output
    text = squeezed(pdf_text("out/backwards-walking/en/backwards-walking-clinician.pdf"))
    # The word spans pages (footers fall between its pieces): count what was printed.
    assert text.count("walk") >= 2495


def test_runaway_content_is_refused_before_layout_with_the_limit_named(runner, topic):
    sentence = "The brief repeats this sentence to make a runaway section of text. "
    section = "\n\n## Appendix {#appendix .clinician}\n\n" + "\n\n".join(
        sentence * 40 for _ in range(150)) + "\n"
    path = topic.path(MD)
    path.write_text(path.read_text("utf-8") + section, "utf-8")
    result = run_build(runner, "backwards-walking", "--out", "out", "--lang", "en",
                       "--audience", "clinician", "--paper", "letter", "--jobs", "1")
    assert result.exit_code == 1
    assert ("backwards-walking/backwards-walking.md: the clinician output "
            "backwards-walking/en/backwards-walking-clinician.pdf has 4") in result.output
    assert "characters of text, over its limit of 12 pages (shorten the content for this " \
           "audience, or split it into several topics)" in result.output
    # "characters of text": refused by the estimate, before laying out hundreds of pages.
