"""Every kind of reference a clinician cites: AMA forms, the loader's rules, links, read-back.

The expected strings are written by hand from the AMA Manual of Style, 11th edition
(3.11 journals, 3.13 books and chapters, 3.14/3.15 reports and web sites): authors as
surname and initials, sentence-case article and page titles, book and report titles
in italics and title case, "Publisher; year" without a place, "Published online <date>."
for an article not yet in an issue, "Published <date>. Accessed <date>. URL" for a web
page, and the DOI, when there is one, instead of the URL.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from conftest import BUNDLED, run_build
from handouts.errors import ContentErrors, Location
from handouts.load.folder import load_document
from handouts.model import Reference
from handouts.model.markers import doi_link
from handouts.plan.selection import select
from handouts.render.pptx.planner import reference_runs
from handouts.render.references import format_references
from handouts.verify.deck import DeckFacts, deck_citation_results
from handouts.verify.pdf import citation_results
from handouts.verify.pdf_reader import PdfFacts
from readback import pdf_text, squeezed

BIB, MD = "references.json", "backwards-walking.md"
ACCESSED = {"date-parts": [[2025, 9, 1]]}

BOOK = {"id": "osullivan2019", "type": "book", "title": "Physical rehabilitation",
        "author": [{"family": "O'Sullivan", "given": "S. B."},
                   {"family": "Schmitz", "given": "T. J."}, {"family": "Fulk", "given": "G. D."}],
        "edition": "7", "publisher": "F.A. Davis", "issued": {"date-parts": [[2019]]}}
CHAPTER = {"id": "smith2020", "type": "chapter", "title": "Gait training after stroke",
           "author": [{"family": "Smith", "given": "J."}, {"family": "Doe", "given": "A."}],
           "editor": [{"family": "Jones", "given": "A."}, {"family": "Lee", "given": "B."}],
           "container-title": "Principles of rehabilitation medicine", "edition": "2",
           "publisher": "McGraw-Hill", "issued": {"date-parts": [[2020]]}, "page": "123-145"}
REPORT = {"id": "who2015", "type": "report", "title": "World report on ageing and health",
          "author": [{"literal": "World Health Organization"}],
          "publisher": "World Health Organization", "issued": {"date-parts": [[2015]]},
          "URL": "https://www.who.int/publications/i/item/9789241565042", "accessed": ACCESSED}
GUIDELINE = {"id": "nice2013", "type": "report", "genre": "Clinical guideline",
             "number": "CG161", "title": "Falls in older people: assessing risk and prevention",
             "author": [{"literal": "National Institute for Health and Care Excellence"}],
             "publisher": "National Institute for Health and Care Excellence",
             "issued": {"date-parts": [[2013, 6, 12]]},
             "URL": "https://www.nice.org.uk/guidance/cg161", "accessed": ACCESSED}
WEB_PAGE = {"id": "cdcfalls", "type": "webpage", "title": "Older adult fall prevention",
            "container-title": "Centers for Disease Control and Prevention",
            "URL": "https://www.cdc.gov/falls/index.html", "accessed": ACCESSED}
DATED_PAGE = {"id": "cdcfacts", "type": "webpage", "title": "Facts about falls",
              "author": [{"literal": "Centers for Disease Control and Prevention"}],
              "container-title": "CDC", "issued": {"date-parts": [[2024, 5, 12]]},
              "URL": "https://www.cdc.gov/falls/data-research/facts-stats/index.html",
              "accessed": ACCESSED}
OLD_ARTICLE = {"id": "old1990", "type": "article-journal", "title": "An older article",
               "author": [{"family": "Old", "given": "A. B."}],
               "container-title": "Journal of Older Things", "container-title-short": "J Old",
               "volume": "3", "issue": "1", "page": "1-9", "issued": {"date-parts": [[1990]]}}
ONLINE_FIRST = {"id": "new2025", "type": "article-journal", "title": "Online before print",
                "author": [{"family": "New", "given": "C."}],
                "container-title": "Physiotherapy Theory and Practice",
                "container-title-short": "Physiother Theory Pract", "page": "1-15",
                "issued": {"date-parts": [[2025, 8, 28]]}, "status": "Advance online publication",
                "DOI": "10.1080/09593985.2025.0000001"}

KINDS = [
    (BOOK, "O'Sullivan SB, Schmitz TJ, Fulk GD. Physical Rehabilitation. 7th ed. F.A. Davis; "
           "2019."),
    (CHAPTER, "Smith J, Doe A. Gait training after stroke. In: Jones A, Lee B, eds. Principles "
              "of Rehabilitation Medicine. 2nd ed. McGraw-Hill; 2020:123-145."),
    (REPORT, "World Health Organization. World Report on Ageing and Health. World Health "
             "Organization; 2015. Accessed September 1, 2025. "
             "https://www.who.int/publications/i/item/9789241565042"),
    (GUIDELINE, "National Institute for Health and Care Excellence. Falls in Older People: "
                "Assessing Risk and Prevention. National Institute for Health and Care "
                "Excellence; 2013. Accessed September 1, 2025. "
                "https://www.nice.org.uk/guidance/cg161"),
    (WEB_PAGE, "Older adult fall prevention. Centers for Disease Control and Prevention. "
               "Accessed September 1, 2025. https://www.cdc.gov/falls/index.html"),
    (DATED_PAGE, "Centers for Disease Control and Prevention. Facts about falls. CDC. Published "
                 "May 12, 2024. Accessed September 1, 2025. "
                 "https://www.cdc.gov/falls/data-research/facts-stats/index.html"),
    (OLD_ARTICLE, "Old AB. An older article. J Old. 1990;3(1):1-9."),
    (ONLINE_FIRST, "New C. Online before print. Physiother Theory Pract. Published online "
                   "August 28, 2025. doi:10.1080/09593985.2025.0000001"),
]

# The bundled references. Lin 2025 has no volume yet: AMA prints "Published online" and
# the date it has (the year only), no pages; VanNostrand 2025 is in volume 124 with an
# article number (e-locator), so it is cited as any article in an issue.
BUNDLED_AMA = {
    "balasukumaran2019": "Balasukumaran T, Olivier B, Ntsiea MV. The effectiveness of backward "
                         "walking as a treatment for people with gait impairments: a systematic "
                         "review and meta-analysis. Clin Rehabil. 2019;33(2):171-182. "
                         "doi:10.1177/0269215518801430",
    "cha2016": "Cha HG, Kim TH, Kim MK. Therapeutic efficacy of walking backward and forward on "
               "a slope in normal adults. J Phys Ther Sci. 2016;28(6):1901-1903. "
               "doi:10.1589/jpts.28.1901",
    "lin2025": "Lin LH, Peng YL, Yen LW, Tsai YL, Cheng CH. Effectiveness of backward walking "
               "exercises combined with conventional rehabilitation programs on managing pain "
               "intensity and disability in patients with knee osteoarthritis: a systematic "
               "review and meta-analysis of randomized controlled trials. Physiother Theory "
               "Pract. Published online 2025. doi:10.1080/09593985.2025.2550532",
    "thomas2000": "Thomas MA, Fast A. One step forward and two steps back: the dangers of walking "
                  "backwards in therapy. Am J Phys Med Rehabil. 2000;79(5):459-461. "
                  "doi:10.1097/00002060-200009000-00011",
    "thomas2018": "Thomas KS, Hammond M, Magal M. Graded forward and backward walking at a "
                  "matched intensity on cardiorespiratory responses and postural control. "
                  "Gait Posture. 2018;65:20-25. doi:10.1016/j.gaitpost.2018.06.168",
    "vannostrand2025": "VanNostrand M, Monaghan PG, Wu W, Fritz NE. Backward walking as a "
                       "mobility assessment and exercise intervention for persons with "
                       "neurologic disorders: a scoping review. Gait Posture. 2025;124:110048. "
                       "doi:10.1016/j.gaitpost.2025.110048",
}


def ref(entry: dict) -> Reference:
    return Reference(entry["id"], entry, Location("backwards-walking/references.json", 7))


def formatted(entry: dict):
    (result,) = format_references([ref(entry)])
    return result


# -- the formatter ---------------------------------------------------------------------------

@pytest.mark.parametrize("entry, expected", KINDS, ids=[e["id"] for e, _ in KINDS])
def test_each_kind_prints_its_ama_form(entry, expected):
    assert formatted(entry).text == expected


def test_the_bundled_references_print_ama_11th_forms():
    entries = [e for e in json.loads((BUNDLED / BIB).read_text("utf-8"))
               if e["id"] in BUNDLED_AMA]
    result = format_references([ref(e) for e in entries])
    assert {r.key: r.text for r in result} == {e["id"]: BUNDLED_AMA[e["id"]] for e in entries}
    assert all("Advance online publication" not in r.text and "2025:1-15" not in r.text
               for r in result)


def test_no_date_prints_nd_where_ama_puts_the_year():
    undated = {name: formatted({k: v for k, v in entry.items() if k != "issued"}).text
               for name, entry in (("book", BOOK), ("chapter", CHAPTER), ("report", REPORT))}
    assert undated["book"].endswith("F.A. Davis; n.d.")
    assert undated["chapter"].endswith("McGraw-Hill; n.d.:123-145.")
    assert "World Health Organization; n.d. Accessed September 1, 2025." in undated["report"]
    # A web page has no year slot: AMA leaves out a date it does not have and gives the
    # date the page was read, which every web page has.
    assert formatted(WEB_PAGE).text == KINDS[4][1]


def test_an_entry_without_author_prints_its_title_once():
    page = formatted(WEB_PAGE).text
    assert page.count("Older adult fall prevention") == 1 and page.startswith("Older adult")
    book = formatted({k: v for k, v in BOOK.items() if k != "author"})
    assert book.text == "Physical Rehabilitation. 7th ed. F.A. Davis; 2019."
    assert str(book.html) == "<i>Physical Rehabilitation</i>. 7th ed. F.A. Davis; 2019."
    edited = formatted(dict(without(BOOK, "author"), editor=[{"family": "Fulk", "given": "G. D."}]))
    assert edited.text == "Fulk GD, ed. Physical Rehabilitation. 7th ed. F.A. Davis; 2019."


def test_a_url_is_a_link_in_the_html_like_a_doi():
    page = formatted(WEB_PAGE)
    assert page.link == page.link_text == "https://www.cdc.gov/falls/index.html"
    assert str(page.html).endswith('Accessed September 1, 2025. <a href="https://www.cdc.gov/'
                                   'falls/index.html">https://www.cdc.gov/falls/index.html</a>')
    article = formatted(ONLINE_FIRST)
    assert article.link == doi_link(ONLINE_FIRST["DOI"])
    assert str(article.html).endswith(f'<a href="{doi_link(ONLINE_FIRST["DOI"])}">'
                                      f'doi:{ONLINE_FIRST["DOI"]}</a>')
    both = formatted(dict(OLD_ARTICLE, DOI="10.1000/old.1", URL="https://example.org/old"))
    assert both.link == doi_link("10.1000/old.1") and "example.org" not in both.text
    assert formatted(OLD_ARTICLE).link is None and "<a" not in str(formatted(OLD_ARTICLE).html)


def test_a_url_with_an_ampersand_or_a_quote_is_escaped_in_the_html():
    url = 'https://example.org/find?q=falls&lang=en&x="1"'
    page = formatted(dict(WEB_PAGE, id="odd", URL=url, title='Falls & "slips"'))
    escaped = "https://example.org/find?q=falls&amp;lang=en&amp;x=&#34;1&#34;"
    assert str(page.html).endswith(f'<a href="{escaped}">{escaped}</a>')
    assert "Falls &amp; &#34;slips&#34;." in str(page.html)
    assert page.text.endswith(url) and page.link == url
    runs = reference_runs(page)
    assert [r for r in runs if r.link] == [type(runs[0])(url, link=url)]
    assert "".join(r.text for r in runs) == page.text


def test_slide_runs_link_the_doi_or_the_url_and_keep_italics():
    book_runs = reference_runs(formatted(REPORT))
    assert [(r.text, r.link) for r in book_runs if r.link] == [(REPORT["URL"], REPORT["URL"])]
    assert [r.text for r in book_runs if r.italic] == ["World Report on Ageing and Health"]
    article_runs = reference_runs(formatted(ONLINE_FIRST))
    assert [(r.text, r.link) for r in article_runs if r.link] == [
        (f"doi:{ONLINE_FIRST['DOI']}", doi_link(ONLINE_FIRST["DOI"]))]
    assert not any(r.link for r in reference_runs(formatted(BOOK)))


# -- the loader ------------------------------------------------------------------------------

def load_problems(topic, *entries: dict) -> list[str]:
    """Problems loading the topic with `entries` first in references.json, one a line."""
    lines = "".join(f"  {json.dumps(entry)},\n" for entry in entries)
    topic.edit(BIB, "[\n", "[\n" + lines)
    try:
        load_document(topic.folder)
    except ContentErrors as exc:
        return [str(p) for p in exc.problems if not p.warning]
    return []


def without(entry: dict, *fields: str) -> dict:
    return {k: v for k, v in entry.items() if k not in fields}


WHERE = f"backwards-walking/{BIB}:2: reference"


@pytest.mark.parametrize("entry, message", [
    (without(BOOK, "publisher"), f"{WHERE} 'osullivan2019' has no \"publisher\" (add the "
     "publisher, as \"publisher\": \"F.A. Davis\")"),
    (without(BOOK, "title"), f"{WHERE} 'osullivan2019' has no \"title\" (add the book's title)"),
    (without(CHAPTER, "container-title"), f"{WHERE} 'smith2020' has no \"container-title\" (add "
     "the book's title)"),
    (without(CHAPTER, "publisher"), f"{WHERE} 'smith2020' has no \"publisher\" (add the book's "
     "publisher)"),
    (without(REPORT, "publisher"), f"{WHERE} 'who2015' has no \"publisher\" (add the "
     "organisation that published it)"),
    (without(WEB_PAGE, "URL"), f"{WHERE} 'cdcfalls' has no \"URL\" (add the page's address, as "
     "\"URL\": \"https://...\")"),
    (without(WEB_PAGE, "accessed"), f"{WHERE} 'cdcfalls' has no \"accessed\" (add the day you "
     "last opened it, as \"accessed\": {\"date-parts\": [[2025, 3, 14]]})"),
    (without(REPORT, "accessed"), f"{WHERE} 'who2015' has no \"accessed\" (add the day you last "
     "opened it, as \"accessed\": {\"date-parts\": [[2025, 3, 14]]} (AMA prints it before a web "
     "address))"),
    (without(OLD_ARTICLE, "issued"), f"{WHERE} 'old1990' has no \"issued\" (add the year, as "
     "{\"date-parts\": [[2019]]})"),
    (dict(WEB_PAGE, URL="ftp://ftp.cdc.gov/falls"), f"{WHERE} 'cdcfalls': the URL "
     "'ftp://ftp.cdc.gov/falls' is not a web address (write the whole address, starting with "
     "https:// or http://, as the browser shows it)"),
    (dict(WEB_PAGE, URL="www.cdc.gov/falls"), f"{WHERE} 'cdcfalls': the URL 'www.cdc.gov/falls' "
     "is not a web address (write the whole address, starting with https:// or http://, as the "
     "browser shows it)"),
    (dict(WEB_PAGE, URL="https://www.cdc.gov/older falls"), f"{WHERE} 'cdcfalls': the URL "
     "'https://www.cdc.gov/older falls' contains a space (write a space in a web address as "
     "%20)"),
    (dict(WEB_PAGE, URL=5), f"{WHERE} 'cdcfalls': \"URL\" should be text, got int 5 (write it "
     "as \"URL\": \"...\")"),
    (dict(GUIDELINE, type="guideline"), f"{WHERE} 'nice2013': the type \"guideline\" is not one "
     "the reference formatter prints (use one of article-journal, book, chapter, report, "
     "webpage; a guideline is a \"report\" (its \"publisher\" the body that issued it), or an "
     "\"article-journal\" when a journal published it)"),
    (dict(BOOK, type="thesis"), f"{WHERE} 'osullivan2019': the type \"thesis\" is not one the "
     "reference formatter prints (use one of article-journal, book, chapter, report, webpage)"),
])
def test_each_kind_needs_what_ama_prints(topic, entry, message):
    found = load_problems(topic, entry)
    assert message in found, found


@pytest.mark.parametrize("entry", [BOOK, without(BOOK, "issued"), CHAPTER, REPORT, GUIDELINE,
                                   WEB_PAGE, DATED_PAGE, OLD_ARTICLE, ONLINE_FIRST,
                                   dict(WEB_PAGE, URL="https://example.org/a?b=1&c=2")],
                         ids=lambda e: e["id"])
def test_every_kind_loads_without_a_doi_or_a_date_it_does_not_need(topic, entry):
    assert load_problems(topic, entry) == []


# -- the read-back ---------------------------------------------------------------------------

@pytest.fixture
def brief(topic):
    """The clinician's view of a topic whose references include a web page and a book."""
    load_problems(topic, WEB_PAGE, BOOK)
    topic.edit(MD, "[@cha2016]", "[@cha2016; @cdcfalls; @osullivan2019]")
    return select(load_document(topic.folder).document, "clinician")


def good_facts(view) -> PdfFacts:
    anchors = tuple(f"ref-{n}" for n in range(1, len(view.references) + 1))
    links = tuple(doi_link(r.doi) if r.doi else r.csl["URL"] for r in view.references
                  if r.doi or r.csl.get("URL"))
    return PdfFacts("", 2, (612.0, 792.0), (), ("Atkinson-Hyperlegible",), anchors, anchors,
                    links, ())


def test_pdf_links_are_compared_with_every_doi_and_url(brief):
    facts = good_facts(brief)
    assert len(facts.uris) == len(brief.references) - 1  # the book has neither
    results = {r.name: r for r in citation_results(facts, brief)}
    assert results["citations"].ok and results["dois"].ok, results
    missing = replace(facts, uris=tuple(u for u in facts.uris if "cdc.gov" not in u))
    result = {r.name: r for r in citation_results(missing, brief)}["dois"]
    assert not result.ok and result.detail == (
        f"reference 'cdcfalls' (backwards-walking/{BIB}:2) has no link to its web address "
        "https://www.cdc.gov/falls/index.html")
    no_doi = replace(facts, uris=tuple(u for u in facts.uris if "10.1589" not in u))
    result = {r.name: r for r in citation_results(no_doi, brief)}["dois"]
    line = next(r.location.line for r in brief.references if r.key == "cha2016")
    assert result.detail == (f"reference 'cha2016' (backwards-walking/{BIB}:{line}) has no "
                             "link to its DOI https://doi.org/10.1589/jpts.28.1901")
    stranger = replace(facts, uris=facts.uris + ("https://example.org/not-listed",))
    result = {r.name: r for r in citation_results(stranger, brief)}["dois"]
    assert not result.ok and result.detail == \
        "a link to https://example.org/not-listed that no listed reference has"


def test_a_link_the_text_makes_is_not_a_stranger(topic):
    load_problems(topic, WEB_PAGE)
    topic.edit(MD, "[@cha2016]", "[@cha2016; @cdcfalls] (see [the CDC](https://www.cdc.gov/"
               "steadi/index.html))")
    view = select(load_document(topic.folder).document, "clinician")
    facts = good_facts(view)
    facts = replace(facts, uris=facts.uris + ("https://www.cdc.gov/steadi/index.html",))
    assert {r.name: r for r in citation_results(facts, view)}["dois"].ok


def test_links_are_compared_as_uris(brief):
    """The PDF holds an address %-encoded where a URI may not hold the character."""
    entry = dict(WEB_PAGE, URL='https://example.org/café?q="x y"')
    view = replace(brief, references=tuple(ref(entry) if r.key == "cdcfalls" else r
                                           for r in brief.references))
    facts = good_facts(view)
    encoded = replace(facts, uris=tuple("https://example.org/caf%C3%A9?q=%22x%20y%22"
                                        if "example.org" in u else u for u in facts.uris))
    assert {r.name: r for r in citation_results(encoded, view)}["dois"].ok


def test_deck_reference_lines_are_found_without_any_link(brief):
    view = replace(brief, references=tuple(
        replace(r, csl=without(r.csl, "DOI", "URL")) for r in brief.references))
    lines = tuple((n, f"{n}. {r.csl['title']} et cetera") for n, r in
                  enumerate(view.references, start=1))
    facts = DeckFacts("Evidence [1] and [2].", 12, (), (), (), (), (), (), (),
                      numbered_lines=((1, "1. What is backward walking?"),) + lines)
    results = {r.name: r for r in deck_citation_results(facts, view)}
    assert results["citations"].ok and results["dois"].ok, results
    quiz_only = replace(facts, numbered_lines=((1, "1. What is backward walking?"),
                                               (2, "2. Who should not try it?")))
    assert not {r.name: r for r in deck_citation_results(quiz_only, view)}["citations"].ok


def test_deck_links_name_the_reference_that_lacks_one(brief):
    links = tuple(doi_link(r.doi) if r.doi else r.csl.get("URL") for r in brief.references)
    facts = DeckFacts("Evidence [1].", 12, (), (), (), (), ("1",), (),
                      tuple(link for link in links if link and "cdc.gov" not in link))
    result = {r.name: r for r in deck_citation_results(facts, brief)}["dois"]
    assert not result.ok and result.detail == (
        f"reference 'cdcfalls' (backwards-walking/{BIB}:2) has no link to its web address "
        "https://www.cdc.gov/falls/index.html")


# -- whole builds ----------------------------------------------------------------------------

def pdf_links(path: Path) -> list[str]:
    """External link targets of a PDF, read with pypdf (not the code under test)."""
    found = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI"):
                found.append(str(action["/URI"]))
    return found


def test_a_brief_lists_a_book_a_web_page_and_a_report_with_their_links(runner, topic):
    load_problems(topic, BOOK, WEB_PAGE, REPORT)
    topic.edit(MD, "[@cha2016]", "[@cha2016; @osullivan2019; @cdcfalls; @who2015]")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "clinician",
                       "--lang", "en", "--paper", "letter")
    assert result.exit_code == 0, result.output  # the build read its links back: they match
    brief = Path("out/backwards-walking/en/backwards-walking-clinician.pdf")
    text = squeezed(pdf_text(brief))
    for entry, expected in KINDS:
        if entry["id"] in ("osullivan2019", "cdcfalls", "who2015"):
            assert squeezed(expected) in text, expected
    links = pdf_links(brief)
    assert WEB_PAGE["URL"] in links and REPORT["URL"] in links
    assert {doi_link(e["DOI"]) for e in json.loads((BUNDLED / BIB).read_text("utf-8"))} <= \
        set(links)
    assert not any("F.A." in link for link in links)  # the book has no link


def test_a_deck_whose_references_have_no_links_passes_its_read_back(runner, topic):
    data = json.loads(topic.path(BIB).read_text("utf-8"))
    topic.path(BIB).write_text(json.dumps([without(e, "DOI") for e in data], indent=2),
                               "utf-8")
    result = run_build(runner, "backwards-walking", "--out", "out", "--audience", "trainer",
                       "--lang", "en")
    assert result.exit_code == 0, result.output
    deck = Presentation("out/backwards-walking/en/backwards-walking-slides.pptx")
    paragraphs = [p for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
                  for p in shape.text_frame.paragraphs]
    for entry in data:
        assert any(entry["title"] in p.text and p.text[0].isdigit() for p in paragraphs), entry
    assert not any(r.hyperlink.address for p in paragraphs for r in p.runs)
    assert not any("doi:" in p.text for p in paragraphs)
