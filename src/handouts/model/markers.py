"""Marks that renderers write and the read-back looks for, defined once for both.

A builder and its check must agree on these exactly: if the anchor of
reference 3 or the bracket of a slide citation were spelled in two places,
a change to one would make every check fail, or worse, pass on nothing.
"""

from __future__ import annotations

import re

MAX_BULLETS = 6  # bullets in one slide text box: more cannot be read from the back of a room
MAX_WORDS = 40  # words on one slide, unless one sentence or safety statement alone is longer
WORD_CEILING = 50  # "about 40": a slide may reach this when that spares a slide a lone bullet

DOI_LINK = "https://doi.org/"
REFERENCE_ANCHOR = re.compile(r"ref-(\d+)")  # PDF named destination of a listed reference
SLIDE_CITATION = re.compile(r"\[(\d+(?:, \d+)*)\]")  # "[2]" or "[1, 3]" on a slide
SLIDE_REFERENCE_LINE = re.compile(r"^(\d+)\. ", re.MULTILINE)  # "3. Cha HG, ..." on a slide


def reference_anchor(number: int) -> str:
    """The id (PDF named destination) of the listed reference `number`."""
    return f"ref-{number}"


def slide_citation(numbers: list[int]) -> str:
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def slide_reference_label(number: int) -> str:
    return f"{number}. "


def doi_link(doi: str) -> str:
    return DOI_LINK + doi


def reference_link(doi: str | None, url: str | None) -> str | None:
    """Where a listed reference's link points: its DOI when it has one, else its web address.

    The AMA style prints the DOI, or the URL only when there is no DOI; the read-back
    expects exactly this link for every reference that has either.
    """
    if doi:
        return doi_link(doi)
    return url or None


# The name of the text box that lists a deck's references, so the read-back finds the
# list whether or not its entries carry links (a box of numbered quiz questions looks alike).
REFERENCE_LIST_SHAPE = "Reference list"


def footnote_marker(index: int) -> str:
    """a, b, ... z, aa, ab, ...: the marker of the evidence table's `index`-th footnote."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters

# The smallest type a required safety statement may be printed in, per audience and
# print variant (points). The stylesheets set the body at or above these: 12 pt for
# the patient handout (17 pt large print), 9.6 pt for the brief (9.2 pt compact).
MINIMUM_SAFETY_POINTS = {
    ("patient", "standard"): 12.0,
    ("patient", "large"): 16.0,
    ("clinician", "standard"): 9.0,
}
