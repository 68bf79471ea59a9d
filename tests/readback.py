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


def structure_elements(path: Path, role: str, inside: str | None = None) -> list:
    """Elements of the tagged PDF's structure tree with role /role (optionally within /inside)."""
    root = PdfReader(path).trailer["/Root"]["/StructTreeRoot"]
    found = []

    def walk(node, within: bool) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child, within)
            return
        if not hasattr(node, "get"):
            return
        kind = str(node.get("/S", ""))
        if kind == f"/{role}" and (inside is None or within):
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            walk(kids, within or (inside is not None and kind == f"/{inside}"))

    walk(root, False)
    return found
