"""A PDF's text as poppler extracts it: the second, independent reader of every PDF.

PDFium (pdf_reader.py) and poppler's pdftotext share no code; a statement
counts as printed only when both read it back word for word. Readers differ
most on right-to-left text, where each has its own way of putting glyphs in
reading order, so a text layer that only one of them reads right is caught.
"""

from __future__ import annotations

import shutil
import subprocess

from ..errors import HandoutsError

TIMEOUT = 60  # seconds: a handout takes a few hundredths


def poppler_text(data: bytes) -> str:
    """The text of every page, in reading order, as `pdftotext` gives it."""
    program = shutil.which("pdftotext")
    if program is None:
        raise HandoutsError("pdftotext is not installed: it reads every PDF back "
                            "(run scripts/install-system-packages, or install poppler-utils)")
    done = subprocess.run([program, "-enc", "UTF-8", "-q", "-", "-"], input=data,
                          capture_output=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise HandoutsError(f"pdftotext could not read a PDF the build wrote (exit "
                            f"{done.returncode}): {done.stderr.decode(errors='replace')[:200]}")
    return done.stdout.decode("utf-8", "replace")


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
