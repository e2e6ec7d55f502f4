"""`smart-copilot eval` end to end: exit codes, the closing line, JSON output, metrics report with
baseline regressions, feedback export, and clear errors for bad input (exit 2)."""

from __future__ import annotations

import json

import pytest

from app.cli import main


@pytest.fixture
def demo_env(monkeypatch, eval_settings, copilot):
    """The CLI builds its own copilot over the session's already-ingested demo data dir."""
    monkeypatch.setenv("SMART_COPILOT__DATA_DIR", str(eval_settings.data_dir))
    monkeypatch.setenv("SMART_COPILOT__MODELS__EMBEDDER__BACKEND", "hash")


SCENARIOS = """
scenarios:
  - name: cli-pass
    turns:
      - user: 云服务器 SSH 默认端口是多少？
        expect: {route: knowledge, answer_contains: ["22"]}
  - name: cli-fail
    turns:
      - user: 今天天气怎么样
        expect: {refused: false}
"""


def test_scenarios_exit_code_and_closing_line(tmp_path, demo_env, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIOS, encoding="utf-8")
    assert main(["eval", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL refused: expected False; actual True" in out
    assert out.strip().splitlines()[-1] == "2 passed, 1 failed"
    assert main(["eval", str(path), "--name", "cli-pass", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["passed"] == 2 and data["results"][0]["name"] == "cli-pass"


def test_bad_scenario_file_is_a_user_error(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nturns:\n  - user: hi\n    expect: {routed: greet}\n", encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "turns[0].expect.routed" in err
    assert main(["eval"]) == 2


def test_metrics_report_and_regression_exit(tmp_path, demo_env, capsys):
    data = tmp_path / "retrieval.jsonl"
    data.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in [
        {"question": "云服务器 SSH 默认端口是多少？", "gold": ["faq/faq.jsonl"], "key_facts": ["22"]},
        {"question": "CNAME 和 MX 记录冲突怎么办", "gold": ["docs/dns/cname-conflict.md"], "key_facts": ["CNAME"]},
    ]), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert main(["eval", "--metrics", str(data), "--report", str(tmp_path / "r1"), "--save-baseline", str(baseline)]) == 0
    out = capsys.readouterr().out
    assert "recall@5" in out and (tmp_path / "r1" / "report.md").is_file() and (tmp_path / "r1" / "metrics.png").is_file()
    saved = json.loads(baseline.read_text(encoding="utf-8"))
    saved["datasets"]["retrieval"]["metrics"]["recall@1"] = 2.0
    baseline.write_text(json.dumps(saved), encoding="utf-8")
    args = ["eval", "--metrics", str(data), "--no-answers", "--baseline", str(baseline), "--json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["comparison"]["regressions"] == ["retrieval/recall@1"]
    assert main(args + ["--fail-on-regression"]) == 1


def test_export_feedback_command(tmp_path, monkeypatch, capsys):
    from app.feedback import FeedbackStore

    monkeypatch.setenv("SMART_COPILOT__DATA_DIR", str(tmp_path))
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    store.record("local", "s", 1, -1, "没有回答到点子上", question="磁盘满了怎么办", result={"answer": "…"})
    store.close()
    out = tmp_path / "items.jsonl"
    assert main(["eval", "export-feedback", "--out", str(out)]) == 0
    assert "已导出 1 条" in capsys.readouterr().out
    assert json.loads(out.read_text(encoding="utf-8"))["question"] == "磁盘满了怎么办"


def test_golden_command(tmp_path, demo_env, capsys):
    golden = tmp_path / "golden.jsonl"
    golden.write_text(json.dumps({"question": "云服务器 SSH 默认端口是多少？", "gold": ["faq/faq.jsonl"]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["eval", "golden", "--kb", "demo", "--set", str(golden), "--accept", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["available"] and summary["baseline_saved"] and summary["items"] == 1
    assert main(["eval", "golden", "--kb", "demo"]) == 0
    assert "无指标下降" in capsys.readouterr().out
