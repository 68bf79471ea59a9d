"""Does the deck fit as a presenter will see it? LibreOffice lays it out; we read where text went.

The build's own fit check (deck_fit.py) measures from the file; this one lets
a real presentation program do the layout. A copy of the deck has every text
box and table cell coloured with a colour of its own (colour changes no
layout), LibreOffice exports that copy to PDF, and each character read back
from the PDF (pdfplumber) is traced to its box by its colour. Then: every
character lies inside its box (a table's cells inside their column and the
placeholder the table stands in), inside the slide; no line breaks inside a
word (as 'Ref.' wrapping to 'Re / f.'); and no two boxes' text, nor text and
a picture, overlap. No code is shared with the builder.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .results import CheckResult

EMU_PER_POINT = 12700
TOLERANCE = 2.0  # points: anti-aliasing and rounding, well below a line of text
STEP = 5  # colour channel step between boxes: survives 8-bit rounding in the PDF
BASE = 256 // STEP
TIMEOUT = 180  # seconds for one LibreOffice conversion
INSTALL_HINT = "install LibreOffice Impress (apt-get install libreoffice-impress-nogui)"


@dataclass
class Target:
    """A text box or table cell on one slide, with the area its text must stay in."""

    slide: int
    name: str
    text: str
    room: tuple[float, float, float, float]  # left, top, right, bottom in points
    chars: list[dict] = field(default_factory=list)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def rendered_fit_results(data: bytes) -> list[CheckResult]:
    """The deck laid out by LibreOffice, checked; a warning naming what to install without it."""
    program = libreoffice()
    if program is None:
        return [CheckResult("rendered-fit", False, f"skipped: LibreOffice is not installed "
                            f"({INSTALL_HINT})", fatal=False)]
    try:
        problems = rendered_problems(data, program)
    except (RuntimeError, subprocess.TimeoutExpired) as failure:
        return [CheckResult("rendered-fit", False, f"LibreOffice could not lay the deck out: "
                            f"{failure}")]
    return [CheckResult("rendered-fit", not problems, "; ".join(problems[:12])
                        + (f"; and {len(problems) - 12} more" if len(problems) > 12 else ""))]


def rendered_problems(data: bytes, program: str) -> list[str]:
    """Every place where LibreOffice's layout of the deck leaves a box, the slide or a word."""
    import pdfplumber

    probe, targets, pictures, size = coloured_copy(data)
    with tempfile.TemporaryDirectory(prefix="handouts-deck-") as folder:
        pdf = to_pdf(probe, Path(folder), program)
        with pdfplumber.open(pdf) as document:
            if len(document.pages) != len(pictures):
                return [f"LibreOffice drew {len(document.pages)} pages for "
                        f"{len(pictures)} slides"]
            problems = []
            for number, page in enumerate(document.pages, start=1):
                problems += _page_problems(number, page, targets, pictures[number - 1], size)
    return problems


def to_pdf(data: bytes, folder: Path, program: str) -> Path:
    """LibreOffice's PDF of the deck, made with a profile of its own (runs never collide)."""
    source = folder / "deck.pptx"
    source.write_bytes(data)
    profile = (folder / "profile").as_uri()
    result = subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        capture_output=True, timeout=TIMEOUT, check=False,
        env={"HOME": str(folder), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    pdf = folder / "deck.pdf"
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice could not convert the deck: "
                           f"{result.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return pdf


def _colour(index: int) -> tuple[int, int, int]:
    return (STEP * (index % BASE), STEP * (index // BASE % BASE), STEP * (index // BASE ** 2))


def _index(colour) -> int | None:
    if not isinstance(colour, (tuple, list)) or len(colour) != 3:
        return None
    r, g, b = (round(value * 255 / STEP) for value in colour)
    return r + g * BASE + b * BASE ** 2


def _box(left, top, width, height) -> tuple[float, float, float, float]:
    return (left / EMU_PER_POINT, top / EMU_PER_POINT, (left + width) / EMU_PER_POINT,
            (top + height) / EMU_PER_POINT)


def coloured_copy(data: bytes):
    """The deck with each box's text in its own colour; the boxes, pictures and slide size."""
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    targets: dict[int, Target] = {}
    pictures: list[list[tuple[str, tuple]]] = []
    for number, slide in enumerate(deck.slides, start=1):
        pictures.append([])
        layout = slide.slide_layout
        for shape in (*slide.shapes, *layout.shapes, *layout.slide_master.shapes):
            if _is_picture(shape):  # a logo, a figure
                pictures[-1].append((shape.name, _box(shape.left, shape.top, shape.width,
                                                      shape.height)))
        for shape in slide.shapes:
            for frame, target in _frames(number, slide, shape, deck):
                if not frame.text.strip():
                    continue
                index = len(targets) + 1
                targets[index] = target
                _paint(frame, _colour(index))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue(), targets, pictures, (deck.slide_width / EMU_PER_POINT,
                                                  deck.slide_height / EMU_PER_POINT)


def _is_picture(shape) -> bool:
    try:
        return shape.shape_type == 13  # MSO_SHAPE_TYPE.PICTURE
    except NotImplementedError:  # a graphic frame python-pptx does not know (SmartArt...)
        return False


def _frames(number: int, slide, shape, deck):
    """(text frame, Target) for a text box, or for each cell of a table."""
    if shape.has_text_frame:
        yield shape.text_frame, Target(number, shape.name, shape.text_frame.text,
                                       _box(shape.left, shape.top, shape.width, shape.height))
    if getattr(shape, "has_table", False) and shape.has_table:
        top, bottom = _table_room(slide, shape, deck)
        left = shape.left
        for c, column in enumerate(shape.table.columns):
            for r, row in enumerate(shape.table.rows):
                cell = row.cells[c]
                room = (left / EMU_PER_POINT, top / EMU_PER_POINT,
                        (left + column.width) / EMU_PER_POINT, bottom / EMU_PER_POINT)
                yield cell.text_frame, Target(number, f"{shape.name} row {r + 1} column {c + 1}",
                                              cell.text_frame.text, room)
            left += column.width


def _table_room(slide, shape, deck) -> tuple[int, int]:
    """A table may fill the body placeholder it stands in, within the slide."""
    body = [p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == 1]
    if body and body[0].top is not None and body[0].height is not None:
        return body[0].top, min(body[0].top + body[0].height, deck.slide_height)
    return shape.top, deck.slide_height


def _paint(frame, colour: tuple[int, int, int]) -> None:
    from pptx.dml.color import RGBColor

    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor(*colour)


def _page_problems(number, page, targets, pictures, size) -> list[str]:
    scale = size[0] / float(page.width)
    mine = {i: t for i, t in targets.items() if t.slide == number}
    for target in mine.values():
        target.chars = []
    problems, stray = [], []
    for char in page.chars:
        if not char["text"].strip():
            continue
        box = tuple(v * scale for v in (char["x0"], char["top"], char["x1"], char["bottom"]))
        owner = mine.get(_index(char.get("non_stroking_color")))
        if owner is None:
            stray.append(box)
        else:
            owner.chars.append({"text": char["text"], "box": box})
    slide = (0.0, 0.0, *size)
    if any(not _inside(box, slide) for box in stray):
        problems.append(f"slide {number}: text outside the slide")
    for target in mine.values():
        problems += _target_problems(number, target, slide)
    problems += _overlaps(number, list(mine.values()), pictures)
    return problems


def _inside(box, room, tolerance: float = TOLERANCE) -> bool:
    return (box[0] >= room[0] - tolerance and box[1] >= room[1] - tolerance
            and box[2] <= room[2] + tolerance and box[3] <= room[3] + tolerance)


def _target_problems(number: int, target: Target, slide) -> list[str]:
    if not target.chars:
        return [f"slide {number}: the text of '{target.name}' was not drawn"]
    problems = []
    outside = [c for c in target.chars if not _inside(c["box"], target.room)]
    if outside:
        worst = max(max(target.room[0] - c["box"][0], target.room[1] - c["box"][1],
                        c["box"][2] - target.room[2], c["box"][3] - target.room[3])
                    for c in outside)
        where = "the slide" if any(not _inside(c["box"], slide) for c in outside) else "its box"
        problems.append(f"slide {number}: {len(outside)} characters of '{target.name}' run "
                        f"outside {where} (by up to {worst:.0f} pt)")
    broken = _broken_words(target)
    if broken:
        problems.append(f"slide {number}: '{target.name}' breaks a word across lines: "
                        + ", ".join(f"'{a} / {b}'" for a, b in broken[:3]))
    return problems


def _lines(chars: list[dict]) -> list[str]:
    """The characters as lines, top to bottom, left to right (Latin text)."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["box"][3], c["box"][0])):
        if rows and abs(rows[-1][0]["box"][3] - char["box"][3]) <= TOLERANCE:
            rows[-1].append(char)
        else:
            rows.append([char])
    return ["".join(c["text"] for c in sorted(row, key=lambda c: c["box"][0])) for row in rows]


def _broken_words(target: Target) -> list[tuple[str, str]]:
    """Pairs (end of a line, start of the next) that cut a word of the source in two."""
    words = target.text.split()
    source = "".join(words)
    ends, position = set(), 0
    for word in words:  # a line may end after a word, or after a hyphen or slash inside one
        ends |= {position + i + 1 for i, ch in enumerate(word[:-1]) if ch in "-/\u2010"}
        position += len(word)
        ends.add(position)
    lines = [line for line in (_strip_bullet(line, source) for line in _lines(target.chars))
             if line]
    if "".join(lines) != source:
        return []  # drawn differently (bullets, ligatures): the bounds checks still apply
    broken, position = [], 0
    for line, following in zip(lines, lines[1:]):
        position += len(line)
        if position not in ends:
            broken.append((line[-8:], following[:8]))
    return broken


def _strip_bullet(line: str, source: str) -> str:
    squeezed = "".join(line.split())
    if squeezed and squeezed[0] in "•▪◦–-‣" and not source.startswith(squeezed[0]):
        squeezed = squeezed[1:]
    return squeezed


def _overlaps(number: int, targets: list[Target], pictures) -> list[str]:
    """Text of one box drawn over another's, or over a picture."""
    extents = [(t.name, _extent(t.chars)) for t in targets if t.chars]
    problems = []
    for i, (name, box) in enumerate(extents):
        for other, other_box in extents[i + 1:] + list(pictures):
            if _overlap(box, other_box):
                problems.append(f"slide {number}: the text of '{name}' overlaps '{other}'")
    return problems


def _extent(chars: list[dict]) -> tuple[float, float, float, float]:
    boxes = [c["box"] for c in chars]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def _overlap(a, b) -> bool:
    return (min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE
            and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE)
