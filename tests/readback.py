"""Reading outputs back for tests, independently of the code under test."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def poppler_text(pdf: Path | bytes) -> str:
    """The text as poppler's pdftotext reads it (not the code under test)."""
    import subprocess
    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode("utf-8")


def pdfium_text(pdf: Path | bytes) -> str:
    """The text as PDFium reads it, page by page (not the code under test)."""
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        return "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
    finally:
        document.close()


def exact(text: str) -> str:
    """Text as the exact comparison sees it: NFKC, without whitespace, direction marks
    (pdftotext wraps right-to-left runs in them) or control characters. No letter is
    dropped or changed: every mark, hamza and lam-alef counts."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace()
                   and unicodedata.category(c) not in ("Cf", "Cc"))


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


def po_safety_texts(po_path: Path) -> dict[str, list[str]]:
    """Translated safety statements from a catalog, as the stretches between citations.

    The output prints a citation's number where the [@key] stood, so each
    stretch is looked for on its own, in order.
    """
    import polib
    found = {}
    for entry in polib.pofile(str(po_path)):
        if entry.msgctxt and entry.msgctxt.startswith("safety.") and not entry.obsolete:
            safety_id = entry.msgctxt.split(".")[1]
            parts = re.split(r"\s*\[@[^\]]+\]", entry.msgstr.replace("**", ""))
            found[safety_id] = [" ".join(p.split()) for p in parts if p.strip()]
    return found


def in_order(haystack: str, parts: list[str]) -> bool:
    """Every part found in `haystack` (squeezed), each after the previous one."""
    position = 0
    for part in parts:
        position = haystack.find(squeezed(part), position)
        if position < 0:
            return False
    return True


def font_cmaps() -> dict[str, set[int]]:
    """Code points of every font a handout may use, by normalised name as PDFs embed it."""
    from fontTools.ttLib import TTCollection, TTFont
    import fontpkg_atkinson_hyperlegible as atkinson
    files = sorted(Path(atkinson.ROOT, "files").glob("*.ttf"))
    files += sorted(Path("/usr/share/fonts/truetype/noto").glob("NotoSansArabic-*.ttf"))
    files += sorted(Path("/usr/share/fonts/opentype/noto").glob("NotoSansCJK-*.ttc"))
    cmaps = {}
    for path in files:
        fonts = TTCollection(str(path)).fonts if path.suffix == ".ttc" else [TTFont(str(path))]
        for font in fonts:
            name = font["name"]
            family = str(name.getDebugName(16) or name.getDebugName(1))
            style = str(name.getDebugName(17) or name.getDebugName(2))
            key = _font_key(f"{family} {'' if style == 'Regular' else style}")
            cmaps[key] = set(font.getBestCmap())
            font.close()
    return cmaps


def _font_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def characters_without_glyphs(path: Path, cmaps: dict[str, set[int]]) -> list[str]:
    """Every character whose font is not a bundled one, or whose font lacks it."""
    import pdfplumber
    problems = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                font = _font_key(char["fontname"].split("+")[-1])
                for ch in unicodedata.normalize("NFKC", char["text"]):
                    if ch.isspace() or unicodedata.category(ch) == "Cc":
                        continue  # U+0003: a mark drawn apart (render/pdf/text_layer.py)
                    if font not in cmaps:
                        problems.append(f"{ch!r} in unexpected font {char['fontname']}")
                    elif ord(ch) not in cmaps[font]:
                        problems.append(f"{ch!r} (U+{ord(ch):04X}) missing from {font}")
    return problems
