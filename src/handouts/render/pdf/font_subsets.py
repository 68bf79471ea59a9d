"""A font subset cut once per process and reused by every PDF that needs the same one.

WeasyPrint cuts each embedded font to the glyphs a PDF uses, afresh for every
PDF. The four Chinese handouts (standard and large print, Letter and A4) use
the same glyphs of Noto Sans CJK, regular and bold, and cutting that 20 MB
collection took 33 ms a face a PDF: a quarter of a second of a cold build
for the same two results. HarfBuzz's cut depends only on the font, the glyphs
kept, the hinting option and whether a .notdef outline is needed, so the
same four give the same bytes: they are the key. Nothing else in the PDF
changes.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import OrderedDict
from typing import Iterator

KEPT = 32  # subsets remembered per process (a build uses a few per language)
_CUT: OrderedDict[tuple, bytes] = OrderedDict()


@contextlib.contextmanager
def reused_subsets() -> Iterator[None]:
    """While the block runs, WeasyPrint's Font.subset reuses a cut made before."""
    from weasyprint.pdf import fonts as pdf_fonts

    subset = pdf_fonts.Font.subset

    def remembered(font, to_unicode, hinting):
        if not to_unicode:
            return subset(font, to_unicode, hinting)
        key = (_identity(font.file_content, font.index), tuple(sorted(to_unicode)), hinting,
               bool(font.missing))
        if key in _CUT:
            _CUT.move_to_end(key)
        else:
            subset(font, to_unicode, hinting)
            _CUT[key] = font.file_content
            if len(_CUT) > KEPT:
                _CUT.popitem(last=False)
        font.file_content = _CUT[key]

    pdf_fonts.Font.subset = remembered
    try:
        yield
    finally:
        pdf_fonts.Font.subset = subset


HEAD = 65536  # bytes: the header and table directories, with every table's checksum


def _identity(data: bytes, index: int) -> tuple[int, int, bytes]:
    """A font file by its number in a collection, its length and a digest of its header
    (the directories list every table's checksum; hashing a 20 MB collection whole for
    every PDF would cost what reusing its cut saves)."""
    return index, len(data), hashlib.blake2b(data[:HEAD], digest_size=16).digest()
