"""AMA (11th edition) references: expected strings written from the manual's rules by hand."""

from __future__ import annotations

import json

import pytest

from conftest import BUNDLED
from handouts.errors import Location
from handouts.model import Reference
from handouts.render.references import format_references

ENTRIES = {e["id"]: e for e in json.loads((BUNDLED / "references.json").read_text())}

# AMA 11th: surname + initials without periods, all authors when 6 or fewer; sentence-case
# title; NLM journal abbreviation in italics; year;volume(issue):pages; doi: prefix.
EXPECTED = {
    "cha2016": "Cha HG, Kim TH, Kim MK. Therapeutic efficacy of walking backward and forward on "
               "a slope in normal adults. J Phys Ther Sci. 2016;28(6):1901-1903. "
               "doi:10.1589/jpts.28.1901",
    "thomas2000": "Thomas MA, Fast A. One step forward and two steps back: the dangers of walking "
                  "backwards in therapy. Am J Phys Med Rehabil. 2000;79(5):459-461. "
                  "doi:10.1097/00002060-200009000-00011",
    "balasukumaran2019": "Balasukumaran T, Olivier B, Ntsiea MV. The effectiveness of backward "
                         "walking as a treatment for people with gait impairments: a systematic "
                         "review and meta-analysis. Clin Rehabil. 2019;33(2):171-182. "
                         "doi:10.1177/0269215518801430",
    "thomas2018": "Thomas KS, Hammond M, Magal M. Graded forward and backward walking at a "
                  "matched intensity on cardiorespiratory responses and postural control. "
                  "Gait Posture. 2018;65:20-25. doi:10.1016/j.gaitpost.2018.06.168",
}


def ref(entry: dict) -> Reference:
    return Reference(entry["id"], entry, Location("references.json", 1))


def test_ama_rendering_matches_the_manual():
    keys = list(EXPECTED)
    formatted = format_references([ref(ENTRIES[k]) for k in keys])
    assert [f.text for f in formatted] == [EXPECTED[k] for k in keys]
    assert [f.number for f in formatted] == [1, 2, 3, 4]


def test_more_than_six_authors_gives_three_then_et_al():
    authors = [{"family": name, "given": "A."} for name in
               ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf")]
    entry = {"id": "big2020", "type": "article-journal", "title": "A trial", "author": authors,
             "container-title": "Journal of Tests", "container-title-short": "J Tests",
             "volume": "1", "issue": "2", "page": "3-4", "issued": {"date-parts": [[2020]]},
             "DOI": "10.1000/test.1"}
    (formatted,) = format_references([ref(entry)])
    assert formatted.text == ("Alpha A, Bravo A, Charlie A, et al. A trial. J Tests. "
                              "2020;1(2):3-4. doi:10.1000/test.1")


def test_six_authors_are_all_listed():
    authors = [{"family": name, "given": "B."} for name in
               ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot")]
    entry = {"id": "six2021", "type": "article-journal", "title": "Six", "author": authors,
             "container-title": "J", "container-title-short": "J", "volume": "2",
             "page": "5", "issued": {"date-parts": [[2021]]}}
    (formatted,) = format_references([ref(entry)])
    assert formatted.text.startswith("Alpha B, Bravo B, Charlie B, Delta B, Echo B, Foxtrot B. ")


def test_doi_is_a_link_and_the_journal_is_italic():
    entry = dict(ENTRIES["thomas2000"])
    (formatted,) = format_references([ref(entry)])
    assert formatted.html.endswith('<a href="https://doi.org/10.1097/00002060-200009000-00011">'
                                   "doi:10.1097/00002060-200009000-00011</a>")
    assert "<i>Am J Phys Med Rehabil</i>" in formatted.html


def test_markup_in_a_reference_title_is_escaped_in_the_html():
    entry = dict(ENTRIES["thomas2000"], title="<b>x</b> & <script>alert(1)</script>",
                 id="markup2000")
    (formatted,) = format_references([ref(entry)])
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in formatted.html
    assert "<b>" not in formatted.html and "<script>" not in formatted.html
    assert formatted.html.endswith('<a href="https://doi.org/10.1097/00002060-200009000-00011">'
                                   "doi:10.1097/00002060-200009000-00011</a>")
