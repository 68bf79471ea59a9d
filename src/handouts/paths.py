"""Where the project's folders are: templates and content sit beside `src/` in the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def default_templates() -> Path:
    """`$HANDOUTS_TEMPLATES`, else the repository's templates/ folder."""
    return Path(os.environ.get("HANDOUTS_TEMPLATES") or REPOSITORY / "templates").resolve()


def default_content() -> Path:
    return Path("content")


def default_output() -> Path:
    return Path("output")
