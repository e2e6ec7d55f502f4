"""Metrics: the formulas on hand-made rankings and labels, then every evaluator on slices of the
demo labelled sets against the real wired copilot (values in range, misses listed)."""

from __future__ import annotations

import json

import pytest

from app.evaluation.datasets import load_datasets
from app.evaluation.errors import EvalError
from app.evaluation.metrics.guard import class_scores
from app.evaluation.metrics.retrieval import ranked_sources, recall_at, reciprocal_rank, score_ranking
from app.evaluation.metrics.split import sub_question_similarity
from app.evaluation.metrics.text import similarity
from app.evaluation.suite import run_metrics
from tests.eval.conftest import DEMO_EVAL


def test_recall_and_mrr():
    ranked = ["docs/a.md", "faq/faq.jsonl", "docs/b.md"]
    assert recall_at(ranked, ["faq/faq.jsonl"], 1) == 0.0
    assert recall_at(ranked, ["faq/faq.jsonl"], 2) == 1.0
    assert recall_at(ranked, ["docs/b.md", "docs/zzz.md"], 3) == 0.5
    assert reciprocal_rank(ranked, ["docs/b.md"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(ranked, ["docs/x.md"]) == 0.0
    assert score_ranking(ranked, ["docs/*.md"], (1,)) == {"recall@1": 1.0, "mrr": 1.0}
    assert ranked_sources([{"source": "a"}, {"source": "a"}, {"source": "b"}]) == ["a", "b"]


def test_class_scores_and_similarity():
    pairs = [("refuse", "refuse"), ("refuse", "answer"), ("answer", "refuse"), ("answer", "answer")]
    assert class_scores(pairs, "refuse") == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert class_scores([("answer", "answer")], "refuse")["f1"] == 1.0
    assert similarity("SSH 连不上怎么办？", "ssh连不上怎么办") == 1.0
    assert similarity("云盘能缩容吗", "CDN 多久生效") < 0.3
    assert sub_question_similarity(["a b", "c"], ["ab", "c", "zzz"]) == pytest.approx(2 / 3)


def test_dataset_errors(tmp_path):
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text('{"question": "x", "gold": ["a"]}\n\n{"message": "y", "expected": "refuse"}\n'
                     '{"question": "z", "gold": ["b"]}\n', encoding="utf-8")
    datasets = load_datasets(mixed)
    assert [(d.name, d.kind, len(d.items)) for d in datasets] == [("mixed-retrieval", "retrieval", 2),
                                                                   ("mixed-guard", "guard", 1)]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "x", "gold": ["a"]}\n{"question": "x"}\n', encoding="utf-8")
    with pytest.raises(EvalError, match="第 2 行缺少字段"):
        load_datasets(bad)
    bad.write_text("not json\n", encoding="utf-8")
    with pytest.raises(EvalError, match="不是合法的 JSON"):
        load_datasets(bad)
    bad.write_text("\n", encoding="utf-8")
    with pytest.raises(EvalError, match="是空的"):
        load_datasets(bad)


def slice_of(tmp_path, name: str, n: int) -> str:
    source = DEMO_EVAL / f"{name}.jsonl"
    if not source.is_file():
        pytest.skip(f"demo eval set missing: {source}")
    lines = source.read_text(encoding="utf-8").splitlines()
    step = max(1, len(lines) // n)
    path = tmp_path / f"{name}.jsonl"
    path.write_text("\n".join(lines[::step][:n]) + "\n", encoding="utf-8")
    return str(path)


def test_every_evaluator_on_demo_slices(tmp_path, copilot):
    paths = [slice_of(tmp_path, name, 8) for name in ("retrieval", "guard", "split", "rewrite")]
    unlabelled = tmp_path / "feedback.jsonl"
    unlabelled.write_text(json.dumps({"question": "CDN 刷新多久生效", "gold": [], "needs_labels": True},
                                     ensure_ascii=False) + "\n", encoding="utf-8")
    results = run_metrics(copilot, paths + [str(unlabelled)], k=5)
    data = results["datasets"]
    assert set(data) == {"retrieval", "guard", "split", "rewrite", "feedback"}
    for name, result in data.items():
        for metric, value in result["metrics"].items():
            assert 0.0 <= value <= 1.0, (name, metric, value)
    assert {"recall@1", "recall@3", "recall@5", "mrr", "answer_key_facts", "answer_citation_precision",
            "answer_groundedness", "answer_knowledge_rate"} <= set(data["retrieval"]["metrics"])
    assert data["retrieval"]["metrics"]["recall@5"] >= data["retrieval"]["metrics"]["recall@1"]
    assert data["retrieval"]["metrics"]["recall@5"] > 0.5  # the demo KB answers its own questions
    assert {"guard_accuracy", "answer_f1"} <= set(data["guard"]["metrics"])
    assert {"split_exact_count", "split_similarity"} <= set(data["split"]["metrics"])
    assert {"rewrite_key_terms", "rewrite_similarity"} <= set(data["rewrite"]["metrics"])
    assert data["feedback"]["n"] == 0 and data["feedback"]["unlabelled"] == 1
    assert results["meta"]["k"] == 5 and results["meta"]["embedder"]


def test_answer_metrics_without_key_facts_are_left_out(copilot):
    from app.evaluation.metrics import answer

    result = answer.evaluate([{"question": "云服务器 SSH 默认端口是多少？", "gold": ["faq/faq.jsonl"]}], copilot, None)
    assert "answer_key_facts" not in result["metrics"]
    assert result["metrics"]["answer_citation_hit"] == 1.0 and result["metrics"]["answer_knowledge_rate"] == 1.0
