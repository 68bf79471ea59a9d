"""The README's field reference is the schema's own description (kept in sync)."""

from __future__ import annotations

from conftest import REPOSITORY
from handouts.load.schema import describe_fields
from handouts.load.topic_yaml import TOPIC


def test_readme_field_reference_matches_the_schema():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    documented = readme.split("<!-- schema:start -->\n")[1].split("<!-- schema:end -->")[0]
    assert documented.strip() == "\n".join(describe_fields(TOPIC)).strip(), \
        "run: handouts schema, and paste it between the schema markers in README.md"


def test_readme_starts_with_the_two_set_up_commands():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up: two commands")[1].split("##")[0]
    assert "make build" in setup and "make test" in setup
    assert "make test" in (REPOSITORY / ".ci" / "run").read_text()
