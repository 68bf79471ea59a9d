"""Reading a web edition back: it parses as HTML5, says what it must, and loads nothing.

The page is parsed by html5lib (the WHATWG algorithm browsers use) apart from
the code that wrote it. Its text is read as a reader gets it: hidden
elements (`hidden`, `aria-hidden="true"`) and stylesheets do not count, so a
safety statement only inside them is missing. Whether the page is also
accessible in a browser (axe-core, the accessibility tree) is tested in
Chromium by the test suite.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from ..model import View, is_right_to_left
from ..model.markers import REFERENCE_ANCHOR
from .results import CheckResult, Verified, language_result, safety_results

SILENT = {"style", "script", "template", "head", "title"}
LINK_SCHEMES = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*[\"']?\s*(?!data:)", re.IGNORECASE)
FETCHING = {"script", "link", "iframe", "object", "embed", "frame", "base", "audio", "video",
            "source", "track"}


def verify_html(data: bytes, view: View, source: View | None) -> Verified:
    root, errors = parse(data)
    text = reader_text(root)
    results = [CheckResult("html5", not errors, "; ".join(errors[:5]))]
    results += safety_results(text, view)  # the page's text is exact, in logical order
    if source is not None:
        results.append(language_result(text, view, source))
    results.append(language_attributes(root, view.language))
    results.append(self_contained(root))
    results.append(links_resolve(root, len(view.references)))
    return Verified(sum(1 for _ in root.iter("section")), results)


def parse(data: bytes) -> tuple[Element, list[str]]:
    """The page's tree, and every HTML5 parse error as 'line:column: code'."""
    import html5lib

    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"),
                                 namespaceHTMLElements=False)
    root = parser.parse(data, transport_encoding="utf-8")
    return root, [f"{line}:{column}: {code}" for (line, column), code, _ in parser.errors]


def reader_text(root: Element) -> str:
    """The text a reader is given, in document order, without hidden parts."""
    parts: list[str] = []

    def walk(element: Element) -> None:
        hidden = (element.tag in SILENT or "hidden" in element.attrib
                  or element.get("aria-hidden") == "true")
        if not hidden:
            parts.append(element.text or "")
            for child in element:
                walk(child)
        parts.append(element.tail or "")

    walk(root)
    return " ".join(parts)


def language_attributes(root: Element, language: str) -> CheckResult:
    direction = "rtl" if is_right_to_left(language) else "ltr"
    found = (root.get("lang"), root.get("dir"))
    ok = found == (language, direction)
    return CheckResult("lang-dir", ok, "" if ok else
                       f"<html> says lang={found[0]!r} dir={found[1]!r}, "
                       f"not {language!r} {direction!r}")


def self_contained(root: Element) -> CheckResult:
    """Nothing that fetches: no scripts, frames or stylesheet links; every src and CSS url()
    a data: URL; links only to web, mail or in-page addresses."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        if element.tag in FETCHING:
            found.append(f"<{element.tag}>")
        for name in ("src", "srcset", "poster", "data"):
            value = element.get(name)
            if value is not None and not value.strip().lower().startswith("data:"):
                found.append(f"<{element.tag} {name}={value[:60]!r}>")
        href = element.get("href")
        if href is not None and not LINK_SCHEMES.match(href.strip()):
            found.append(f"<{element.tag} href={href[:60]!r}>")
        style = (element.text or "") if element.tag == "style" else element.get("style", "")
        if CSS_URL.search(style) or "@import" in style.lower():
            found.append(f"a CSS url() or @import in <{element.tag}>")
    return CheckResult("self-contained", not found, "loads " + ", ".join(sorted(set(found))[:5]))


def links_resolve(root: Element, references: int) -> CheckResult:
    """Every in-page link has its target, and every listed reference has its anchor."""
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    broken = sorted({href for element in root.iter("a")
                     if (href := element.get("href", "")).startswith("#") and href[1:] not in ids})
    anchors = {int(m.group(1)) for i in ids if (m := REFERENCE_ANCHOR.fullmatch(i))}
    unlisted = sorted(set(range(1, references + 1)) - anchors)
    problems = [f"no target for {', '.join(broken[:5])}"] if broken else []
    problems += [f"reference(s) {unlisted} not listed"] if unlisted else []
    return CheckResult("links", not problems, "; ".join(problems))
