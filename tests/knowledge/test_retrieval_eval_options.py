"""benchmarks/retrieval_eval.py: settings overrides for one run, the per-tag table and the answering-section figures."""

import pytest

from benchmarks.retrieval_eval import fact_rank, fact_table, overrides, tag_table


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


def test_fact_rank_is_the_first_gold_chunk_holding_a_key_fact():
    item = {"gold": ["a.md"], "key_facts": [["hairpin-mode", "hairpin 模式"]]}
    chunks = [("a.md", "kube-proxy 的 iptables 模式"), ("b.md", "--hairpin-mode"), ("a.md", "检查 kubelet 的 --hairpin-mode 标志")]
    assert fact_rank(chunks, item) == 3  # b.md holds the fact but is not a gold page
    assert fact_rank(chunks[:2], item) is None and fact_rank(chunks, {"gold": ["a.md"], "key_facts": []}) is None


def test_fact_table_counts_the_top_3_and_the_top_10():
    table = fact_table([("s", [1, 4, None, 3])]).splitlines()
    assert table[2] == "| s | 4 | 0.500 | 0.750 |"


def test_the_pool_holds_each_dev_question_once_and_no_frozen_one(tmp_path):
    from benchmarks.retrieval_eval import pool_set

    a, b = tmp_path / "dev_a.jsonl", tmp_path / "dev_b.jsonl"
    a.write_text('{"id": "c002", "question": "q1", "gold": ["x.md"]}\n{"id": "c004", "question": "frozen", "gold": ["y.md"]}\n'
                 '{"id": "c006", "turns": [{"message": "m"}]}\n', encoding="utf-8")
    b.write_text('{"id": "c002", "question": "q2", "gold": ["z.md"]}\n{"id": "c008", "question": "q1", "gold": ["x.md"]}\n',
                 encoding="utf-8")
    pool = pool_set([{"id": "k8s-001", "question": "frozen"}], [a, b])
    assert [(i["id"], i["question"]) for i in pool] == [("dev_a/c002", "q1"), ("dev_b/c002", "q2")]
