"""Do the pages break where a designer would break them? Measured on the printed pages.

The stylesheets ask WeasyPrint to keep blocks whole (`break-inside: avoid`),
headings with their first lines (`break-after: avoid`, orphans and widows);
this reads the result back from what each page paints (visibility.read_ink:
every glyph and every filled shape) and checks every page but the last:

- no block split. A box is a filled background: one closed shape in a colour
  (the safety box, "Stop now", "Call", the key points, the brief's precautions,
  a striped table row; borders are drawn as rings and are not boxes). A box
  that ends one page and goes on at the top of the next -- same colour, same
  left and right edges, nothing below it on the first page and nothing above it
  on the second -- is split. Text the View knows finds the blocks that have no
  one background: the patient's "stop" and "call" statements, the plan's
  fields and its tick boxes each share one page. Either kind may go on to
  another page only when it is taller than a page: the stylesheet moves a
  block that does not fit to the top of the next page, so a block taller than
  a page starts a page (under at most its heading and first lines) and its
  text fills that page. (A box's height does not tell: the piece of a box that
  goes on reaches the foot of its page, however little it holds.)
- no heading last. The lowest line of body text is not a heading: set larger
  (HEADING_RATIO) than the line above it and than the first line of the next
  page. Comparing a line with its neighbours, not with the commonest size in
  the document, holds in a Chinese handout too, whose commonest letters are
  the small Latin ones of its reference list.
- no page more than a third empty: from the lowest body ink (glyph or filled
  shape) down to the body's bottom edge, as a share of the body's height (from
  the highest body ink in the document down to that edge). The edge is where
  the bottom margin begins: the footer is centred in that margin (as CSS
  margin boxes are unless told otherwise), so the edge lies as far above the
  footer's top as the footer's bottom lies above the page's foot. Not when the
  next page opens with a block kept whole (a box or a group above, with at
  most a heading and its first lines over it) about as tall as the space left
  or taller: a whole block moves to the next page, and the space it leaves
  cannot be filled without splitting it or reordering the text.

Page furniture is left out: the lines in the top or bottom strip of the page
that every page prints at the same height with the same words but for their
digits (the footer, page numbers, the DRAFT mark), and the lines at the top
that the page paints after its body (a running head such as "Safety
(continued)": WeasyPrint paints the margin boxes last). The check uses
geometry, colours and the View's own text only: it reads any language in
either direction and does not depend on how a template names its elements.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from ..model import View, is_right_to_left
from .results import CheckResult, citation_labels, squeeze
from .visibility import Fill, Glyph, GlyphStream, PageInk

EMPTY_LIMIT = 1 / 3  # the largest share of a page (but the last) left empty
HEADING_RATIO = 1.08  # a line this much larger than its neighbours is a heading
MOVED_SHARE = 0.9  # a block this share of the space left on a page could not fit in it
FULL_PAGE_SLACK = 0.25  # a block that goes on fills its first page to within this share
LEAD_LINES = 3  # lines a block may carry above it at the top of a page (heading, first line)
MIN_BOX_WIDTH = 40.0  # points: narrower fills are icons, bars and tick boxes, not boxes
EDGE = 1.0  # points: two edges this close are the same edge
FURNITURE_STRIP = 0.15  # share of the page height at top and bottom where furniture sits
SAME_HEIGHT = 1.0  # points: furniture sits this close to the same height on every page
LABEL_GAP = 3  # characters allowed between consecutive plan labels (a colon)
SHOWN = 5  # problems listed before "and N more"
MOVE_WHOLE = ("(a block that does not fit moves whole to the next page, and goes on from there "
              "only if it is taller than a page)")


@dataclass(eq=False)
class Line:
    """Glyphs that share a line on a page (its measures are taken once it is complete)."""

    page: int
    glyphs: list[Glyph] = field(default_factory=list)

    @cached_property
    def top(self) -> float:
        return max(g.box[3] for g in self.glyphs)

    @cached_property
    def bottom(self) -> float:
        return min(g.box[1] for g in self.glyphs)

    @cached_property
    def centre(self) -> float:
        return statistics.median(g.centre[1] for g in self.glyphs)

    @cached_property
    def size(self) -> float:
        letters = [g.size for g in self.glyphs if g.char.isalpha()]
        return statistics.median(letters or [g.size for g in self.glyphs])

    @cached_property
    def text(self) -> str:
        """The line's characters left to right, a space where a gap separates words."""
        text, previous = "", None
        for glyph in sorted(self.glyphs, key=lambda g: g.box[0]):
            if previous is not None and glyph.box[0] - previous.box[2] > 0.2 * glyph.size:
                text += " "
            text, previous = text + glyph.char, glyph
        return text


@dataclass
class Body:
    """One page's body: its lines (top to bottom) and fills, without the page furniture."""

    ink: PageInk
    lines: list[Line]
    fills: list[Fill]

    @property
    def number(self) -> int:
        return self.ink.number

    @property
    def glyphs(self) -> list[Glyph]:
        """The body's glyphs in the order the page draws them (reading order, line by
        line), as the safety read-back reads them."""
        kept = {id(g) for line in self.lines for g in line.glyphs}
        return [g for g in self.ink.glyphs if id(g) in kept]

    @property
    def lowest(self) -> float | None:
        edges = [line.bottom for line in self.lines] + [f.bounds[1] for f in self.fills]
        return min(edges) if edges else None

    @property
    def highest(self) -> float | None:
        edges = [line.top for line in self.lines] + [f.bounds[3] for f in self.fills]
        return max(edges) if edges else None

    def centres(self) -> list[float]:
        """Heights of everything the body paints (lines, not glyphs: an Arabic mark's box
        reaches far above its line)."""
        return [line.centre for line in self.lines] + [(f.bounds[1] + f.bounds[3]) / 2
                                                       for f in self.fills]

    def lines_above(self, height: float) -> int:
        return sum(1 for line in self.lines if line.centre > height)


@dataclass(frozen=True)
class Block:
    """A block kept whole (or too tall to keep), where it starts: page and edges."""

    name: str
    page: int
    top: float
    bottom: float


def page_break_results(pages: list[PageInk], view: View) -> list[CheckResult]:
    """Blocks kept whole, no heading last on a page, no page more than a third empty."""
    if len(pages) < 2:
        return [CheckResult("page-breaks", True)]
    bodies, edge = _bodies(pages)
    tops = [b.highest for b in bodies if b.highest is not None]
    area = (max(tops) if tops else pages[0].size[1]) - edge
    blocks: list[Block] = []
    problems = _split_boxes(bodies, blocks, is_right_to_left(view.language), edge, area)
    problems += _split_groups(bodies, view, blocks, edge, area)
    problems += _headings_last(bodies)
    problems += _empty_pages(bodies, edge, area, blocks)
    shown = "; ".join(problems[:SHOWN])
    if len(problems) > SHOWN:
        shown += f"; and {len(problems) - SHOWN} more"
    return [CheckResult("page-breaks", not problems, shown)]


# -- the body of each page ------------------------------------------------------

def lines_of(glyphs: list[Glyph], page: int = 0) -> list[Line]:
    """Glyphs grouped in lines, top to bottom: sorted by height, a new line where the next
    glyph's centre is lower by more than 0.4 of the larger of the two sizes."""
    lines: list[Line] = []
    heights = [(glyph.box[1] + glyph.box[3]) / 2 for glyph in glyphs]  # centres, once
    previous = None
    for index in sorted(range(len(glyphs)), key=lambda i: -heights[i]):
        glyph = glyphs[index]
        if previous is None or (heights[previous] - heights[index]
                                > 0.4 * max(glyphs[previous].size, glyph.size)):
            lines.append(Line(page))
        lines[-1].glyphs.append(glyph)
        previous = index
    return lines


def _bodies(pages: list[PageInk]) -> tuple[list[Body], float]:
    """Each page's body, and the body's bottom edge (0 when no page has a footer)."""
    every = [lines_of(page.glyphs, page.number) for page in pages]
    footer: list[Line] = []
    bodies = []
    for index, (page, lines) in enumerate(zip(pages, every)):
        others = every[:index] + every[index + 1:]
        strip = FURNITURE_STRIP * page.size[1]
        furniture = [line for line in lines
                     if not strip < line.centre < page.size[1] - strip
                     and all(any(abs(other.centre - line.centre) <= SAME_HEIGHT
                                 and _furniture_text(other) == _furniture_text(line)
                                 for other in lines_elsewhere) for lines_elsewhere in others)]
        # A running head that only some pages print ("Safety (continued)"): painted, as
        # every margin box is, after the page's body, yet at its top.
        middle = [g.layer for line in lines if strip < line.centre < page.size[1] - strip
                  for g in line.glyphs]
        if middle:
            last = max(middle)
            furniture += [line for line in lines if line.centre >= page.size[1] - strip
                          and line not in furniture
                          and min(g.layer for g in line.glyphs) > last]
        bands = [(line.bottom - 6, line.top + 6) for line in furniture]
        if index == 0:
            footer = [line for line in furniture if line.centre < strip]
        bodies.append(Body(page, [line for line in lines if line not in furniture],
                           [f for f in page.fills if not any(low <= f.bounds[1] and
                                                             f.bounds[3] <= high
                                                             for low, high in bands)]))
    edge = max(line.top for line in footer) + min(line.bottom for line in footer) if footer \
        else 0.0
    return bodies, edge


def _furniture_text(line: Line) -> str:
    """A line's letters without digits or spaces: a footer reads the same on every page but
    for its page numbers (whose widths move the spaces around them)."""
    return "".join(ch for ch in line.text
                   if not ch.isspace() and not unicodedata.category(ch).startswith("N"))


# -- blocks split ---------------------------------------------------------------

def _is_box(fill: Fill) -> bool:
    """A background: one closed shape, wide enough, in a colour (borders are rings)."""
    left, bottom, right, top = fill.bounds
    return (len(fill.subpaths) == 1 and right - left >= MIN_BOX_WIDTH and top > bottom
            and fill.colour[3] > 0 and min(fill.colour[:3]) < 0.995)


def _same_box(a: Fill, b: Fill) -> bool:
    return (all(abs(x - y) <= 0.01 for x, y in zip(a.colour, b.colour))
            and abs(a.bounds[0] - b.bounds[0]) <= EDGE and abs(a.bounds[2] - b.bounds[2]) <= EDGE)


def _ends(body: Body, box: Fill) -> bool:
    """Nothing on the page lies below the box."""
    return all(y >= box.bounds[1] - EDGE for y in body.centres())


def _starts(body: Body, box: Fill) -> bool:
    """Nothing on the page lies above the box."""
    return all(y <= box.bounds[3] + EDGE for y in body.centres())


def _split_boxes(bodies: list[Body], blocks: list[Block], right_to_left: bool, edge: float,
                 area: float) -> list[str]:
    """Boxes that end one page and go on, the same box, at the top of the next, unless
    taller than a page (`_too_tall`)."""
    problems = []
    continued: set[int] = set()  # fills already seen as the continuation of a box
    for index, here in enumerate(bodies):
        for fill in here.fills:
            if not _is_box(fill) or id(fill) in continued:
                continue
            chain = [fill]
            if _ends(here, fill):
                for following in bodies[index + 1:]:
                    nxt = next((f for f in following.fills if _is_box(f) and
                                _same_box(f, chain[-1]) and _starts(following, f)), None)
                    if nxt is None:
                        break
                    chain.append(nxt)
                    continued.add(id(nxt))
                    if not _ends(following, nxt):
                        break
            if len(chain) == 1 or _too_tall(here, fill.bounds[3], _content_bottom(here, fill),
                                            edge, area):
                blocks.append(Block("a box", here.number, fill.bounds[3],
                                    fill.bounds[1]))  # whole, or moved whole and too tall
            else:
                problems.append(f"pages {here.number}–{here.number + len(chain) - 1}: the box "
                                f"{_opening(here, fill, right_to_left)} is split across pages "
                                f"{MOVE_WHOLE}")
    return problems


def _opening(body: Body, box: Fill, right_to_left: bool) -> str:
    """The first words inside a box (its label and the start of its text), to name it."""
    left, bottom, right, top = box.bounds
    words = []
    for line in body.lines:
        inside = [g for g in line.glyphs
                  if left <= g.centre[0] <= right and bottom <= g.centre[1] <= top]
        if inside:
            text = "".join(ch for ch in Line(body.number, inside).text
                           if not unicodedata.category(ch).startswith("M"))  # marks apart
            words.append(text[::-1] if right_to_left else text)  # glyphs in visual order
        if len(" ".join(words)) >= 40:
            break
    if not words:
        return "(with no text)"
    text = " ".join(words)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _split_groups(bodies: list[Body], view: View, blocks: list[Block], edge: float,
                  area: float) -> list[str]:
    """Statements and lines read together share one page, unless they fill more than one."""
    glyphs = [g for body in bodies for g in body.glyphs]
    groups: list[tuple[str, list[Glyph]]] = []
    if view.audience == "patient":  # the handout gathers them under "When to stop"
        tiered = [s for s in view.safety_statements() if s.tier]
        if len(tiered) > 1:
            stream = GlyphStream(glyphs)
            found = [stream.locate(s.units, citation_labels(s.units, view)) for s in tiered]
            groups.append((f"the \"stop\" and \"call\" statements ("
                           f"{', '.join(s.id for s in tiered)})",
                           [g for group in found if group for g in group]))
    plan = view.topic.plan
    if plan:
        for name, units in (("the plan's fields", [f.label for f in plan.fields]),
                            ("the plan's tick boxes", list(plan.supports))):
            groups.append((name, _find_sequence(glyphs, [u.text for u in units]) or []))
    by_page = {body.number: body for body in bodies}
    problems = []
    for name, located in groups:
        pages = sorted({g.page for g in located})
        if not pages:
            continue  # not found (a translation that prints them otherwise): not judged
        start = [g for g in located if g.page == pages[0]]
        first = _block(name, by_page[pages[0]], start)
        if len(pages) == 1 or _too_tall(by_page[pages[0]], first.top,
                                        min(g.box[1] for g in start), edge, area):
            blocks.append(first)
        else:
            problems.append(f"pages {pages[0]}–{pages[-1]}: {name} are split across pages "
                            f"{MOVE_WHOLE}")
    return problems


def _block(name: str, body: Body, glyphs: list[Glyph]) -> Block:
    """Where glyphs lie on their page, with the boxes their first and last glyphs sit in."""
    first = max(glyphs, key=lambda g: g.centre[1])
    last = min(glyphs, key=lambda g: g.centre[1])
    around = [f.bounds for f in body.fills if _is_box(f)]
    tops = [b[3] for b in around if b[0] <= first.centre[0] <= b[2] and b[1] <= first.centre[1]
            <= b[3]]
    bottoms = [b[1] for b in around if b[0] <= last.centre[0] <= b[2] and b[1] <= last.centre[1]
               <= b[3]]
    return Block(name, body.number, max([first.box[3], *tops]), min([last.box[1], *bottoms]))


def _too_tall(body: Body, top: float, lowest: float, edge: float, area: float) -> bool:
    """A block that goes on to the next page because it is taller than a page: it starts
    its page and its text fills it (to within FULL_PAGE_SLACK of the body's height)."""
    return _starts_page(body, top) and lowest - edge <= FULL_PAGE_SLACK * area


def _content_bottom(body: Body, box: Fill) -> float:
    """The lowest glyph inside a box (the piece of a box that goes on reaches the foot of
    its page, however little it holds)."""
    left, bottom, right, top = box.bounds
    inside = [g.box[1] for g in body.glyphs
              if left <= g.centre[0] <= right and bottom <= g.centre[1] <= top]
    return min(inside, default=top)


def _starts_page(body: Body, top: float) -> bool:
    """A block whose top lies under at most its heading and first lines: it starts the
    page."""
    return body.lines_above(top - EDGE) <= LEAD_LINES


def _find_sequence(glyphs: list[Glyph], texts: list[str]) -> list[Glyph] | None:
    """The glyphs of short texts printed one after another (a list of labels), or None.

    The last place in the text where each follows the one before with at most
    LABEL_GAP characters between them (a colon); each may read backwards (a
    right-to-left line comes out of the page in visual order).
    """
    stream = GlyphStream(glyphs)
    text, owners = stream.text, stream.owners
    needles = [squeeze(t) for t in texts if squeeze(t)]
    if not needles:
        return None
    for start in reversed(_places(text, needles[0])):
        position, found = start, []
        for needle in needles:
            match = position if not found else next(
                (i for i in range(position, position + LABEL_GAP + 1) if _at(text, i, needle)),
                None)
            if match is None:
                break
            found += owners[match:match + len(needle)]
            position = match + len(needle)
        else:
            return found
    return None


def _places(text: str, needle: str) -> list[int]:
    """Every index where `needle` starts, read forwards or backwards, in order."""
    places = set()
    for form in (needle, needle[::-1]):
        index = text.find(form)
        while index >= 0:
            places.add(index)
            index = text.find(form, index + 1)
    return sorted(places)


def _at(text: str, index: int, needle: str) -> bool:
    return text.startswith(needle, index) or text.startswith(needle[::-1], index)


# -- headings and space ---------------------------------------------------------

def _headings_last(bodies: list[Body]) -> list[str]:
    """Pages (but the last) whose lowest line is a heading."""
    problems = []
    for body, following in zip(bodies, bodies[1:]):
        if not body.lines or not following.lines:
            continue
        last = body.lines[-1]
        above = next((line for line in reversed(body.lines[:-1])
                      if abs(line.size - last.size) > 0.2), None)  # over a heading that wraps
        neighbours = [line.size for line in (above, following.lines[0]) if line is not None]
        if all(last.size >= HEADING_RATIO * size for size in neighbours):
            text = last.text
            problems.append(f"page {body.number}: the heading "
                            f"{text if len(text) <= 40 else text[:39] + '…'!r} is the last line "
                            f"on the page, its text on the next")
    return problems


def _empty_pages(bodies: list[Body], edge: float, area: float,
                 blocks: list[Block]) -> list[str]:
    """Pages (but the last) more than EMPTY_LIMIT empty, unless a whole block moved on.

    A block explains the space it left when it opens the next page and is nearly as
    tall as that space or taller (MOVED_SHARE: the margins between blocks are not
    measured) -- unless the page holds no more than a heading and its first lines,
    left behind by a block taller than a page (which WeasyPrint moves without them).
    """
    problems = []
    for body, following in zip(bodies, bodies[1:]):
        lowest = body.lowest if body.lowest is not None else edge
        space = max(lowest - edge, 0.0)
        if space / area <= EMPTY_LIMIT:
            continue
        top = following.highest or 0
        if len(body.lines) <= LEAD_LINES or not any(
                b.page == following.number and _starts_page(following, b.top)
                and top - b.bottom >= MOVED_SHARE * space for b in blocks):
            problems.append(f"page {body.number} is {space / area:.0%} empty (at most "
                            f"{EMPTY_LIMIT:.0%} but on the last page)")
    return problems
