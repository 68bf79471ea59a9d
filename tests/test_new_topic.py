"""`handouts new`: a topic folder that builds at once, documented from the schema."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import yaml

from handouts.cli import cli
from handouts.load.folder import load_document
from handouts.load.schema import ListOf, MapOf, OneOf, Record
from handouts.load.topic_yaml import TOPIC
from handouts.model.inline import citation_keys, plain_text
from handouts.new_topic import _describe


@pytest.fixture
def made(runner, tmp_path, monkeypatch):
    """`handouts new my-topic` run in an empty folder."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new", "my-topic"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "content/my-topic" in result.output
    return tmp_path / "content" / "my-topic"


def schema_fields(record: Record, prefix: str = ""):
    """(dotted name, Field) of every field the schema declares, nested ones included."""
    for key, spec in record.fields.items():
        yield prefix + key, spec
        inner = spec.check
        if isinstance(inner, MapOf):
            inner = inner.value
        if isinstance(inner, ListOf):
            inner = inner.item
        if isinstance(inner, OneOf):
            inner = inner.record
        if isinstance(inner, Record):
            yield from schema_fields(inner, prefix + key + ".")


def comments(text: str) -> str:
    """The comment text of a YAML file, as one line of words."""
    found = [line.split("#", 1)[1] for line in text.splitlines() if line.lstrip().startswith("#")]
    return " ".join(" ".join(found).split())


def test_the_new_topic_builds_at_once(runner, made):
    result = runner.invoke(cli, ["build", "content/my-topic", "--audience", "patient", "--lang",
                                 "en", "--paper", "letter"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (made.parent.parent / "output" / "my-topic" / "en" / "my-topic-patient.pdf").is_file()
    assert "warning" not in result.output


def test_every_output_of_the_new_topic_builds_and_passes_its_checks(runner, made):
    result = runner.invoke(cli, ["build", "content/my-topic"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert result.output.count(".pdf") == 6 and result.output.count(".pptx") == 1
    checked = runner.invoke(cli, ["check", "content/my-topic"], catch_exceptions=False)
    assert checked.exit_code == 0, checked.output
    assert "9 output(s) checked, 0 failed." in checked.output


def test_every_field_of_the_schema_is_described_in_topic_yaml(made):
    text = (made / "topic.yaml").read_text("utf-8")
    described = comments(text)
    for name, spec in schema_fields(TOPIC):
        key = name.rsplit(".", 1)[-1]
        assert re.search(rf"(?m)^\s*(# )?\s*(- )?{re.escape(key)}:", text), name
        doc = " ".join(spec.doc.split())
        assert doc[1:] in described, name  # the schema's own words (first letter capitalised)
    top = {key for key, spec in TOPIC.fields.items()}
    assert all(_describe(TOPIC.fields[key]).split(".")[0] in described for key in top)


def test_topic_yaml_loads_and_names_the_tiers_it_requires(made):
    document = load_document(made).document
    patient = document.topic.audiences["patient"]
    assert patient.required_tiers == {"patient-stop": "stop", "patient-call": "call"}
    assert set(document.topic.audiences) == {"patient", "clinician", "trainer"}
    data = yaml.safe_load((made / "topic.yaml").read_text("utf-8"))
    assert data["id"] == "my-topic" and "care_setting" not in data  # commented out


def test_the_markdown_has_a_section_and_a_required_statement_per_audience(made):
    document = load_document(made).document
    for audience, settings in document.topic.audiences.items():
        assert any(audience in s.audiences for s in document.sections), audience
        for safety_id in settings.required_safety:
            statement = next(s for s in document.safety_statements() if s.id == safety_id)
            assert audience in statement.audiences
    tiers = {s.id: s.tier for s in document.safety_statements()}
    assert tiers["patient-stop"] == "stop" and tiers["patient-call"] == "call"
    assert any(s.notes for s in document.sections if "trainer" in s.audiences)


def test_references_hold_one_of_each_kind_and_every_one_is_cited(made):
    entries = json.loads((made / "references.json").read_text("utf-8"))
    kinds = {entry["type"]: entry for entry in entries}
    assert set(kinds) == {"article-journal", "book", "webpage"}
    assert kinds["article-journal"]["DOI"]
    assert {"publisher", "publisher-place", "issued"} <= set(kinds["book"])
    assert {"URL", "accessed", "container-title"} <= set(kinds["webpage"])
    document = load_document(made).document
    cited = {key for unit in document.units() for key in citation_keys(unit.text)}
    cited |= {study.reference for study in document.topic.evidence.studies}
    assert cited == {entry["id"] for entry in entries}


def test_the_wording_is_placeholders_not_advice(made):
    document = load_document(made).document
    titles = {s.title.id for s in document.sections} | {
        u.id for a in document.topic.audiences.values() for u in (a.title, a.subtitle) if u}
    labels = {f.label.id for f in document.topic.plan.fields}
    for unit in document.units():
        if unit.id not in titles | labels:
            assert "Replace this" in plain_text(unit.text), unit.id


def test_an_existing_folder_is_refused_and_left_alone(runner, made):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in made.iterdir()}
    (made / "my-topic.md").write_text("## Mine {#mine}\n\nMy own text.\n", "utf-8")
    mine = hashlib.sha256((made / "my-topic.md").read_bytes()).hexdigest()
    result = runner.invoke(cli, ["new", "my-topic"])
    assert result.exit_code == 1
    assert ("content/my-topic: a file or folder of that name exists already; handouts new "
            "never writes over it (choose another id, or move the folder away first)"
            in result.output)
    assert "Traceback" not in result.output
    assert hashlib.sha256((made / "my-topic.md").read_bytes()).hexdigest() == mine
    assert {p.name for p in made.iterdir()} == set(before)
    assert [p.name for p in made.parent.iterdir()] == ["my-topic"]  # no staging left behind


@pytest.mark.parametrize("bad", ["My-Topic", "my topic", "../escape", "-leading", "trailing-",
                                 "double--hyphen", "é-topic", "a" * 61, ""])
def test_a_bad_id_is_a_usage_error(runner, tmp_path, monkeypatch, bad):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["new", "--", bad])  # "--": "-leading" is not an option
    assert result.exit_code == 2, result.output
    assert "Invalid value for 'TOPIC_ID'" in result.output
    assert not (tmp_path / "content").exists() or not any((tmp_path / "content").iterdir())


def test_a_title_with_punctuation_survives_and_content_sets_the_parent(runner, tmp_path):
    title = 'Falls: "why" & how # 1'
    result = runner.invoke(cli, ["new", "falls", "--title", title, "--content",
                                 str(tmp_path / "topics")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = load_document(tmp_path / "topics" / "falls").document
    assert document.topic.audiences["patient"].title.text == title
    assert document.topic.audiences["clinician"].title.text == f"{title}: Evidence Brief"


@pytest.mark.parametrize("title", ["two\nlines", "   ", "x" * 151])
def test_a_bad_title_is_a_usage_error(runner, tmp_path, title):
    result = runner.invoke(cli, ["new", "falls", "--title", title, "--content", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "falls").exists()


def test_the_default_title_comes_from_the_id(runner, tmp_path):
    runner.invoke(cli, ["new", "fall-risk", "--content", str(tmp_path)], catch_exceptions=False)
    document = load_document(tmp_path / "fall-risk").document
    assert document.topic.audiences["patient"].title.text == "Fall risk"


def test_new_has_help_with_an_example(runner):
    result = runner.invoke(cli, ["new", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "handouts new " in result.output
