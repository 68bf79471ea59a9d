"""The bundled topic says what its source article says: numbers and DOIs traceable."""

from __future__ import annotations

import json
import re

from conftest import ARTICLE, BUNDLED

ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")


def test_every_doi_is_exactly_as_the_article_lists_it():
    references = json.loads((BUNDLED / "references.json").read_text(encoding="utf-8"))
    assert len(references) == 6
    for reference in references:
        assert f"https://doi.org/{reference['DOI']}" in ARTICLE_TEXT, reference["id"]


def test_every_number_in_the_content_appears_in_the_article():
    markdown = (BUNDLED / "backwards-walking.md").read_text(encoding="utf-8")
    prose = re.sub(r"\[@[^\]]+\]|\{[^}]*\}", "", markdown)
    article_numbers = set(re.findall(r"\d+", ARTICLE_TEXT))
    for number in re.findall(r"\d+", prose):
        assert number in article_numbers, number


def test_the_reference_list_discrepancy_is_stated_not_hidden():
    markdown = (BUNDLED / "backwards-walking.md").read_text(encoding="utf-8")
    assert "Source discrepancy" in markdown
    assert "The 2019 knee osteoarthritis meta-analysis is not in the" in markdown
