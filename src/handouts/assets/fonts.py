"""Bundled open-licence fonts, installed as Python packages and embedded in every PDF.

Fonts come from pinned PyPI packages (fontpkg-*), never from the system or
the network, so a handout looks the same on every machine that builds it.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    weight: int
    style: str


# Latin text uses Atkinson Hyperlegible, designed for low-vision readers, from
# PyPI. Arabic and Chinese use Noto families from Debian's font packages
# (static fonts: their text extracts correctly, unlike the variable Arabic
# font on PyPI), found by fontconfig. Order matters: the first family that
# has a character draws it.
FAMILY_PACKAGES = {"Atkinson Hyperlegible": "fontpkg_atkinson_hyperlegible"}
SYSTEM_FAMILIES = {
    "Noto Sans Arabic": ("fonts-noto-core",
                         "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    "Noto Sans CJK SC": ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
}
LANGUAGE_FAMILIES = {
    "default": ["Atkinson Hyperlegible"],
    "ar": ["Noto Sans Arabic", "Atkinson Hyperlegible"],
    "zh": ["Atkinson Hyperlegible", "Noto Sans CJK SC"],
}


@lru_cache(maxsize=None)
def faces(family: str) -> tuple[FontFace, ...]:
    """Every face of a bundled family, from the package's own metadata."""
    package = importlib.import_module(FAMILY_PACKAGES[family])
    root = Path(package.ROOT)
    metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    return tuple(FontFace(family, root / f["path"], int(f["weight"]), f["style"])
                 for f in metadata["files"])


def families_for(language: str) -> list[str]:
    return LANGUAGE_FAMILIES.get(language.split("-")[0], LANGUAGE_FAMILIES["default"])


def bundled_families(language: str) -> list[str]:
    return [f for f in families_for(language) if f in FAMILY_PACKAGES]


def missing_system_fonts(language: str) -> list[tuple[str, str]]:
    """(family, Debian package) for each system font this language needs but lacks."""
    return [(family, SYSTEM_FAMILIES[family][0]) for family in families_for(language)
            if family in SYSTEM_FAMILIES and not Path(SYSTEM_FAMILIES[family][1]).is_file()]


def font_roots(language: str) -> list[Path]:
    """Folders the PDF renderer may read @font-face files from for this language."""
    return sorted({face.path.parent for family in bundled_families(language)
                   for face in faces(family)})


def font_face_css(language: str) -> str:
    """@font-face rules for every bundled face, so bold and italic are real, not synthesised."""
    rules = []
    for family in bundled_families(language):
        for face in faces(family):
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
                f"font-weight: {face.weight}; font-style: {face.style}; }}")
    return "\n".join(rules)


def font_stack(language: str) -> str:
    """The CSS font-family value for a language."""
    return ", ".join(f'"{family}"' for family in families_for(language))


@lru_cache(maxsize=8)
def glyph_sets(language: str) -> dict[str, frozenset[int]]:
    """Code points per face of this language's fonts, keyed like PDF font names."""
    import re

    from fontTools.ttLib import TTCollection, TTFont

    from .harfbuzz import code_points

    files = []
    for family in families_for(language):
        if family in FAMILY_PACKAGES:
            files += [face.path for face in faces(family)]
        else:
            regular = Path(SYSTEM_FAMILIES[family][1])
            files += sorted(regular.parent.glob(f"{regular.name.split('-')[0]}-*{regular.suffix}"))
    wanted = [re.sub(r"[^a-z0-9]", "", f.lower()) for f in families_for(language)]
    sets: dict[str, frozenset[int]] = {}
    for path in files:
        # lazy: only the name tables are read here; HarfBuzz reads the cmap (fontTools took
        # 0.14 s for each Noto Sans CJK face)
        opened = (TTCollection(str(path), lazy=True) if path.suffix == ".ttc"
                  else TTFont(str(path), lazy=True))
        for number, font in enumerate(getattr(opened, "fonts", [opened])):
            names = font["name"]
            family = str(names.getDebugName(16) or names.getDebugName(1))
            style = str(names.getDebugName(17) or names.getDebugName(2))
            key = re.sub(r"[^a-z0-9]", "", f"{family} {'' if style == 'Regular' else style}".lower())
            if any(key.startswith(w) for w in wanted):  # a collection holds other languages too
                sets[key] = code_points(path, number)
        opened.close()
    return sets
