"""Report and baseline comparison: Markdown + PNG charts + JSON; regressions beyond the
tolerance are listed and highlighted, improvements and new metrics are not regressions."""

from __future__ import annotations

import json

import pytest

from app.evaluation.baseline import compare, flatten, load_baseline
from app.evaluation.errors import EvalError
from app.evaluation.report import write_report


def results(recall: float, guard: float, extra: dict | None = None) -> dict:
    return {"meta": {"kb": "demo", "k": 10},
            "datasets": {"retrieval": {"kind": "retrieval", "n": 10,
                                       "metrics": {"recall@1": recall - 0.2, "recall@5": recall, "mrr": recall - 0.1,
                                                   **(extra or {})},
                                       "by_category": {"scs": {"n": 4, "recall@5": 1.0}},
                                       "misses": [{"question": "磁盘满了", "gold": ["docs/disk/disk-full.md"]}]},
                         "guard": {"kind": "guard", "n": 5, "metrics": {"guard_accuracy": guard},
                                   "by_category": {}, "misses": []}}}


def test_compare_flags_only_drops_beyond_tolerance():
    base, now = results(0.9, 0.80), results(0.85, 0.81, {"answer_key_facts": 0.5})
    comparison = compare(now, base, tolerance=0.02)
    status = {r["key"]: r["status"] for r in comparison["rows"]}
    assert comparison["regressions"] == ["retrieval/mrr", "retrieval/recall@1", "retrieval/recall@5"]
    assert status["guard/guard_accuracy"] == "same"
    assert status["retrieval/answer_key_facts"] == "added"
    assert compare(now, base, tolerance=0.1)["regressions"] == []
    assert flatten(base)["retrieval/recall@5"] == 0.9


def test_report_files(tmp_path):
    base, now = results(0.9, 0.8), results(0.7, 0.9)
    comparison = compare(now, base)
    files = write_report(now, tmp_path / "out", comparison, base)
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "⚠️ 退化" in md and "**retrieval/recall@5**" in md and "✅ 提升" in md
    assert "![metrics](metrics.png)" in md and "![recall](recall.png)" in md
    assert "retrieval：按类别" in md and "磁盘满了" in md
    for name in ("metrics", "recall"):
        assert (tmp_path / "out" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert saved["comparison"]["regressions"] == comparison["regressions"]
    assert load_baseline(files["results"])["datasets"]["guard"]["metrics"]["guard_accuracy"] == 0.9


def test_bad_baseline_is_a_user_error(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"x": 1}', encoding="utf-8")
    with pytest.raises(EvalError, match="缺少 datasets"):
        load_baseline(path)
    with pytest.raises(EvalError, match="无法读取"):
        load_baseline(tmp_path / "missing.json")
