"""Where the package's own files are, and the folders a command uses by default.

The templates (Jinja, CSS, icons, the default slide template and the deck's
strings) ship inside the package, so an installed wheel builds from any
folder; in a checkout, src/handouts/templates links to the repository's
templates/ folder, where they are edited.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def default_templates() -> Path:
    """`$HANDOUTS_TEMPLATES`, else the templates that ship with the package."""
    return Path(os.environ.get("HANDOUTS_TEMPLATES") or PACKAGE_TEMPLATES).resolve()


def default_content() -> Path:
    return Path("content")


def default_output() -> Path:
    return Path("output")
