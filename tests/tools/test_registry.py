"""ToolRegistry.invoke: validation, approval gate, dry run, timeout, truncation, rate limit, audit."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from tools.audit import AuditLog
from tools.base import Tool, ToolArgs, ToolResult
from tools.config import ToolSettings
from tools.errors import ToolsError
from tools.ratelimit import SessionRateLimit
from tools.deps import ToolDeps
from tools.registry import ToolRegistry, truncate


class EchoArgs(ToolArgs):
    text: str
    delay: float = 0.0


class Echo(Tool):
    """A scripted tool: returns its text after an optional delay."""

    name = "echo"
    description = "回显"
    Args = EchoArgs

    def run(self, args, call):
        time.sleep(args.delay)
        return {"text": args.text, "items": list(range(200)), "summary": args.text[:20]}


def echo_registry(tmp_path, **settings) -> ToolRegistry:
    registry = ToolRegistry(ToolSettings(**settings), AuditLog(tmp_path / "audit.sqlite"))
    registry.register(Echo(ToolDeps.for_settings(registry.settings)))
    return registry


def test_result_shape_and_specs(registry) -> None:
    specs = {s["name"]: s for s in registry.specs()}
    assert {"dns_lookup", "tcp_port_check", "http_check", "tls_check", "ping", "log_analysis", "error_code_lookup",
            "knowledge_search", "restart_service"} <= set(specs)
    assert specs["restart_service"]["risk"] == "changes_something"
    assert specs["tcp_port_check"]["risk"] == "read_only"
    assert "port" in specs["tcp_port_check"]["args"]["properties"]
    result = registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": 9}, session="s", user="u")
    dumped = result.to_json()
    assert set(dumped) >= {"status", "data", "error", "invocation", "elapsed"}
    assert ToolResult.model_validate(dumped) == result


def test_invalid_arguments_are_an_error_result(registry) -> None:
    result = registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": 70000}, session="s", user="u")
    assert result.status == "error" and "port" in result.error
    extra = registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": 22, "shell": "rm -rf /"}, session="s", user="u")
    assert extra.status == "error" and "shell" in extra.error
    injected = registry.invoke("tcp_port_check", {"host": "127.0.0.1; reboot", "port": 22}, session="s", user="u")
    assert injected.status == "error"


def test_unknown_tool_suggests_the_closest_name(registry) -> None:
    with pytest.raises(ToolsError, match="tcp_port_check"):
        registry.invoke("tcp_port_chek", {}, session="s", user="u")


def test_timeout_and_truncation(tmp_path) -> None:
    registry = echo_registry(tmp_path, timeout_s=0.2, max_output_chars=50)
    slow = registry.invoke("echo", {"text": "x", "delay": 1.0}, session="s", user="u")
    assert slow.status == "timeout" and "0.2" in slow.error
    long = registry.invoke("echo", {"text": "长" * 500}, session="s", user="u")
    assert long.status == "ok" and long.truncated
    assert len(long.data["text"]) < 100 and "已截断" in long.data["text"]
    assert len(long.data["items"]) == 50
    registry.close()


def test_per_tool_timeout_override(tmp_path) -> None:
    registry = echo_registry(tmp_path, timeout_s=5.0, tool_timeouts={"echo": 0.1})
    result = registry.invoke("echo", {"text": "x", "delay": 0.5}, session="s", user="u")
    assert result.status == "timeout" and "0.1" in result.error
    registry.close()


def test_truncate_leaves_small_values_alone() -> None:
    value = {"a": "short", "b": [1, 2], "c": {"d": None}}
    assert truncate(value, 100) == (value, False)


def test_rate_limit_per_session(tmp_path) -> None:
    registry = echo_registry(tmp_path, rate_limit_per_minute=3)
    statuses = [registry.invoke("echo", {"text": "a"}, session="busy", user="u").status for _ in range(4)]
    assert statuses == ["ok", "ok", "ok", "refused"]
    assert registry.invoke("echo", {"text": "a"}, session="other", user="u").status == "ok"
    registry.close()


def test_rate_limit_window_slides() -> None:
    now = [0.0]
    limit = SessionRateLimit(2, clock=lambda: now[0])
    assert limit.acquire("s") and limit.acquire("s") and not limit.acquire("s")
    now[0] = 61.0
    assert limit.acquire("s")


def test_every_call_is_audited_with_who_and_what(registry) -> None:
    registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": 9}, session="sess-1", user="alice")
    registry.invoke("tcp_port_check", {"host": "10.0.0.1", "port": 22}, session="sess-1", user="alice")
    records = registry.audit.records(session="sess-1")
    assert [r["status"] for r in records] == ["refused", "ok"]
    assert all(r["user"] == "alice" and r["event"] == "call" and r["tool"] == "tcp_port_check" for r in records)
    assert records[0]["args"] == {"host": "10.0.0.1", "port": 22}
    assert records[0]["summary"].startswith("refused")
    assert registry.audit.path.name == "audit.sqlite" and registry.audit.path.is_file()


def test_audit_is_safe_across_threads(tmp_path) -> None:
    audit = AuditLog(tmp_path / "audit.sqlite")
    threads = [threading.Thread(target=lambda i=i: audit.record("call", session="t", user="u", tool="x", args={"i": i},
                                                             status="ok", summary="ok")) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(audit.records(session="t")) == 20
    audit.close()


def test_restart_needs_approval_and_offers_a_dry_run(make_registry, tmp_path) -> None:
    marker = tmp_path / "restarted.txt"
    script = f"import sys, pathlib; pathlib.Path({str(marker)!r}).write_text(sys.argv[1])"
    registry = make_registry(restart_command=[sys.executable, "-c", script, "{service}"])
    refused = registry.invoke("restart_service", {"service": "nginx"}, session="s", user="u")
    assert refused.status == "refused" and "批准" in refused.error and not marker.exists()
    dry = registry.invoke("restart_service", {"service": "nginx"}, session="s", user="u", dry_run=True, approved=True)
    assert dry.status == "ok" and dry.data["dry_run"] is True and "nginx" in dry.data["would"]
    assert not marker.exists()
    done = registry.invoke("restart_service", {"service": "nginx"}, session="s", user="u", approved=True)
    assert done.status == "ok" and done.data["exit_code"] == 0 and marker.read_text() == "nginx"
    assert done.data["argv"][-1] == "nginx"


def test_restart_argument_never_reaches_a_shell(make_registry, tmp_path) -> None:
    registry = make_registry(restart_command=[sys.executable, "-c", "print('x')", "{service}"])
    result = registry.invoke("restart_service", {"service": "nginx; touch /tmp/pwned"}, session="s", user="u",
                             approved=True)
    assert result.status == "error" and "service" in result.error


def test_restart_allow_list_and_unconfigured(make_registry) -> None:
    registry = make_registry(restart_command=["true"], restart_services=["nginx"])
    assert registry.invoke("restart_service", {"service": "mysqld"}, session="s", user="u", approved=True).status == "refused"
    bare = make_registry()
    result = bare.invoke("restart_service", {"service": "nginx"}, session="s", user="u", approved=True)
    assert result.status == "error" and "restart_command" in result.error


def test_restart_through_webhook(make_registry, web) -> None:
    registry = make_registry(restart_webhook=web.url("/hook"))
    result = registry.invoke("restart_service", {"service": "api", "reason": "502"}, session="s9", user="bob",
                             approved=True)
    assert result.status == "ok" and result.data["status_code"] == 200
    assert web.posts[-1]["body"] == {"service": "api", "reason": "502", "user": "bob", "session": "s9"}


def test_approvals_are_audited(registry) -> None:
    registry.record_approval(session="s", user="carol", tool="restart_service", args={"service": "nginx"},
                             decision="reject", runbook="cpu-high")
    record = registry.audit.records(session="s")[0]
    assert record["event"] == "approval" and record["status"] == "reject" and record["approved"] is False
    assert record["runbook"] == "cpu-high" and record["user"] == "carol"
