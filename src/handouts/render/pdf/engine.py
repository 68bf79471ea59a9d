"""WeasyPrint, imported without searching for its libraries under other platforms' names.

WeasyPrint opens GObject, Pango, HarfBuzz and fontconfig by trying each
platform's name in turn (libgobject-2.0-0, gobject-2.0-0, gobject-2.0, then
libgobject-2.0.so.0 ...). cffi hands every name that does not open to
ctypes.util.find_library, which on Linux runs gcc and ldconfig: sixteen
programs and a quarter of a second (0.57 against 0.32 s for the import)
before the first page, in every command that renders. While WeasyPrint loads,
a name is opened only as given, and the platform's own name in each list
opens directly. Should none open that way, the import is done again with the
full search, so nothing is lost where libraries live elsewhere.

Imported by sandbox.py, the first WeasyPrint module every rendering loads.
"""

from __future__ import annotations

import ctypes.util
import sys


def _load() -> None:
    if "weasyprint" in sys.modules:
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint  # noqa: F401,F811
    finally:
        ctypes.util.find_library = search


_load()
