"""Feedback export (thumbs down with a reason -> JSONL evaluation items, via the real
FeedbackStore) and the golden-set check the knowledge tab runs before publishing."""

from __future__ import annotations

import json

from app.evaluation.feedback_export import export_feedback
from app.evaluation.golden import baseline_path, run_golden, save_golden
from app.feedback import FeedbackStore

TURN = {"answer": "MySQL 默认端口 3306。[1]", "route": "knowledge", "standalone": ["云数据库 MySQL 的端口是多少"],
        "citations": [{"n": 1, "source": "faq/faq.jsonl"}], "trace": {"guard": {"kind": "answer"}}}


def test_export_thumbs_down_with_reason(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record("alice", "s1", 1, -1, "端口说错了，应该引用 MySQL 概述", question="那它的端口是多少？", result=TURN)
    store.record("alice", "s1", 2, 1, "很好", question="SSH 默认端口", result=TURN)
    store.record("bob", "s2", 1, -1, "", question="CDN 多久生效", result=TURN)
    store.close()
    out = tmp_path / "items.jsonl"
    items = export_feedback(tmp_path, out)
    assert len(items) == 1
    item = items[0]
    assert item["question"] == "那它的端口是多少？" and item["standalone"] == ["云数据库 MySQL 的端口是多少"]
    assert item["gold"] == [] and item["needs_labels"] and item["reason"].startswith("端口说错了")
    assert item["cited"] == ["faq/faq.jsonl"] and item["feedback"]["user"] == "alice"
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == items
    assert len(export_feedback(tmp_path, with_reason_only=False)) == 2
    assert export_feedback(tmp_path / "empty") == []


def test_golden_set_baseline_then_regression(tmp_path, copilot):
    data_dir = tmp_path / "data"
    missing = run_golden(copilot, "demo", data_dir=data_dir)
    assert missing["available"] is False and missing["passed"] is True and "还没有保存黄金评测集" in missing["message"]
    save_golden(data_dir, "demo", [
        {"question": "云服务器 SSH 默认端口是多少？", "gold": ["faq/faq.jsonl", "docs/scs/ssh-login-failed.md"]},
        {"question": "安全组规则修改后多久生效？", "gold": ["faq/faq.jsonl", "docs/vpc/security-group-rules.md"]},
        {"question": "CNAME 和 MX 记录冲突怎么办", "gold": ["docs/dns/cname-conflict.md"]},
    ])
    first = run_golden(copilot, "demo", data_dir=data_dir)
    assert first["available"] and first["passed"] and first["baseline_saved"] and first["items"] == 3
    assert first["metrics"]["recall@5"] > 0.5
    again = run_golden(copilot, "demo", data_dir=data_dir)
    assert again["passed"] and not again["baseline_saved"] and again["regressions"] == []
    baseline = json.loads(baseline_path(data_dir, "demo").read_text(encoding="utf-8"))
    baseline["datasets"]["demo"]["metrics"]["mrr"] = 1.5  # a baseline the current KB cannot reach
    baseline_path(data_dir, "demo").write_text(json.dumps(baseline), encoding="utf-8")
    worse = run_golden(copilot, "demo", data_dir=data_dir)
    assert not worse["passed"] and [r["key"] for r in worse["regressions"]] == ["demo/mrr"]
    assert "下降" in worse["message"]
