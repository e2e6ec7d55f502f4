"""A waiting runbook across a restart (the newcomer's "after reopening a conversation" transcript),
the decision in `ask` / `analyze` JSON, and `analyze --history` from the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_question_after_reopening_is_answered_and_the_runbook_still_waits(copilot, eval_settings) -> None:
    from app.wiring import build_copilot

    session = f"reopen-{uuid.uuid4().hex[:6]}"
    first = copilot.ask("MySQL 连接数满了，帮我排查", session).to_json()
    assert first["decision"] == "runbook_start" and first["runbook"]["waiting"]["slot"] == "error_text"
    copilot.ask("ERROR 1040 (HY000): Too many connections", session)
    reopened = build_copilot(eval_settings)  # a new process: the conversation comes from the checkpointer
    try:
        result = reopened.ask("慢查询日志保留多久？", session).to_json()
        assert result["decision"] == "new_question" and result["route"] == "knowledge"
        assert "格式不符合要求" not in result["answer"] and "7" in result["answer"]
        assert result["runbook"]["paused"] and result["runbook"]["waiting"]["slot"] == "app_service"
        assert reopened.waiting(session)["slot"] == "app_service"
        history = reopened.history(session)
        assert history[-1]["waiting"]["slot"] == "app_service"
        # the same history as analyze input: the decision a message would get
        assert reopened.analyze("order-service", history=history)["decision"] == "runbook_reply"
        assert reopened.analyze("算了不查了", history=history)["decision"] == "control"
        step = reopened.analyze("服务名在哪看？", history=history)
        assert step["decision"] == "step_question" and step["routes"] == ["knowledge"]
        done = reopened.ask("算了不查了", session).to_json()
        assert done["decision"] == "control" and done["runbook"]["status"] == "left"
        assert reopened.waiting(session) is None
    finally:
        reopened.context.knowledge.close()


def test_analyze_history_json_shows_the_decision(tmp_path, eval_settings, copilot) -> None:
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "SSH 连接超时怎么办？"},
                                   {"role": "assistant", "content": "检查安全组是否放通 22 端口。"}],
                                  ensure_ascii=False), encoding="utf-8")
    env = {"SMART_COPILOT__DATA_DIR": str(eval_settings.data_dir), "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash",
           "PATH": "/usr/bin:/bin"}

    def analyze(*args: str) -> dict:
        done = subprocess.run([sys.executable, "-m", "app", "analyze", *args, "--json"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    follow = analyze("那默认端口是多少？", "--history", str(history))
    assert follow["decision"] == "follow_up" and "SSH" in follow["standalone"][0]
    assert {"in_domain", "domain_score", "sub_questions", "standalone", "routes"} <= set(follow)
    assert analyze("对象存储访问报 403 怎么办？", "--history", str(history))["decision"] == "new_topic"
    clarify = analyze("那它的端口是多少？")
    assert clarify["decision"] == "clarify" and clarify["routes"] == ["clarify"]
