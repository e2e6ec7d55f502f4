"""The web app with a model that calls tools (scripted), through gradio_client: `/chat` carries the
model's tool calls and the approval card's request, `/resume` approves, the audit names who did."""

from __future__ import annotations

import json

import pytest

from tests.app.test_ui_api import chat
from tests.app.ui_server import client, launch_small_app

CALL = {"name": "restart_service", "arguments": {"service": "sshd", "reason": "端口不通"}}
SCRIPT = [
    '先检查 SSH 端口。<tool_call>{"name": "tcp_port_check", "arguments": {"host": "127.0.0.1", "port": 1}}</tool_call>',
    f"<tool_call>{json.dumps(CALL, ensure_ascii=False)}</tool_call>",
    "结论：端口不通 [T1]，已在批准后重启 sshd [T2]。",
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = launch_small_app(tmp_path_factory.mktemp("ui-agent"),
                               tools={"allow_targets": ["127.0.0.1"], "restart_command": ["true", "{service}"]},
                               models={"llm": {"backend": "scripted", "scripted_tool_outputs": SCRIPT}})
    yield running
    running.close()


def test_chat_carries_the_calls_and_resume_approves(app):
    alice = client(app.url, "alice")
    events, final = chat(alice, "帮我排查一下 SSH 连不上云服务器 127.0.0.1", "agent-1")
    assert any(e.get("tool") == "tcp_port_check" for e in events if e["type"] == "progress")
    result = final["result"]
    assert result["route"] == "investigate"
    assert [(c["tool"], c["status"]) for c in result["tool_calls"]] == [("tcp_port_check", "ok")]
    waiting = result["investigation"]["waiting"]
    assert waiting["kind"] == "approve" and waiting["tool"] == "restart_service" and waiting["options"] == ["approve", "reject"]
    assert alice.predict("agent-1", api_name="/history")["waiting"]["tool"] == "restart_service"
    done = alice.predict("agent-1", "approve", api_name="/resume")["result"]
    assert [(c["tool"], c["approved"]) for c in done["tool_calls"]] == [("restart_service", True)]
    assert "[T2]" in done["answer"] and done["investigation"]["status"] == "done"
    audit = app.copilot.context.tools.audit.records(session="agent-1")
    approval = next(r for r in audit if r["event"] == "approval")
    assert approval["user"] == "alice" and approval["status"] == "approve" and approval["tool"] == "restart_service"
