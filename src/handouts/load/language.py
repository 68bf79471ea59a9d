"""Language tags (BCP 47), checked before a tag becomes part of a file name.

A tag names a catalog (`locales/<tag>.po`) and an output folder (`<out>/<topic>/<tag>/`),
so anything but a well-formed tag (letters, digits and hyphens in the shape below) could
reach a file outside the topic: `../locales/es`, `../../x`. The check is BCP 47's
well-formedness for what handouts uses, not its registry: a language of 2 or 3 letters,
then optionally a script (4 letters), a region (2 letters or 3 digits) and variants
(5 to 8 letters or digits, or a digit and 3 more), each after a hyphen.
"""

from __future__ import annotations

import re

# The same shape twice: the command line takes any case (BCP 47 is case-insensitive),
# topic.yaml keeps the language subtag lowercase, as catalogs are named.
_SHAPE = r"(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
LANGUAGE_TAG = r"[A-Za-z]{2,3}" + _SHAPE
TOPIC_LANGUAGE_TAG = r"[a-z]{2,3}" + _SHAPE
EXAMPLES = "en, es, ar or zh-Hans"


def is_language_tag(text: object) -> bool:
    """True for a well-formed tag such as en, es-419, zh-Hans or sr-Latn-RS."""
    return isinstance(text, str) and re.fullmatch(LANGUAGE_TAG, text, re.ASCII) is not None


def language_problem(text: str) -> str:
    """Why `text` is not a language tag, as a usage error says it."""
    return (f"{text!r} is not a language tag such as {EXAMPLES} (BCP 47: a 2- or 3-letter "
            "language, then an optional script, region and variants, joined by hyphens)")
