"""Headless Chromium for the web-edition tests: Debian's browser driven by Playwright.

The browser is the machine's own (/usr/bin/chromium, installed by the set-up),
never one Playwright downloads; axe-core comes from node_modules (`npm ci` in
the set-up), never from the network. Every request the browser makes is
recorded, and any that would leave loopback is refused and reported.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions"]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Inside the browser or the page: the built-in PDF viewer is a chrome-extension: page.
LOCAL_SCHEMES = ("file", "data", "about", "blob", "chrome-extension", "chrome")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make test installs it)"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (make test installs Debian's chromium package)"
    if not AXE.is_file():
        return f"{AXE} is missing (make test runs npm ci)"
    return None


class Browser:
    """One Chromium with a fresh profile; pages opened through it refuse the network."""

    def __init__(self, context):
        self.context = context
        self.requests: list[str] = []  # every URL any page asked for
        self.refused: list[str] = []  # those that would have left loopback
        context.route("**/*", self._route)
        context.on("request", lambda request: self.requests.append(request.url))

    def _route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOOPBACK:
            route.continue_()
        else:
            self.refused.append(url)
            route.abort("blockedbyclient")

    def open(self, path_or_url: str | Path, width: int = 1280, height: int = 900):
        page = self.context.new_page()
        page.set_viewport_size({"width": width, "height": height})
        url = path_or_url.as_uri() if isinstance(path_or_url, Path) else path_or_url
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    def outside_loopback(self) -> list[str]:
        """Requests that left (or tried to leave) this machine's loopback."""
        outside = [url for url in self.requests
                   if urlsplit(url).scheme not in LOCAL_SCHEMES
                   and urlsplit(url).hostname not in LOOPBACK]
        return sorted(set(outside + self.refused))


@contextmanager
def chromium():
    reason = missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="handouts-chromium-")
    try:
        with sync_playwright() as driver:
            context = driver.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                service_workers="block")
            try:
                yield Browser(context)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the open page."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                           resultTypes: ['violations']})""",
                           WCAG_22_AA)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def accessibility_text(page) -> str:
    """The text of every node in Chromium's accessibility tree, in tree order."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return " ".join(str(node.get("name", {}).get("value", "")) for node in nodes
                    if not node.get("ignored") and node.get("role", {}).get("value")
                    in ("StaticText", "InlineTextBox") and node.get("name"))


def accessible_notes(page) -> list[str]:
    """The names of the page's note regions (how a screen reader announces a safety box)."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [str(node.get("name", {}).get("value", "")) for node in nodes
            if not node.get("ignored") and node.get("role", {}).get("value") == "note"]


def fonts_drawing(page, selector: str) -> dict[str, bool]:
    """Font family -> whether it is a web font, for the glyphs Chromium drew in `selector`."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    document = session.send("DOM.getDocument")
    node = session.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"],
                                              "selector": selector})
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    session.detach()
    return {font["familyName"]: font["isCustomFont"] for font in fonts}
