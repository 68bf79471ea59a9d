"""Unit ids that survive editing: the author's id, or a key made from the unit's own words.

A translation is matched to its English by the unit's id, so the id must not
move when an author inserts a paragraph above it, re-wraps its lines or
reorders sections. Ids are therefore the author's where there is one (section
ids, safety ids, plan field ids), and otherwise the first words of the unit's
text within its section (`how-to.p.falls-are-the-main-danger-follow`); two
units of one section starting with the same words are told apart by `-2`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

KEY_WORDS = 6  # enough to tell paragraphs apart, short enough to read in a catalog
KEY_CHARS = 48
CITATION = re.compile(r"\[\s*@[^\]]*\]")
HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")


def normalise_space(text: str) -> str:
    """Text with every run of spaces and soft line breaks made one space.

    Catalog entries hold the English this way, so re-wrapping a Markdown
    paragraph changes nothing a translator sees. A hard line break (two spaces
    or a backslash before the newline) is kept, written as a backslash break.
    """
    marked = HARD_BREAK.sub("\0", text.strip())
    return re.sub(r" ?\0 ?", "\\\\\n", " ".join(marked.split()))


def words_key(text: str) -> str:
    """A key from the first words of a text (ASCII, lowercase, hyphens); a hash of the
    whole text when it has no Latin letters or digits (Chinese source text, say)."""
    plain = CITATION.sub(" ", text)
    folded = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", folded)
    if not words:
        return "x" + hashlib.sha1(normalise_space(text).encode()).hexdigest()[:8]
    key = words[0][:KEY_CHARS]
    for word in words[1:KEY_WORDS]:
        if len(key) + 1 + len(word) > KEY_CHARS:
            break
        key += "-" + word
    return key


class KeyMaker:
    """Hands out keys within one scope (a section, a list of topic.yaml strings), each
    once: a second unit starting with the same words gets `-2`, a third `-3`."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def key(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate
