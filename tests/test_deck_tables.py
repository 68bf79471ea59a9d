"""The evidence table laid out for any placeholder: widths from content, large type, paged rows."""

from __future__ import annotations

import pytest
from pptx import Presentation

from deck_templates import organisation_style
from handouts.render.pptx.fit import longest_word, text_width
from handouts.render.pptx.table import (CELL_MARGIN, TABLE_FLOOR, TABLE_SIZES, TableDoesNotFit,
                                        column_widths, layout_table, row_height)

HEADER = ["Ref.", "Design", "Population", "Main finding", "Level"]
ROW = ["1", "Systematic review and meta-analysis of randomized controlled trials",
       "Persons with neurologic disorders (such as stroke, Parkinson's disease)",
       "Consistent benefits in balance, gait and functional mobility", "Not graded"]


def test_no_column_is_narrower_than_its_longest_word():
    for width in (720, 560, 420):  # 16:9, 4:3 and a narrow placeholder, in points
        widths = column_widths([HEADER, ROW], width, TABLE_FLOOR)
        assert widths is not None and sum(widths) == pytest.approx(width)
        for column, cells in zip(widths, zip(HEADER, ROW)):
            words = max(longest_word(cell, TABLE_FLOOR) for cell in cells)
            assert column - 2 * CELL_MARGIN >= words, (width, cells)


def test_columns_with_more_text_get_more_room():
    widths = column_widths([HEADER, ROW], 720, 18)
    assert widths[0] < widths[4] < widths[1]  # "Ref." least, the long design cell most


def test_a_table_that_fits_on_one_line_keeps_its_proportions():
    widths = column_widths([["a", "bbbb"]], 400, 14)
    natural = [text_width("a", 14), text_width("bbbb", 14)]
    assert widths[1] / widths[0] == pytest.approx((natural[1] / 0.95 + 2 * CELL_MARGIN)
                                                  / (natural[0] / 0.95 + 2 * CELL_MARGIN))


def test_rows_continue_under_the_header_and_every_page_fits():
    rows = [[str(i)] + ROW[1:] for i in range(1, 9)]
    layout = layout_table(HEADER, rows, 560, 330)
    assert len(layout.pages) > 1
    assert [row for page in layout.pages for row in page] == [tuple(r) for r in rows]
    for page in layout.pages:
        height = layout.row_height(HEADER) + sum(layout.row_height(r) for r in page)
        assert height <= 330
    sizes = [len(page) for page in layout.pages]
    assert max(sizes) - min(sizes) <= 1  # balanced, not full pages and a lone row


def test_the_text_is_as_large_as_the_placeholder_allows_never_below_the_floor():
    assert layout_table(HEADER, [ROW], 900, 400).size == TABLE_SIZES[0]
    small = layout_table(HEADER, [ROW], 440, 400)
    assert TABLE_FLOOR <= small.size < TABLE_SIZES[0]


def test_a_placeholder_too_narrow_for_the_words_is_a_clear_error():
    with pytest.raises(TableDoesNotFit, match="does not fit a 2.5 x 5.6 in content placeholder "
                                              "even at 14 pt"):
        layout_table(HEADER, [ROW], 180, 400)


def test_row_height_counts_the_tallest_cell():
    widths = column_widths([HEADER, ROW], 560, 14)
    assert row_height(ROW, widths, 14) > row_height(HEADER, widths, 14)


def test_a_template_too_narrow_for_the_table_fails_with_a_message(runner, topic, tmp_path):
    from conftest import run_build
    from pptx.util import Inches

    deck = Presentation(organisation_style(tmp_path / "narrow.pptx"))
    content = next(l for l in deck.slide_layouts if l.name == "Title and Content")
    body = next(p for p in content.placeholders if p.placeholder_format.idx == 1)
    body.width = Inches(2.4)
    deck.save(tmp_path / "narrow.pptx")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "en", "--template", str(tmp_path / "narrow.pptx"))
    assert result.exit_code == 1, result.output
    assert "topic.yaml:" in result.output and "the evidence table does not fit" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
