"""The preview's own pages: the index of every output, viewers, and the reload script.

Everything printed here that came from a topic (paths, check details, error
messages) is escaped. The reload script is added to pages as they are served
only; the files on disk never carry a script.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 64rem; padding: 1rem;
       color: #1a1a1a; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
th, td { text-align: start; padding: 0.3rem 0.5rem; border-bottom: 1px solid #9bb8bd;
         vertical-align: top; }
.ok { color: #1d5b2a; font-weight: 700; } .failed { color: #b3141c; font-weight: 700; }
embed { width: 100%; height: 85vh; border: 1px solid #9bb8bd; }
"""

# On every served page: follow the preview's events; reload when a build changed this page
# (or the index); show a failed build's errors over the page instead of a stale page, and
# the problems of outputs that were left out (a stale catalog) in a bar below it.
RELOAD_SCRIPT = """<script>
(() => {
  const shown = %(version)d, own = %(own)s;
  const box = (id, lines, heading, style) => {
    let element = document.getElementById(id);
    if (!lines.length) { if (element) element.remove(); return; }
    if (!element) {
      element = document.createElement("div");
      element.id = id; element.setAttribute("role", id === "handouts-errors" ? "alert" : "status");
      element.style.cssText = "position:fixed;z-index:2147483647;overflow:auto;background:#fff;" +
        "color:#1a1a1a;padding:1rem;font:15px/1.5 monospace;white-space:pre-wrap;" + style;
      document.body.appendChild(element);
    }
    element.textContent = heading + "\\n" + lines.join("\\n");
  };
  const events = new EventSource("/events?after=" + shown);
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    box("handouts-errors", state.errors, "The last build failed; fix these and save:",
        "inset:0;border:6px solid #b3141c");
    box("handouts-notices", state.errors.length ? [] : state.notices,
        "Built, but some outputs were left out:",
        "left:0;right:0;bottom:0;max-height:30vh;border-top:4px solid #8a5a00");
    if (state.errors.length || state.version <= shown) return;
    if (own === null || state.changed.includes(own)) location.reload();
  };
})();
</script>"""


def with_reload(html: str, version: int, own: str | None) -> str:
    """The page with the reload script before </body> (`own`: its path, None for the index)."""
    script = RELOAD_SCRIPT % {"version": version, "own": json.dumps(own)}
    at = html.lower().rfind("</body>")
    return html[:at] + script + html[at:] if at >= 0 else html + script


def index_page(out: Path, topics: list[str], errors: tuple[str, ...], version: int,
               notices: tuple[str, ...] = ()) -> str:
    """Every output of every topic, from its manifest, with its check results."""
    sections = []
    for topic in topics:
        manifest = _manifest(out / topic / "manifest.json")
        rows = []
        for entry in manifest.get("outputs", []):
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                continue  # a damaged manifest: the next build rewrites it
            relpath = f"{topic}/{entry['path']}"
            failed = [str(c.get("name")) for c in entry.get("checks", []) if not c.get("ok")]
            verdict = (f'<span class="failed">failed: {escape(", ".join(failed))}</span>'
                       if failed else f'<span class="ok">{len(entry.get("checks", []))} '
                                      "checks passed</span>")
            rows.append(f"<tr><td>{_viewer_link(relpath)}</td>"
                        f"<td>{escape(str(entry.get('language', '')))}</td>"
                        f"<td>{escape(str(entry.get('audience', '')))}</td><td>{verdict}</td></tr>")
        body = "".join(rows) or '<tr><td colspan="4">Not built yet.</td></tr>'
        sections.append(f"<h2>{escape(topic)}</h2><table><thead><tr><th scope=\"col\">Output"
                        "</th><th scope=\"col\">Language</th><th scope=\"col\">Audience</th>"
                        f"<th scope=\"col\">Checks</th></tr></thead><tbody>{body}</tbody></table>")
    problems = "".join(f"<h2>{title}</h2><ul>" + "".join(f"<li>{escape(e)}</li>" for e in lines)
                       + "</ul>" for title, lines in (("Errors", errors),
                                                      ("Left out", notices)) if lines)
    return _page("handouts preview", f"<h1>handouts preview</h1>{problems}{''.join(sections)}",
                 version, None)


def pdf_page(relpath: str, version: int) -> str:
    name = escape(relpath)
    return _page(relpath, f'<h1>{name}</h1><p><a href="/">All outputs</a> · '
                          f'<a href="/files/{name}" download>Download</a></p>'
                          f'<embed src="/files/{name}" type="application/pdf" title="{name}">',
                 version, relpath)


def _viewer_link(relpath: str) -> str:
    name = escape(relpath)
    if relpath.endswith(".html"):
        return f'<a href="/files/{name}">{name}</a> (web page)'
    if relpath.endswith(".pdf"):
        return f'<a href="/view/{name}">{name}</a> (PDF)'
    return f'<a href="/files/{name}" download>{name}</a> (download)'


def _page(title: str, body: str, version: int, own: str | None) -> str:
    html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body><main>{body}</main></body></html>")
    return with_reload(html, version, own)


def _manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
