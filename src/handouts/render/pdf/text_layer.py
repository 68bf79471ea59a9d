"""An exact text layer: what a PDF's text reads back as is what was typeset, in every script.

WeasyPrint 70 writes one ToUnicode entry per glyph, holding the text of the
first cluster it drew the glyph for. Arabic fonts share glyphs between
letters (Noto Sans Arabic draws the lam of lam-alef, dots and hamza parts
as shared glyphs), so every later use of a shared glyph reads back as the
first one: "إلى" came back as "إىل", and "لا" (not) as "ال" or nothing.
This is Kozea/WeasyPrint#2841. The cure, carried in the project until
WeasyPrint has one, changes what the PDF says about each glyph, never
where a glyph is painted:

- every (glyph, text) pair gets its own character code, as the closed PR
  #2869 proposed: the first pair keeps the glyph id, a later pair with
  other text gets an alias code (a CID above the font's glyphs), and the
  font's CIDToGIDMap sends the alias back to the same glyph (TrueType
  fonts; a CFF font keeps WeasyPrint's mapping). The Encoding stays
  Identity-H, which every reader knows, pdfminer included;
- a cluster's whole text goes to one glyph, its first with an advance (the
  carrier); Pango makes each mark a cluster of its own, here a mark joins
  the letter before it. In a right-to-left run a cluster of several
  characters is written in visual order: extractors spread a glyph's
  characters left to right, then reverse the right-to-left line, which
  gives them back in logical order ("لا", not "ال");
- marks (a cluster's other glyphs, mostly without an advance) are drawn
  after the run's letters, each where it was, inside one marked-content span with
  an empty /ActualText, and map to U+0003: WeasyPrint raises a mark with
  text rise in a text object of its own, which extractors read as a line of
  its own, between the letters. After the letters, poppler skips the span
  and PDFium counts U+0003 as a control character, not text.

Runs in which no glyph carries two meanings and no cluster has a mark
(Latin, Chinese) are written exactly as WeasyPrint writes them: the same
bytes. The patch is applied only while our renderer writes a PDF
(`exact_text_layer()`); tests/test_text_layer.py fails when the WeasyPrint
it wraps changes.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

SPARE_CODES = 256  # left free above the font's glyphs for WeasyPrint's .notdef codes
MARK_TEXT = "\u0003"  # what a mark's own code maps to: a control character, not text
WEASYPRINT_VERSION = "70.0"  # the version whose functions are wrapped (checked by the tests)
TJ_ITEM = re.compile(r"<([0-9a-f]*)>|(-?[0-9.]+(?:e-?[0-9]+)?)")  # a TJ array's items


@dataclass
class FontCodes:
    """The codes one font uses beyond its glyph ids."""

    glyphs: dict[int, int] = field(default_factory=dict)  # alias code -> glyph id
    by_pair: dict[tuple[int, str], int] = field(default_factory=dict)  # (glyph, text) -> code


@contextlib.contextmanager
def exact_text_layer():
    """While the block runs, PDFs WeasyPrint writes get the exact text layer."""
    from weasyprint.draw import text as draw_text
    from weasyprint.pdf import fonts as pdf_fonts

    saved = (draw_text.draw_first_line, pdf_fonts._build_vector_font_dictionary,
             pdf_fonts.Font.clean)
    draw_first_line, build_vector_font, clean = saved

    def exact_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        with _coded_line(stream, textbox, text_overflow, block_ellipsis):
            return draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)

    def exact_font(font_dictionary, pdf, font, widths, compress, reference, pdf_version):
        codes = _codes(font)
        if font.used_in_forms:
            # A font a form field also uses is embedded whole, and WeasyPrint then maps
            # every glyph from the font's cmap: the page's aliases and shared glyphs
            # would read back as other letters. Map what the page drew, as for any font.
            widths = {**widths, **{code: font.widths[code] for code in codes.glyphs}}
            font_dictionary["ToUnicode"] = _to_unicode(pdf, font.to_unicode, compress)
        build_vector_font(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
        if codes.glyphs:
            descendant = pdf.objects[int(font_dictionary["DescendantFonts"][0].split()[0])]
            descendant["CIDToGIDMap"] = _cid_to_gid_map(pdf, font, codes, compress)

    def clean_glyphs_only(font, to_unicode, hinting):
        real = {code: text for code, text in to_unicode.items()  # aliases are not glyphs
                if code < font.glyph_count or code in font.missing.values()}
        return clean(font, real, hinting)

    draw_text.draw_first_line = exact_first_line
    pdf_fonts._build_vector_font_dictionary = exact_font
    pdf_fonts.Font.clean = clean_glyphs_only
    try:
        yield
    finally:
        (draw_text.draw_first_line, pdf_fonts._build_vector_font_dictionary,
         pdf_fonts.Font.clean) = saved


def _codes(font) -> FontCodes:
    codes = getattr(font, "handouts_codes", None)
    if codes is None:
        codes = font.handouts_codes = FontCodes()
    return codes


# -- one line ---------------------------------------------------------------------------

@contextlib.contextmanager
def _coded_line(stream, textbox, text_overflow, block_ellipsis):
    """While the line is drawn: each glyph has the code for its text, marks come after the
    letters of their run inside an empty /ActualText span. The layout is restored after.

    Lines WeasyPrint rewrites while drawing (ellipsis) and lines in bitmap or
    colour fonts keep WeasyPrint's own mapping.
    """
    from weasyprint.text.ffi import ffi, pango

    if (text_overflow == "ellipsis" or block_ellipsis != "none" or not textbox.text.strip()
            or textbox.style["font_size"] < 1e-6):
        yield
        return
    # Set before reading the line: changing it later would lay the line out again.
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    line, _ = textbox.pango_layout.get_first_line()
    runs = []
    run = line.runs[0] if line.runs else ffi.NULL
    while run != ffi.NULL:
        runs.append(run.data)
        run = run.next
    fonts = [stream.add_font(item.item.analysis.font) for item in runs]
    if any(font.bitmap or font.png or font.svg or font.colr for font, _ in fonts):
        yield
        return
    utf8 = textbox.pango_layout.text.encode()
    saved, plan = [], []
    try:
        for glyph_item, (font, font_size) in zip(runs, fonts):
            if pango.pango_version() < 14802:  # as WeasyPrint sizes the run
                font_size = textbox.style["font_size"]
            saved += _code_run(stream, glyph_item, font, font_size, utf8, plan)
        with _mark_spans(stream, plan):
            yield
    finally:
        for info, glyph, width, x_offset, y_offset in reversed(saved):
            info.glyph = glyph
            info.geometry.width, info.geometry.x_offset = width, x_offset
            info.geometry.y_offset = y_offset


def _code_run(stream, glyph_item, font, font_size: float, utf8: bytes, plan: list) -> list:
    """Code one run's glyphs and put its marks last; add the run to the span plan (one
    True per drawn glyph that is a mark). Returns what to restore.

    Every glyph of every line passes here, so each of Pango's glyph ids is read
    once, and only the glyphs that change are saved (all of them in a run with marks,
    which moves every glyph).
    """
    from weasyprint.text.ffi import pango

    codes, infos = _codes(font), glyph_item.glyphs.glyphs
    count = glyph_item.glyphs.num_glyphs
    glyph_ids = [infos[i].glyph for i in range(count)]
    changes, marks = [], set()
    for glyphs, text in _glyph_clusters(glyph_item, utf8, glyph_ids):
        carrier = glyphs[0] if len(glyphs) == 1 else next(
            (i for i in glyphs if infos[i].geometry.width), glyphs[0])
        for index in glyphs:
            mark = index != carrier  # a mark, or another part of the cluster's drawing
            own = MARK_TEXT if mark else text
            glyph = glyph_ids[index]
            code = _code_for(font, codes, glyph, own)
            if code is None:
                continue  # no free code: WeasyPrint's own mapping stands
            if code not in font.to_unicode:
                font.to_unicode[code] = own
                font.widths[code] = _width(stream, glyph_item, font, glyph, font_size)
            if code != glyph:
                changes.append((index, code))
            if mark:
                marks.add(index)
    saved = [(infos[i], glyph_ids[i], infos[i].geometry.width, infos[i].geometry.x_offset,
              infos[i].geometry.y_offset)
             for i in (range(count) if marks else [index for index, _ in changes])]
    for index, code in changes:
        infos[index].glyph = code
    if not marks:
        plan += [False for glyph in glyph_ids if glyph != pango.PANGO_GLYPH_EMPTY]
        return saved
    _marks_last(infos, count, marks, font, font_size)
    moved = count - len(marks)
    plan += [slot >= moved for slot in range(count)
             if infos[slot].glyph != pango.PANGO_GLYPH_EMPTY]
    return saved


def _glyph_clusters(glyph_item, utf8: bytes,
                    glyph_ids: list[int]) -> list[tuple[list[int], str]]:
    """The run's clusters of drawable glyphs: (glyph indices in logical order, the text
    they print; in a right-to-left run, in visual order)."""
    from weasyprint.text.ffi import pango

    right_to_left = glyph_item.item.analysis.level % 2 == 1
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    clusters = []
    for glyphs, text in _clusters(glyph_item, utf8, right_to_left):
        drawable = [i for i in glyphs if glyph_ids[i] != empty and not glyph_ids[i] & unknown]
        if drawable:
            clusters.append((drawable, text[::-1] if right_to_left else text))
    return clusters


def _clusters(glyph_item, utf8: bytes, right_to_left: bool) -> list[tuple[list[int], str]]:
    """The run's clusters in logical order: (glyph indices in logical order, text), each
    run of marks joined to the cluster before it."""
    from weasyprint.text.ffi import ffi

    item, string = glyph_item.item, glyph_item.glyphs
    starts = ffi.unpack(string.log_clusters, string.num_glyphs)
    simple = None if right_to_left else _one_glyph_per_character(
        utf8[item.offset:item.offset + item.length], starts)
    if simple is not None:
        return [([index], character) for index, character in enumerate(simple)]
    visual: list[list[int]] = []
    for index, start in enumerate(starts):
        if visual and starts[visual[-1][0]] == start:
            visual[-1].append(index)
        else:
            visual.append([index])
    logical = [group[::-1] for group in reversed(visual)] if right_to_left else visual
    clusters: list[tuple[list[int], str]] = []
    for number, group in enumerate(logical):
        end = starts[logical[number + 1][0]] if number + 1 < len(logical) else item.length
        text = utf8[item.offset + starts[group[0]]:item.offset + end].decode()
        if clusters and _only_marks(text):
            clusters[-1] = (clusters[-1][0] + group, clusters[-1][1] + text)
        else:
            clusters.append((list(group), text))
    return clusters


def _one_glyph_per_character(run: bytes, starts: list[int]) -> str | None:
    """The run's text when each glyph draws one character, in order, and none is a mark
    (most left-to-right text): its clusters are then the characters themselves."""
    if len(starts) > len(run):
        return None
    if run.isascii():  # no marks, one byte a character
        return run.decode() if starts == list(range(len(run))) else None
    text = run.decode()
    if len(text) != len(starts) or any(map(unicodedata.combining, text)):
        return None
    character_starts = [at for at, byte in enumerate(run) if byte & 0xC0 != 0x80]
    return text if starts == character_starts else None


@lru_cache(maxsize=4096)  # a cluster is mostly one character: few distinct texts
def _only_marks(text: str) -> bool:
    """Text of combining marks only (it joins the cluster before it)."""
    return bool(text) and all(unicodedata.combining(c) for c in text)


def _code_for(font, codes: FontCodes, glyph: int, text: str) -> int | None:
    """The glyph id for the glyph's first text, an alias code for each other text; None
    when the font cannot have aliases (CFF, or no codes left)."""
    if font.to_unicode.get(glyph, text) == text:
        return glyph
    pair = (glyph, text)
    if pair not in codes.by_pair:
        code = font.glyph_count + SPARE_CODES + len(codes.glyphs)
        if font.type != "ttf" or code > 0xFFFF or len(font.missing) >= SPARE_CODES:
            return None
        codes.by_pair[pair], codes.glyphs[code] = code, glyph
    return codes.by_pair[pair]


def _width(stream, glyph_item, font, glyph: int, font_size: float) -> int:
    """The glyph's advance in thousandths of the font size, as WeasyPrint measures it."""
    from weasyprint.text.ffi import FROM_UNITS, pango

    if glyph in font.widths:
        return font.widths[glyph]
    pango.pango_font_get_glyph_extents(glyph_item.item.analysis.font, glyph, stream.ink_rect,
                                       stream.logical_rect)
    return round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)


# -- marks after the letters ------------------------------------------------------------

def _marks_last(infos, count: int, marks: set[int], font, font_size: float) -> None:
    """Reorder the run's glyphs: letters first, then marks, each painted where it was.

    Positions follow WeasyPrint's arithmetic for a TJ array (an offset of x
    Pango units moves x/1000 pt; the advance after a glyph is its width less
    a kerning truncated to whole thousandths), so every glyph is placed at
    its old position to a thousandth of a point, and the run ends where it did.
    """
    old = [_slot(infos[i]) for i in range(count)]
    places, ends, pen = [], [], 0.0
    for glyph, width, x_offset, y_offset in old:
        place, pen = _advance(font, font_size, pen, glyph, width, x_offset)
        places.append(place)
        ends.append(pen)
    order = [i for i in range(count) if i not in marks] + sorted(marks)
    pen = 0.0
    for slot, index in enumerate(order):
        glyph, width, x_offset, y_offset = old[index]
        target = ends[-1] if slot == count - 1 else None if index in marks else ends[index]
        width = 0 if target is None else width
        place, end = _advance(font, font_size, pen, glyph, width, x_offset)
        if glyph != _empty() and (abs(place - places[index]) > 0.0005
                                  or target is not None and abs(end - target) > 0.0005):
            x_offset = round((places[index] - pen) * 1000)
            if target is not None:
                width = _width_to_reach(font, font_size, glyph, pen, x_offset, target)
        info = infos[slot]
        info.glyph, info.geometry.width = glyph, width
        info.geometry.x_offset, info.geometry.y_offset = x_offset, y_offset
        _, pen = _advance(font, font_size, pen, glyph, width, x_offset)


def _slot(info) -> tuple[int, int, int, int]:
    geometry = info.geometry
    return info.glyph, geometry.width, geometry.x_offset, geometry.y_offset


def _empty() -> int:
    from weasyprint.text.ffi import pango
    return pango.PANGO_GLYPH_EMPTY


def _advance(font, font_size: float, pen: float, glyph: int, width: int,
             x_offset: int) -> tuple[float, float]:
    """(where the glyph is painted, the pen after it), in points, as WeasyPrint's TJ
    array moves them (draw_first_line)."""
    from weasyprint.text.ffi import FROM_UNITS

    if glyph == _empty():
        return pen, pen + width / 1000
    place = pen + x_offset / 1000
    logical = font.widths.get(glyph, round(width * 1000 * FROM_UNITS / font_size))  # .notdef
    kerning = logical + x_offset / font_size - width * 1000 * FROM_UNITS / font_size
    return place, place + (logical - int(kerning)) * font_size / 1000


def _width_to_reach(font, font_size: float, glyph: int, pen: float, x_offset: int,
                    target: float) -> int:
    """The Pango width that moves the pen from `pen` to `target` past this glyph."""
    from weasyprint.text.ffi import FROM_UNITS

    kerning = font.widths[glyph] - (target - pen - x_offset / 1000) * 1000 / font_size
    width = (font.widths[glyph] + x_offset / font_size - kerning) * font_size / (1000 * FROM_UNITS)
    return round(width)


@contextlib.contextmanager
def _mark_spans(stream, plan: list[bool]):
    """While the line is drawn, put each run's marks in a span with an empty /ActualText,
    splitting TJ arrays where a span starts or ends (marked content cannot open inside
    an array). `plan` has one entry per drawn glyph: True for a mark."""
    if not any(plan):
        yield
        return
    import pydyf

    show_text, steps, state = stream.show_text, iter(plan), {"open": False}

    def show_split(text: str) -> None:
        pending = []
        for match in TJ_ITEM.finditer(text):
            glyphs, number = match.groups()
            if number is not None:
                pending.append(number)
                continue
            for code in (glyphs[i:i + 4] for i in range(0, len(glyphs), 4)):
                mark = next(steps, False)
                if mark != state["open"]:
                    # the numbers since the last glyph place the next one: they go with it
                    last = max((i for i, item in enumerate(pending) if item[0] == "<"),
                               default=-1)
                    if last >= 0:
                        show_text(" ".join(pending[:last + 1]))
                        del pending[:last + 1]
                    if mark:
                        stream.begin_marked_content(
                            "Span", pydyf.Dictionary({"ActualText": pydyf.String("")}))
                    else:
                        stream.end_marked_content()
                    state["open"] = mark
                pending.append(f"<{code}>")
        if pending:
            show_text(" ".join(pending))

    stream.show_text = show_split
    try:
        yield
    finally:
        del stream.show_text
        if state["open"]:
            stream.end_marked_content()


# -- the font ---------------------------------------------------------------------------

def _to_unicode(pdf, to_unicode: dict[int, str], compress: bool):
    """A ToUnicode CMap of these codes, written as WeasyPrint writes its own."""
    import pydyf

    cmap = pydyf.Stream([
        b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
        b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
        b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
        b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"], compress=compress)
    items = sorted(to_unicode.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        cmap.stream.append(f"{len(batch)} beginbfchar".encode())
        for code, text in batch:
            cmap.stream.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        cmap.stream.append(b"endbfchar")
    cmap.stream.extend([b"endcmap", b"CMapName currentdict /CMap defineresource pop",
                        b"end", b"end"])
    pdf.add_object(cmap)
    return cmap.reference


def _cid_to_gid_map(pdf, font, codes: FontCodes, compress: bool):
    """The font's CIDToGIDMap: each CID to the glyph it draws, two bytes per CID.

    A glyph's own CID draws it; an alias CID draws its glyph; CIDs WeasyPrint
    gave to missing characters never reach the map (its Encoding sends them
    to CID 0, .notdef).
    """
    import pydyf

    glyphs = list(range(font.glyph_count)) + [0] * (max(codes.glyphs) + 1 - font.glyph_count)
    for code, glyph in codes.glyphs.items():
        glyphs[code] = glyph
    stream = pydyf.Stream([b"".join(g.to_bytes(2, "big") for g in glyphs)], compress=compress)
    pdf.add_object(stream)
    return stream.reference
