"""A runbook through the whole conversation graph (Copilot.ask / resume, interrupt and the
SQLite checkpointer): tool calls, a refused approval, and resuming after a restart."""

from __future__ import annotations

import sys

import pytest

from tests.tools.servers import closed_port

pytestmark = pytest.mark.slow


@pytest.fixture
def settings(tmp_path, web):
    from app.settings import load_settings

    env = {"SMART_COPILOT__DATA_DIR": str(tmp_path / "data"), "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash",
           "SMART_COPILOT__KNOWLEDGE__DENSE": "'off'", "SMART_COPILOT__TOOLS__ALLOW_TARGETS": "[127.0.0.1]",
           "SMART_COPILOT__TOOLS__RESTART_COMMAND": f"[{sys.executable}, -c, 'raise SystemExit(0)', '{{service}}']"}
    return load_settings(env=env)


def _audit(settings):
    from tools.audit import AuditLog

    return list(reversed(AuditLog(settings.data_dir / "audit.sqlite").records(session="g-web")))


def test_runbook_pauses_resumes_and_survives_a_restart(settings, web) -> None:
    from app.wiring import build_copilot

    copilot = build_copilot(settings)
    first = copilot.ask(f"网站 {web.url('/')} 返回 502，帮我排查一下", "g-web", user="agent-g").to_json()
    assert first["runbook"]["id"] == "website-502-504"
    assert first["runbook"]["waiting"]["slot"] == "backend_host"
    assert "502" in first["answer"]
    assert [r["tool"] for r in _audit(settings)] == ["http_check"]

    restarted = build_copilot(settings)  # a new process: state comes from the checkpointer
    step = restarted.resume("g-web", "127.0.0.1", user="agent-g").to_json()
    assert step["runbook"]["waiting"]["slot"] == "backend_port"
    step = restarted.resume("g-web", str(closed_port()), user="agent-g").to_json()
    step = restarted.resume("g-web", "nginx", user="agent-g").to_json()
    assert step["runbook"]["waiting"]["kind"] == "approve"
    step = restarted.resume("g-web", "reject", user="agent-g").to_json()
    step = restarted.resume("g-web", "否", user="agent-g").to_json()
    assert step["runbook"]["waiting"] is None
    assert "排障交接摘要" in step["answer"] and "HTTP 502" in step["answer"]
    records = _audit(settings)
    assert [r["tool"] for r in records if r["event"] == "call" and r["approved"]] == []
    assert [(r["status"], r["user"]) for r in records if r["event"] == "approval"] == [("reject", "agent-g")]


def test_demo_runbooks_start_only_on_the_demo_base(settings, tmp_path) -> None:
    """The same symptom starts the demo cloud's flow on the demo base, and is answered from
    the documents of another product's base (no demo runbook, no demo console)."""
    from app.wiring import build_copilot

    docs = tmp_path / "k8s"
    (docs / "debug").mkdir(parents=True)
    (docs / "debug" / "ssh-node.md").write_text(
        "# 节点服务器 SSH 连不上\n\nssh 登录节点服务器报 Connection timed out 时，先用 kubectl debug node 进入节点，"
        "检查 sshd 是否运行、节点防火墙是否放行 22 端口。\n", encoding="utf-8")
    copilot = build_copilot(settings)  # ingests the demo base on first start
    copilot.context.knowledge.ingest([docs], kb="k8s")
    symptom = "帮我排查一下：ssh 连不上服务器了 Connection timed out"  # asked for, so a runbook may start
    assert copilot.ask(symptom, "g-demo", kb="demo").to_json()["runbook"]["id"] == "ssh-rdp-cannot-connect"
    other = copilot.ask(symptom, "g-k8s", kb="k8s").to_json()
    assert other["runbook"] is None and other["route"] == "knowledge"
    assert [c["source"] for c in other["citations"]] == ["debug/ssh-node.md"] and "星栈云" not in other["answer"]
