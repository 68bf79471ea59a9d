"""Reading outputs back for tests, independently of the code under test."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squeezed(text: str) -> str:
    """Whitespace-free NFKC text, so line breaks in the PDF do not matter."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def markdown_safety_texts(markdown: Path) -> dict[str, str]:
    """Safety statements straight from the Markdown source, markup and citations removed."""
    source = markdown.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"^::: \{\.safety #([\w-]+)[^}]*\}\n(.*?)\n:::$", source,
                             re.MULTILINE | re.DOTALL):
        text = re.sub(r"\s*\[@[^\]]+\]", "", match.group(2)).replace("**", "")
        found[match.group(1)] = " ".join(text.split())
    return found
