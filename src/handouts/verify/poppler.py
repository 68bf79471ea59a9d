"""A PDF's text as poppler extracts it: the second, independent reader of every PDF.

PDFium (pdf_reader.py) and poppler's pdftotext share no code; a statement
counts as printed only when both read it back word for word. Readers differ
most on right-to-left text, where each has its own way of putting glyphs in
reading order, so a text layer that only one of them reads right is caught.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from ..errors import HandoutsError

TIMEOUT = 60  # seconds: a handout takes a few hundredths


def poppler_text(data: bytes) -> str:
    """The text of every page, in reading order, as `pdftotext` gives it."""
    return PopplerReading(data).text()


class PopplerReading:
    """pdftotext started on a PDF, to run while PDFium reads the same file."""

    def __init__(self, data: bytes):
        program = shutil.which("pdftotext")
        if program is None:
            raise HandoutsError("pdftotext is not installed: it reads every PDF back "
                                "(run scripts/install-system-packages, or install poppler-utils)")
        self._input = tempfile.TemporaryFile()
        self._input.write(data)
        self._input.seek(0)
        self._process = subprocess.Popen([program, "-enc", "UTF-8", "-q", "-", "-"],
                                         stdin=self._input, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE)

    def text(self) -> str:
        try:
            out, err = self._process.communicate(timeout=TIMEOUT)
        finally:
            self.close()
        if self._process.returncode != 0:
            raise HandoutsError(f"pdftotext could not read a PDF the build wrote (exit "
                                f"{self._process.returncode}): {err.decode(errors='replace')[:200]}")
        return out.decode("utf-8", "replace")

    def close(self) -> None:
        """Stop pdftotext if it still runs (the reading was abandoned)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._input.close()


EMBEDDINGS = {"\u202a": "ltr", "\u202b": "rtl"}  # LRE, RLE; U+202C (PDF) closes either
POP = "\u202c"


def right_to_left_lines(text: str) -> str:
    """pdftotext's text of a right-to-left document, each line in reading order.

    On a page where left-to-right characters outnumber right-to-left ones (an
    Arabic handout's English reference list), pdftotext writes each line's
    sections in visual order, left to right: a sentence's final full stop,
    painted at the line's left end, comes first, then the Arabic in an RLE
    embedding. A right-to-left paragraph reads those sections from the right:
    here they are put back in that order. Nothing is added or dropped.
    """
    return "\n".join(_line_in_reading_order(line) for line in text.split("\n"))


def _line_in_reading_order(line: str) -> str:
    sections, depth, current = [], 0, ""
    opened_rtl = False
    for char in line:
        if char in EMBEDDINGS:
            if depth == 0:
                if current:
                    sections.append(current)
                current = ""
                opened_rtl = opened_rtl or EMBEDDINGS[char] == "rtl"
            else:
                current += char
            depth += 1
        elif char == POP and depth:
            depth -= 1
            if depth == 0:
                sections.append(current)
                current = ""
            else:
                current += char
        else:
            current += char
    if current:
        sections.append(current)
    if opened_rtl and len(sections) > 1:
        sections.reverse()
    return "".join(sections)
