"""What a PDF holds, read with PDFium: text, pages, fonts, links and named destinations.

PDFium (pypdfium2) reads a handout's structure in about 15 ms. Its text is
what every build compares; poppler's (poppler.py), an extractor sharing no
code with it, is read too by `handouts check --thorough` and by the tests.
"""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class PdfFacts:
    text: str  # PDFium's, in reading order
    pages: int
    page_size: tuple[float, float]
    unembedded_fonts: tuple[str, ...]
    fonts: tuple[str, ...]  # base font names, subset prefix removed
    internal_links: tuple[str, ...]  # named destinations that links point to
    destinations: tuple[str, ...]  # named destinations that exist
    uris: tuple[str, ...]  # external link targets (DOIs)
    text_by_font: tuple[tuple[str, str], ...]  # (font name, text it draws)
    ink: tuple = ()  # visibility.PageInk per page: what each page paints, in order
    poppler_text: str | None = None  # the same pages read by poppler (pdftotext), if asked

    @property
    def texts(self) -> dict[str, str]:
        """The text as each independent extractor that read it reads it."""
        texts = {"PDFium": self.text}
        if self.poppler_text is not None:
            texts["poppler"] = self.poppler_text
        return texts


def read(data: bytes, poppler: bool = False) -> PdfFacts:
    """Read a PDF: everything with PDFium, and its text with poppler too when asked."""
    import pypdfium2

    from .poppler import PopplerReading
    from .visibility import read_ink

    second = PopplerReading(data) if poppler else None  # runs while PDFium reads
    document = None
    try:
        document = pypdfium2.PdfDocument(data)  # a damaged file stops here: pdftotext too
        pages = [document[i] for i in range(len(document))]
        textpages = [page.get_textpage() for page in pages]  # loaded once, read three ways
        # get_text_range is PDFium's text: control characters left out (text_layer.py
        # maps the marks it draws apart to one)
        text = "\n".join(textpage.get_text_range() for textpage in textpages)
        named = _named_destinations(document)
        links, uris = _links(document, pages, named)
        fonts, runs = _fonts(pages, textpages)
        width, height = pages[0].get_size()
        return PdfFacts(text, len(pages), (width, height),
                        tuple(sorted(name for name, embedded in fonts.items() if not embedded)),
                        tuple(sorted({name.split("+")[-1] for name in fonts})),
                        tuple(links), tuple(sorted(set(named.values()))), tuple(uris),
                        tuple(runs), tuple(read_ink(pages, textpages)),
                        second.text() if second else None)
    finally:
        if document is not None:
            document.close()
        if second:
            second.close()


def _location(raw_document, dest) -> tuple[int, float, float]:
    import pypdfium2.raw as pdfium

    has = [ctypes.c_int() for _ in range(3)]
    where = [ctypes.c_float() for _ in range(3)]
    pdfium.FPDFDest_GetLocationInPage(dest, *map(ctypes.byref, has), *map(ctypes.byref, where))
    return (pdfium.FPDFDest_GetDestPageIndex(raw_document, dest),
            round(where[0].value, 1), round(where[1].value, 1))


def _named_destinations(document) -> dict[tuple[int, float, float], str]:
    """Named destinations by where they point (links carry places, not names)."""
    import pypdfium2.raw as pdfium

    named = {}
    for index in range(pdfium.FPDF_CountNamedDests(document.raw)):
        size = ctypes.c_long(0)
        pdfium.FPDF_GetNamedDest(document.raw, index, None, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        dest = pdfium.FPDF_GetNamedDest(document.raw, index, buffer, ctypes.byref(size))
        if dest:
            name = buffer.raw[:size.value].decode("utf-16-le").rstrip("\x00")
            named[_location(document.raw, dest)] = name
    return named


def _links(document, pages, named) -> tuple[list[str], list[str]]:
    import pypdfium2.raw as pdfium

    internal, external = [], []
    for page in pages:
        position, link = ctypes.c_int(0), pdfium.FPDF_LINK()
        while pdfium.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
            dest = pdfium.FPDFLink_GetDest(document.raw, link)
            if dest:
                internal.append(named.get(_location(document.raw, dest), "?"))
            action = pdfium.FPDFLink_GetAction(link)
            if action and pdfium.FPDFAction_GetType(action) == pdfium.PDFACTION_URI:
                size = pdfium.FPDFAction_GetURIPath(document.raw, action, None, 0)
                buffer = ctypes.create_string_buffer(size)
                pdfium.FPDFAction_GetURIPath(document.raw, action, buffer, size)
                external.append(buffer.value.decode("utf-8", "replace"))
    return internal, external


def _fonts(pages, textpages) -> tuple[dict[str, bool], list[tuple[str, str]]]:
    """Each font with whether it is embedded, and the text each text object draws with it."""
    import pypdfium2.raw as pdfium

    fonts: dict[str, bool] = {}
    runs = []
    for page, textpage in zip(pages, textpages):
        for index in range(pdfium.FPDFPage_CountObjects(page.raw)):
            item = pdfium.FPDFPage_GetObject(page.raw, index)
            if pdfium.FPDFPageObj_GetType(item) != pdfium.FPDF_PAGEOBJ_TEXT:
                continue
            font = pdfium.FPDFTextObj_GetFont(item)
            size = pdfium.FPDFFont_GetBaseFontName(font, None, 0)
            buffer = ctypes.create_string_buffer(size)
            pdfium.FPDFFont_GetBaseFontName(font, buffer, size)
            name = buffer.value.decode("utf-8", "replace")
            fonts[name] = bool(pdfium.FPDFFont_GetIsEmbedded(font))
            length = pdfium.FPDFTextObj_GetText(item, textpage.raw, None, 0)  # bytes
            text = (ctypes.c_ushort * (length // 2 + 1))()
            pdfium.FPDFTextObj_GetText(item, textpage.raw, text, length)
            decoded = bytes(text)[:length].decode("utf-16-le", "replace").rstrip("\x00")
            runs.append((name.split("+")[-1], unicodedata.normalize("NFKC", decoded)))
    return fonts, runs
