"""The evidence table laid out for whatever content placeholder the template has.

Column widths come from the cells (no column narrower than its longest word,
so "Ref." never wraps to "Re / f."; the rest shared out by how much text each
column holds), rows are as tall as their text, and rows that do not fit
continue on the next slide under the header row again. The text is as large
as the placeholder allows, never below TABLE_FLOOR.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fit import DEFAULT_FAMILY, WIDTH_MARGIN, line_count, line_height, longest_word, \
    text_width

TABLE_SIZES = (20, 18, 16, 14)  # points, largest first: the back of a room reads the table
TABLE_FLOOR = TABLE_SIZES[-1]
CELL_MARGIN = 6.0  # points, left and right inside a cell
CELL_PADDING = 3.6  # points, above and below the text of a cell


class TableDoesNotFit(Exception):
    """Even at TABLE_FLOOR a column's longest word or a row is too big for the placeholder."""


@dataclass(frozen=True)
class TableLayout:
    size: float
    widths: tuple[float, ...]  # points, one per column, summing to the placeholder's width
    pages: tuple[tuple[tuple[str, ...], ...], ...]  # the body rows of each slide

    def row_height(self, row: tuple[str, ...] | list[str], family: str = DEFAULT_FAMILY) -> float:
        return row_height(row, self.widths, self.size, family)


def cell_min(text: str, size: float, family: str) -> float:
    return longest_word(text, size, family) / WIDTH_MARGIN + 2 * CELL_MARGIN


def cell_max(text: str, size: float, family: str) -> float:
    return text_width(" ".join(text.split()), size, family=family) / WIDTH_MARGIN \
        + 2 * CELL_MARGIN


def column_widths(rows: list[list[str]], width: float, size: float,
                  family: str = DEFAULT_FAMILY) -> tuple[float, ...] | None:
    """Widths in points for the columns, or None when their longest words alone overflow.

    As a browser lays out an automatic table: each column gets at least its
    longest word; the room left is shared in proportion to what each column
    would need to set its longest cell on one line.
    """
    columns = list(zip(*rows))
    least = [max(cell_min(c, size, family) for c in column) for column in columns]
    most = [max(max(cell_max(c, size, family) for c in column), low)
            for column, low in zip(columns, least)]
    if sum(least) > width:
        return None
    if sum(most) <= width:
        return tuple(m * width / sum(most) for m in most)
    spare, wants = width - sum(least), [m - low for m, low in zip(most, least)]
    return tuple(low + spare * want / sum(wants) for low, want in zip(least, wants))


def row_height(row, widths, size: float, family: str = DEFAULT_FAMILY) -> float:
    """Points a row needs: its tallest cell's lines, plus the cell padding."""
    lines = max(line_count(cell, width - 2 * CELL_MARGIN, size, family)
                for cell, width in zip(row, widths))
    return lines * line_height(size, family) + 2 * CELL_PADDING


def _pages(header, rows, widths, size, height, family) -> list[list[list[str]]] | None:
    """Rows packed greedily under a repeated header, then spread evenly; None if one cannot fit."""
    head = row_height(header, widths, size, family)
    heights = [row_height(row, widths, size, family) for row in rows]
    if any(head + h > height for h in heights):
        return None
    pages: list[list[int]] = [[]]
    for index, h in enumerate(heights):
        if pages[-1] and head + sum(heights[i] for i in pages[-1]) + h > height:
            pages.append([])
        pages[-1].append(index)
    count = len(pages)
    per_page = -(-len(rows) // count)
    even = [list(range(i, min(i + per_page, len(rows)))) for i in range(0, len(rows), per_page)]
    if len(even) == count and all(head + sum(heights[i] for i in page) <= height
                                  for page in even):
        pages = even
    return [[rows[i] for i in page] for page in pages]


def layout_table(header: list[str], rows: list[list[str]], width: float, height: float,
                 family: str = DEFAULT_FAMILY) -> TableLayout:
    """The largest size that pages the table onto at most one slide more than the smallest."""
    options = []
    for size in TABLE_SIZES:
        widths = column_widths([header] + rows, width, size, family)
        pages = widths and _pages(header, rows, widths, size, height, family)
        if pages:
            options.append(TableLayout(size, widths, tuple(
                tuple(tuple(row) for row in page) for page in pages)))
    if not options:
        raise TableDoesNotFit(f"the evidence table does not fit a {width / 72:.1f} x "
                              f"{height / 72:.1f} in content placeholder even at {TABLE_FLOOR} pt")
    fewest = min(len(option.pages) for option in options)
    return next(option for option in options if len(option.pages) <= fewest + 1)
