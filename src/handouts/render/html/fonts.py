"""Fonts inlined into a web page: each face cut down to the page's characters, as WOFF.

A web edition must open from a portal, an e-mail or a USB stick with nothing
beside it and nothing loaded from the network, so its fonts travel inside it.
Whole faces would not do: Noto Sans CJK is tens of megabytes. Each face is
subset by HarfBuzz (assets/harfbuzz.py) to the characters the page holds,
keeping every layout feature so Arabic still joins, then wrapped as WOFF by
fontTools and base64-encoded. WOFF, not WOFF2: every browser reads both, and
WOFF2's Brotli costs more CPU than the 12% it saves is worth. Nothing writes a
clock time (recalcTimestamp off): the same page gives the same bytes.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...assets.fonts import FAMILY_PACKAGES, SYSTEM_FAMILIES, faces, families_for
from ...assets.harfbuzz import subset_font


@dataclass(frozen=True)
class WebFace:
    family: str
    path: Path
    weight: int
    style: str
    index: int = 0  # the font's number inside a collection (.ttc)


def web_faces(language: str) -> list[WebFace]:
    """Every face the language's font stack draws with, in stack order."""
    found = []
    for family in families_for(language):
        if family in FAMILY_PACKAGES:
            found += [WebFace(f.family, f.path, f.weight, f.style) for f in faces(family)]
        else:
            regular = Path(SYSTEM_FAMILIES[family][1])
            for weight, name in ((400, "Regular"), (700, "Bold")):
                path = regular.with_name(regular.name.replace("Regular", name))
                if path.is_file():
                    found.append(WebFace(family, path, weight, "normal",
                                         _collection_index(path, family)))
    return found


def font_face_rules(language: str, characters: str) -> tuple[str, int]:
    """@font-face rules with the subset faces as data: URLs, and their total size in bytes."""
    wanted = frozenset(ord(ch) for ch in characters)
    rules, total = [], 0
    for face in web_faces(language):
        data = subset_woff(face.path, face.index, wanted)
        if data is None:
            continue  # the face draws none of the page's characters
        total += len(data)
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{face.family}"; '
                     f'src: url(data:font/woff;base64,{encoded}) format("woff"); '
                     f"font-weight: {face.weight}; font-style: {face.style}; "
                     "font-display: block; }")
    return "\n".join(rules), total


@lru_cache(maxsize=64)
def subset_woff(path: Path, index: int, wanted: frozenset[int]) -> bytes | None:
    """The face cut down to `wanted` (those it has), as WOFF bytes; None when it has none."""
    cut = subset_font(path, index, wanted)
    if cut is None:
        return None
    from fontTools.ttLib import TTFont

    # fontTools only wraps HarfBuzz's subset as WOFF: its tables are copied, not rebuilt.
    font = TTFont(io.BytesIO(cut), recalcTimestamp=False, recalcBBoxes=False)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


@lru_cache(maxsize=None)
def _collection_index(path: Path, family: str) -> int:
    """Which font of a collection is `family` (Noto Sans CJK's .ttc holds every CJK locale)."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for number, font in enumerate(collection.fonts):
            names = font["name"]
            if str(names.getDebugName(16) or names.getDebugName(1)) == family:
                return number
    finally:
        collection.close()
    raise LookupError(f"{path} holds no font of the family {family}")
