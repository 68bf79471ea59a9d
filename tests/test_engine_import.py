"""WeasyPrint is loaded without running gcc and ldconfig to look for its libraries,
and still loads where only that search finds them."""

from __future__ import annotations

import subprocess
import sys

COUNT_SEARCHES = """
import ctypes.util
searches = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: searches.append(name) or real(name)
counting = ctypes.util.find_library
"""

CHECK = """
import handouts.render.pdf.sandbox
from weasyprint.text.ffi import pango
assert pango.pango_units_from_double(1) == 1024
assert ctypes.util.find_library is counting  # put back as it was
print(len(searches))
"""

ONLY_SEARCH_FINDS_THEM = """
import cffi.api
direct = cffi.api._load_backend_lib
def no_sonames(backend, name, flags):
    if isinstance(name, str) and ".so" in name and "/" not in name:
        raise OSError(f"{name}: not on this system's path")
    return direct(backend, name, flags)
cffi.api._load_backend_lib = no_sonames
"""


def run(code: str) -> int:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return int(done.stdout.split()[-1])


def test_the_libraries_open_by_their_own_names_without_a_search():
    assert run(COUNT_SEARCHES + CHECK) == 0


def test_where_only_the_search_finds_them_weasyprint_still_loads():
    assert run(COUNT_SEARCHES + ONLY_SEARCH_FINDS_THEM + CHECK) > 0
