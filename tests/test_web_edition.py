"""The web editions (patient handout, clinician brief) as a reader and a browser get them.

Every build writes them; these tests read the files back, parse them as
HTML5, and open them in headless Chromium (Debian's, driven by Playwright)
where axe-core checks WCAG 2.2 A and AA and the accessibility tree must hold
every required safety statement. No request may leave loopback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import html5lib
import pytest

from browser import (accessibility_text, accessible_notes, axe_violations, chromium,
                     fonts_drawing)
from conftest import BUNDLED, run_build
from readback import in_order, markdown_safety_texts, po_safety_texts, squeezed

EDITIONS = [("en", "patient"), ("en", "clinician"), ("es", "patient"), ("es", "clinician"),
            ("ar", "patient"), ("zh-Hans", "patient")]
SCREENSHOTS = os.environ.get("HANDOUTS_SCREENSHOTS")  # a folder to keep the screenshots in


def edition(built: Path, language: str, audience: str) -> Path:
    return built.parent / language / f"backwards-walking-{audience}.html"


def required_texts(language: str, audience: str) -> dict[str, list[str]]:
    """Each required statement's text, straight from the Markdown or the catalog."""
    import yaml

    topic = yaml.safe_load((BUNDLED / "topic.yaml").read_text(encoding="utf-8"))
    ids = [r if isinstance(r, str) else r["id"]
           for r in topic["audiences"][audience]["required_safety"]]
    if language == "en":
        texts = {k: [v] for k, v in markdown_safety_texts(BUNDLED / "backwards-walking.md").items()}
    else:
        texts = po_safety_texts(BUNDLED / "locales" / f"{language}.po")
    return {i: texts[i] for i in ids}


@pytest.fixture(scope="module")
def browser():
    with chromium() as opened:
        yield opened
        assert opened.outside_loopback() == []


@pytest.mark.parametrize("language,audience", EDITIONS)
def test_each_edition_parses_as_html5_with_its_language_and_direction(built, language, audience):
    path = edition(built, language, audience)
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"),
                                 namespaceHTMLElements=False)
    root = parser.parse(path.read_bytes(), transport_encoding="utf-8")
    assert parser.errors == []
    assert root.get("lang") == language
    assert root.get("dir") == ("rtl" if language == "ar" else "ltr")
    tags = [element.tag for element in root.iter() if isinstance(element.tag, str)]
    assert {"header", "main", "footer"} <= set(tags)
    headings = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:]))


@pytest.mark.parametrize("language,audience", EDITIONS)
def test_each_edition_loads_nothing_from_outside_itself(built, language, audience):
    html = edition(built, language, audience).read_text(encoding="utf-8")
    assert "<script" not in html and "<link" not in html
    assert re.findall(r'\bsrc="(?!data:)', html) == []
    assert re.findall(r"url\((?!data:)", html) == []
    assert "@font-face" in html and "data:font/woff;base64," in html


@pytest.mark.parametrize("language,audience", EDITIONS)
def test_axe_finds_no_wcag_22_aa_violation_at_phone_and_desktop_widths(built, browser, language,
                                                                          audience):
    for width in (320, 1280):
        page = browser.open(edition(built, language, audience), width=width)
        assert axe_violations(page) == [], f"{language} {audience} at {width} px"
        # Responsive: nothing is wider than a 320 px phone's screen; the evidence table
        # scrolls inside its section and is still a table to a screen reader.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if audience == "clinician":
            assert page.get_by_role("table").count() == 1
            assert page.get_by_role("columnheader").count() == 7
        if SCREENSHOTS and audience == "patient" and language in ("en", "ar"):
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{language}-{audience}-{width}.png"),
                            full_page=True)
        page.close()


@pytest.mark.parametrize("language,audience", EDITIONS)
def test_every_required_safety_statement_is_in_the_accessibility_tree(built, browser, language,
                                                                       audience):
    page = browser.open(edition(built, language, audience))
    tree = squeezed(accessibility_text(page).replace("**", ""))
    for safety_id, parts in required_texts(language, audience).items():
        assert in_order(tree, parts), f"{safety_id} is not in the accessibility tree"
    if audience == "patient":
        # Each safety box and each "when to stop" tier is a named note region.
        notes = accessible_notes(page)
        assert len(notes) >= 3 and all(name.strip() for name in notes)
    page.close()


def test_a_statement_hidden_from_readers_is_missing_from_the_tree(built, browser, tmp_path):
    """The tree read-back can fail: aria-hidden on the safety box takes its text out."""
    html = edition(built, "en", "patient").read_text(encoding="utf-8")
    hidden = tmp_path / "hidden.html"
    hidden.write_text(html.replace('class="safety-box" role="note"',
                                   'class="safety-box" role="note" aria-hidden="true"'),
                      encoding="utf-8")
    page = browser.open(hidden)
    rails = required_texts("en", "patient")["patient-rails"]
    assert not in_order(squeezed(accessibility_text(page)), rails)
    page.close()


@pytest.mark.parametrize("language,family", [("ar", "Noto Sans Arabic"),
                                             ("zh-Hans", "Noto Sans CJK SC"),
                                             ("en", "Atkinson Hyperlegible")])
def test_each_script_is_drawn_by_its_inlined_font_in_the_right_direction(built, browser,
                                                                         language, family):
    page = browser.open(edition(built, language, "patient"))
    drawing = fonts_drawing(page, "li.safety")
    assert drawing.get(family) is True, drawing  # a web font from the page, not the system's
    assert [name for name, custom in drawing.items() if not custom] == []
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == ("rtl" if language == "ar" else "ltr")
    references = page.evaluate("getComputedStyle(document.querySelector('ol.references'))"
                               ".direction")
    assert references == "ltr"  # references keep the direction they were written in
    page.close()


def test_the_plan_is_a_labelled_form_that_prints(built, browser):
    page = browser.open(edition(built, "en", "patient"))
    page.get_by_label("Start date:").fill("1 December")
    assert page.get_by_label("Start date:").input_value() == "1 December"
    page.get_by_label("Safety bars").check()
    pdf = page.pdf(format="Letter")  # Chromium prints the page with its print styles
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


def test_a_build_writes_the_same_web_edition_twice(runner, topic):
    first = run_build(runner, str(topic.folder), "--out", "a", "--lang", "zh-Hans",
                      "--audience", "patient")
    second = run_build(runner, str(topic.folder), "--out", "b", "--lang", "zh-Hans",
                       "--audience", "patient", "--jobs", "1")
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    name = "backwards-walking/zh-Hans/backwards-walking-patient.html"
    assert Path("a", name).read_bytes() == Path("b", name).read_bytes()


def test_content_that_looks_like_template_code_prints_as_text(runner, topic):
    topic.edit("backwards-walking.md", "Falls are the main danger.",
               "Falls are the main danger {{ 7*7 }}.")
    result = run_build(runner, str(topic.folder), "--out", "out", "--lang", "en",
                       "--audience", "patient")
    assert result.exit_code == 0, result.output
    html = Path("out/backwards-walking/en/backwards-walking-patient.html").read_text("utf-8")
    assert "danger {{ 7*7 }}." in html and "danger 49" not in html


def test_a_stylesheet_that_would_load_from_the_network_is_refused(runner, topic):
    import shutil

    from handouts.assets.locations import default_templates

    templates = topic.root / "my-templates"
    shutil.copytree(default_templates(), templates)
    css = templates / "css" / "web.css"
    css.write_text(css.read_text("utf-8") + "\nbody { background: url(https://example.org/x.png); }\n",
                   encoding="utf-8")
    line = len(css.read_text("utf-8").splitlines())
    result = runner.invoke(__import__("handouts.cli", fromlist=["cli"]).cli,
                           ["build", str(topic.folder), "--out", "out", "--lang", "en",
                            "--audience", "patient", "--templates", str(templates)])
    assert result.exit_code == 1
    assert f"my-templates/css/web.css:{line}: the web edition's stylesheet uses 'url('" \
        in result.output
    assert "Traceback" not in result.output and not Path("out/backwards-walking").exists()


def test_the_read_back_fails_a_page_that_drops_a_statement_or_loads_a_script(built):
    from handouts.verify.html import self_contained, parse, reader_text

    html = edition(built, "en", "patient").read_text(encoding="utf-8")
    rails = squeezed(required_texts("en", "patient")["patient-rails"][0])
    assert rails in squeezed(reader_text(parse(html.encode())[0]))
    hidden = html.replace('id="safety-patient-rails"', 'id="safety-patient-rails" hidden')
    assert rails not in squeezed(reader_text(parse(hidden.encode())[0]))
    scripted = html.replace("</main>", '<script src="https://example.org/x.js"></script></main>')
    assert not self_contained(parse(scripted.encode())[0]).ok
    assert self_contained(parse(html.encode())[0]).ok


def test_arabic_letters_join_in_the_pages_own_subset_font(built, browser):
    """The subset keeps the joining forms: a word is drawn narrower than its letters kept apart."""
    page = browser.open(edition(built, "ar", "patient"))
    widths = page.evaluate("""() => {
        const word = document.querySelector('li.safety').textContent.trim().split(/\\s+/)
            .find(w => /^[\\u0628-\\u064A]{4,}$/.test(w));
        const measure = text => {
            const span = document.createElement('span');
            span.textContent = text;
            document.querySelector('li.safety').appendChild(span);
            const width = span.getBoundingClientRect().width;
            span.remove();
            return width;
        };
        return [word, measure(word), measure([...word].join('\\u200c'))];
    }""")
    word, joined, apart = widths
    assert word and joined > 0
    assert abs(joined - apart) > 1, widths  # same width: every letter drawn in its isolated form
    assert fonts_drawing(page, "li.safety").get("Noto Sans Arabic") is True
    page.close()
