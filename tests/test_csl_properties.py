"""Property tests: whatever references.json holds (random bytes, random JSON, CSL entries
with fields of random types) loading gives a Document or ContentErrors, never a traceback;
and a bibliography that loads is one the reference formatter can format."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import BUNDLED
from handouts.errors import ContentErrors
from handouts.load.folder import load_document

BIB = "references.json"
ORIGINAL = json.loads((BUNDLED / BIB).read_text("utf-8"))
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def load_with(data: bytes):
    """Load a copy of the bundled topic whose references.json holds `data`."""
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "backwards-walking"
        shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns("locales", "source"))
        (folder / BIB).write_bytes(data)
        try:
            loaded = load_document(folder)
        except ContentErrors as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.location.path and problem.message
            return None
        # What loads must format: citeproc sees only what the loader let through.
        from handouts.render.references import format_references
        references = list(loaded.document.references.values())
        formatted = format_references(references)
        assert [f.key for f in formatted] == [r.key for r in references]
        return loaded.document


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)

# Field names citeproc reads, and a few it does not.
FIELDS = st.sampled_from(["author", "editor", "translator", "title", "container-title",
                          "container-title-short", "volume", "issue", "page", "issued",
                          "accessed", "DOI", "type", "status", "language", "URL", "note",
                          "edition", "publisher", "id", "custom", "journalAbbreviation"])
NAME = st.dictionaries(st.sampled_from(["family", "given", "literal", "suffix",
                                        "non-dropping-particle", "parse-names"]),
                       JSON | st.text(max_size=10), max_size=3)
DATE_PART = st.integers(-5, 10000) | st.text(max_size=5) | JSON
DATE = st.dictionaries(st.sampled_from(["date-parts", "literal", "circa", "season", "raw"]),
                       st.lists(st.lists(DATE_PART, max_size=4), max_size=3) | JSON,
                       max_size=3)
VALUE = JSON | st.lists(NAME, max_size=3) | DATE | st.integers(-10 ** 20, 10 ** 20)


@SETTINGS
@given(st.binary(max_size=600))
def test_random_bytes_as_references_never_crash(data):
    load_with(data)


@SETTINGS
@given(JSON)
def test_random_json_as_references_never_crashes(data):
    load_with(json.dumps(data).encode())


@SETTINGS
@given(st.lists(JSON, max_size=4))
def test_a_list_of_random_entries_never_crashes(entries):
    load_with(json.dumps(entries).encode())


@SETTINGS
@given(st.integers(0, len(ORIGINAL) - 1), st.dictionaries(FIELDS, VALUE, min_size=1, max_size=4))
def test_csl_fields_of_any_type_never_crash_the_loader_or_the_formatter(index, fields):
    entries = json.loads(json.dumps(ORIGINAL))
    entries[index].update(fields)
    load_with(json.dumps(entries).encode())


@SETTINGS
@given(st.integers(0, 3700), st.text(max_size=12))
def test_text_inserted_into_the_real_references_never_crashes(position, insert):
    original = (BUNDLED / BIB).read_text("utf-8")
    load_with((original[:position] + insert + original[position:]).encode("utf-8"))
