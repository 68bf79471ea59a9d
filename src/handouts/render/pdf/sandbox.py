"""The only way the PDF renderer may read a resource: local files under allowed folders.

WeasyPrint's default fetcher follows http://, https:// and any file:// path.
Content is untrusted data, so this fetcher refuses everything except files
inside the topic folder, the templates folder and the bundled font folders,
and `data:` URLs that the templates embed themselves (QR codes, icons).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from . import engine  # noqa: F401  (loads WeasyPrint quickly: first, before weasyprint.urls)
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # noqa: E402

from ...errors import Location  # noqa: E402


class RefusedResource(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop the render; carries the user-facing message."""

    def __init__(self, url: str, location: Location | None):
        self.url = url
        self.location = location
        super().__init__(f"refused to load {url}")


class SandboxFetcher(URLFetcher):
    """Serves `file:` URLs inside `roots` and `data:` URLs; refuses the rest."""

    def __init__(self, roots: list[Path], origins: dict[str, Location] | None = None):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.origins = origins or {}  # url -> where the content asked for it

    def fetch(self, url: str, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and self.allows(url):
            return super().fetch(url, headers)
        raise RefusedResource(url, self.origins.get(url))

    def allows(self, url: str) -> bool:
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        return any(path == root or root in path.parents for root in self.roots) and path.is_file()
