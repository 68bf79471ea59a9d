"""`{name}` placeholders in the words templates add ("Page {page} of {pages}").

Translations and an organisation's strings fill them; only plain names are
filled, so a pattern cannot reach into objects the way str.format fields can
(`{label.__class__}`). A name with no value stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_placeholders(pattern: str, values: dict[str, object],
                      convert: Callable[[object], str] = str) -> str:
    """`pattern` with each {name} that `values` has replaced by convert(value)."""
    return PLACEHOLDER.sub(
        lambda m: convert(values[m.group(1)]) if m.group(1) in values else m.group(0), pattern)
