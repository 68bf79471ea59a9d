"""Property tests: whatever an author types, the loader answers with path:line, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import BUNDLED
from handouts.errors import ContentErrors
from handouts.load.folder import load_document

MARKDOWN_PIECES = st.sampled_from([
    "## Heading\n", "## H {#x .patient}\n", "::: {.patient}\n", ":::\n", "::: notes\n",
    '::: {.safety #s audience="patient"}\n', "[@lin2025]", "[@nope]", "**bold**", "- item\n",
    "1. step\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "![alt](images/x.png)\n", "<b>x</b>",
    "{{ 7*7 }}", "```\ncode\n```\n", "\n", "text ", "# Title\n", "::: {.patient\n", "\t", "é",
])


def load_mutated(markdown: str | None = None, yaml: str | None = None):
    """Load a copy of the bundled topic with its Markdown or topic.yaml replaced."""
    with tempfile.TemporaryDirectory() as root:
        topic = Path(root) / "backwards-walking"
        shutil.copytree(BUNDLED, topic)
        if markdown is not None:
            (topic / "backwards-walking.md").write_text(markdown, "utf-8")
        if yaml is not None:
            (topic / "topic.yaml").write_text(yaml, "utf-8")
        try:
            load_document(topic)
        except ContentErrors as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.location.path and problem.message
                assert "backwards-walking" in problem.location.path
            return exc.problems
        return []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_PIECES, max_size=30).map("".join))
def test_any_markdown_builds_or_reports_locations(markdown):
    load_mutated(markdown=markdown)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_as_markdown_never_crashes(text):
    load_mutated(markdown=text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_as_topic_yaml_never_crashes(text):
    problems = load_mutated(yaml=text)
    assert problems  # no arbitrary text is a valid topic.yaml here


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=4000), st.text(max_size=20))
def test_text_inserted_into_the_real_topic_yaml_never_crashes(position, insert):
    original = (BUNDLED / "topic.yaml").read_text("utf-8")
    load_mutated(yaml=original[:position] + insert + original[position:])
