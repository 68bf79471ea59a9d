"""The font files that measure a deck's theme fonts as the presenter's PC will draw them.

A deck is laid out when it is opened, by PowerPoint or LibreOffice, in the
theme's fonts as that PC has them. Text can only be fitted beforehand with
the advance widths of the font that will draw it, so each family a deck may
use maps to a file with the same widths: Calibri to Carlito and Arial to
Liberation Sans (metric-compatible by design; LibreOffice substitutes them
itself), Atkinson Hyperlegible to the bundled files. A family with no such
file cannot be measured, and a deck in it cannot be proved to fit.
"""

from __future__ import annotations

from pathlib import Path

CARLITO = "/usr/share/fonts/truetype/crosextra/Carlito-{style}.ttf"
LIBERATION_SANS = "/usr/share/fonts/truetype/liberation2/LiberationSans-{style}.ttf"
LIBERATION_SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf"

# Lower-cased family name -> (Debian package, file pattern). What presenting PCs have:
# Calibri (Office 2007-2019's body font, still on every Windows and Mac Office),
# Arial and Times New Roman (every Windows and macOS); and their open twins.
METRIC_FILES = {
    "calibri": ("fonts-crosextra-carlito", CARLITO),
    "carlito": ("fonts-crosextra-carlito", CARLITO),
    "arial": ("fonts-liberation2", LIBERATION_SANS),
    "liberation sans": ("fonts-liberation2", LIBERATION_SANS),
    "times new roman": ("fonts-liberation2", LIBERATION_SERIF),
    "liberation serif": ("fonts-liberation2", LIBERATION_SERIF),
}
BUNDLED = {"atkinson hyperlegible": "Atkinson Hyperlegible"}
STYLES = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
          (True, True): "BoldItalic"}


class UnmeasurableFont(Exception):
    """A theme font this machine has no metric-compatible file for."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def measurable_families() -> list[str]:
    return ["Calibri", "Arial", "Times New Roman", "Atkinson Hyperlegible"]


def metric_file(family: str, bold: bool = False, italic: bool = False) -> Path:
    """The file whose advance widths are `family`'s, in this weight and style."""
    key = family.strip().lower()
    if key in BUNDLED:
        return _bundled(BUNDLED[key], bold, italic)
    if key not in METRIC_FILES:
        raise UnmeasurableFont(
            f"the theme font '{family}' cannot be measured here, so the deck cannot be "
            "proved to fit", "set the template's theme fonts to one of "
            + ", ".join(measurable_families()) + " (Design > Variants > Fonts in PowerPoint)")
    _quiet_font_tools()
    package, pattern = METRIC_FILES[key]
    path = Path(pattern.format(style=STYLES[bold, italic]))
    if not path.is_file():
        raise UnmeasurableFont(f"the theme font '{family}' is measured with {path.name}, "
                               "which is not installed",
                               f"install the Debian package {package} "
                               "(scripts/install-system-packages does)")
    return path


def _bundled(family: str, bold: bool, italic: bool) -> Path:
    from .fonts import faces

    weight, style = (700 if bold else 400), ("italic" if italic else "normal")
    matching = [f for f in faces(family) if f.weight == weight and f.style == style]
    return (matching or [f for f in faces(family) if f.weight == weight])[0].path


def _quiet_font_tools() -> None:
    """Carlito's 'head' table has a 1970s date: fontTools logs it on every load; it is harmless."""
    import logging

    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
