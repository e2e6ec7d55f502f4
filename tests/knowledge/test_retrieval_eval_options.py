"""benchmarks/retrieval_eval.py: settings overrides for one run and the per-tag table."""

import pytest

from benchmarks.retrieval_eval import overrides, tag_table


def test_set_reads_knowledge_settings_fields_as_json_values():
    assert overrides(["coordination=1", "page_weight=0.3", "term_weighting=false", "fusion=scores"]) == {
        "coordination": 1, "page_weight": 0.3, "term_weighting": False, "fusion": "scores"}


@pytest.mark.parametrize("pair", ["coordination", "no_such_field=1"])
def test_set_refuses_what_is_not_a_settings_field(pair):
    with pytest.raises(SystemExit, match="NAME=VALUE"):
        overrides([pair])


def test_tag_table_counts_each_tag_over_its_questions():
    items = [{"id": "a", "tags": ["spoken", "typo"]}, {"id": "b", "tags": ["spoken"]}, {"id": "c", "tags": ["typo"]}]
    table = tag_table(items, {"a": 1, "b": None, "c": 4}).splitlines()
    assert table[2] == "| spoken | 2 | 0.500 | 0.500 | 0.500 |"
    assert table[3] == "| typo | 2 | 0.500 | 1.000 | 0.625 |"
