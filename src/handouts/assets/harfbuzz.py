"""HarfBuzz, for what fontTools does slowly in Python: a face's characters, and subsetting.

Which characters a face maps: reading Noto Sans CJK's cmap with fontTools took
0.14 s a face, before the first page of every Chinese build; HarfBuzz 3 ms.

Subsetting, by hb-subset, the subsetter WeasyPrint itself uses. The web
editions carry every face they draw with, cut to the page's characters.
fontTools' subsetter took 0.6 s of CPU a face for Noto Sans CJK and 0.25 s for
Noto Sans Arabic (a quarter of a cold build went to it); hb-subset gives fonts
of the same size in 3-20 ms. WeasyPrint already loads libharfbuzz-subset, but
its bindings lack what a web font needs (a face from a file, keeping every name,
feature and script), so this module declares the few functions it calls.

What is kept: the characters asked for and every glyph layout features reach
from them (Arabic joining forms, ligatures, CJK punctuation forms), every
layout feature and script, every name record (the licence) and the outline of
.notdef. Same font and characters, same bytes.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from pathlib import Path

_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_face_collect_unicodes (hb_face_t *face, hb_set_t *out);
hb_set_t *hb_set_create (void);
void hb_set_destroy (hb_set_t *set);
unsigned int hb_set_get_population (const hb_set_t *set);
unsigned int hb_set_next_many (const hb_set_t *set, hb_codepoint_t codepoint,
                               hb_codepoint_t *out, unsigned int size);
void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints,
                              unsigned int num_codepoints);
void hb_set_clear (hb_set_t *set);
void hb_set_invert (hb_set_t *set);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
int hb_version_atleast (unsigned int major, unsigned int minor, unsigned int micro);
const char *hb_version_string (void);
"""

# hb_subset_sets_t and hb_subset_flags_t (hb-subset.h, stable since HarfBuzz 3.0)
_UNICODE = 1
_KEEP_ALL = (4, 5, 6, 7)  # name ids, name languages, layout features, layout scripts
_NOTDEF_OUTLINE = 0x40

# The names WeasyPrint looks for, on Linux, macOS and Windows
_HARFBUZZ = ("libharfbuzz.so.0", "harfbuzz", "libharfbuzz-0", "libharfbuzz.0.dylib",
             "libharfbuzz-0.dll")
_HARFBUZZ_SUBSET = ("libharfbuzz-subset.so.0", "harfbuzz-subset", "libharfbuzz-subset-0",
                    "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")


_NO_CODEPOINT = 0xFFFFFFFF  # HB_SET_VALUE_INVALID: start from the first
NEEDED = (4, 2, 0)  # hb_set_next_many; the subset input sets are older


class SubsetError(RuntimeError):
    """HarfBuzz could not read or cut a font."""


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why HarfBuzz cannot read and cut fonts here (missing, or too old), or None."""
    try:
        ffi, harfbuzz, _ = _library()
    except SubsetError as exc:
        return str(exc)
    if not harfbuzz.hb_version_atleast(*NEEDED):
        found = ffi.string(harfbuzz.hb_version_string()).decode()
        return (f"HarfBuzz {'.'.join(map(str, NEEDED))} or newer is needed to read and cut "
                f"fonts; this system has {found}")
    return None


def code_points(path: Path, index: int = 0) -> frozenset[int]:
    """The characters the face (number `index` of a collection) maps to glyphs."""
    with _face(path, index) as (ffi, harfbuzz, face):
        return _characters(ffi, harfbuzz, face)


def subset_font(path: Path, index: int, codepoints: frozenset[int]) -> bytes | None:
    """The font (number `index` of a collection) cut to `codepoints`, as an sfnt (TTF/OTF).

    None when the font maps none of them: a page has no use for it.
    """
    _, _, subset = _library()
    with _face(path, index) as (ffi, harfbuzz, face):
        ordered = sorted(codepoints & _characters(ffi, harfbuzz, face))
        if not ordered:
            return None
        wanted = subset.hb_subset_input_create_or_fail()
        result = ffi.NULL
        try:
            unicodes = subset.hb_subset_input_set(wanted, _UNICODE)
            harfbuzz.hb_set_add_sorted_array(unicodes, ffi.new("hb_codepoint_t[]", ordered),
                                             len(ordered))
            for kind in _KEEP_ALL:  # an empty set inverted holds everything
                kept = subset.hb_subset_input_set(wanted, kind)
                harfbuzz.hb_set_clear(kept)
                harfbuzz.hb_set_invert(kept)
            subset.hb_subset_input_set_flags(wanted, _NOTDEF_OUTLINE)
            result = subset.hb_subset_or_fail(face, wanted)
            if result == ffi.NULL:
                raise SubsetError(f"{path}: HarfBuzz could not subset font number {index}")
            return _face_bytes(ffi, harfbuzz, result)
        finally:
            if result != ffi.NULL:
                harfbuzz.hb_face_destroy(result)
            subset.hb_subset_input_destroy(wanted)


@contextlib.contextmanager
def _face(path: Path, index: int):
    """(ffi, the HarfBuzz library, the face) while the block runs; freed after."""
    ffi, harfbuzz, _ = _library()
    blob = harfbuzz.hb_blob_create_from_file_or_fail(str(path).encode())
    if blob == ffi.NULL:
        raise SubsetError(f"{path}: the font cannot be read")
    face = harfbuzz.hb_face_create(blob, index)
    try:
        yield ffi, harfbuzz, face
    finally:
        harfbuzz.hb_face_destroy(face)
        harfbuzz.hb_blob_destroy(blob)


def _characters(ffi, harfbuzz, face) -> frozenset[int]:
    mapped = harfbuzz.hb_set_create()
    try:
        harfbuzz.hb_face_collect_unicodes(face, mapped)
        count = harfbuzz.hb_set_get_population(mapped)
        points = ffi.new("hb_codepoint_t[]", count)
        harfbuzz.hb_set_next_many(mapped, _NO_CODEPOINT, points, count)
        return frozenset(ffi.unpack(points, count))
    finally:
        harfbuzz.hb_set_destroy(mapped)


def _face_bytes(ffi, harfbuzz, face) -> bytes:
    blob = harfbuzz.hb_face_reference_blob(face)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return bytes(ffi.buffer(data, length[0]))
    finally:
        harfbuzz.hb_blob_destroy(blob)


@lru_cache(maxsize=1)
def _library():
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_DECLARATIONS)
    return ffi, _open(ffi, _HARFBUZZ), _open(ffi, _HARFBUZZ_SUBSET)


def _open(ffi, names: tuple[str, ...]):
    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    raise SubsetError(f"HarfBuzz is not installed (looked for {', '.join(names)})")
