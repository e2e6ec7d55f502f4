"""Shipped runbooks driven end to end: scripted replies, real tools against servers on 127.0.0.1,
the real demo knowledge base for citations; approvals, escalation summaries, resume after restart."""

from __future__ import annotations

import sys

import pytest

from tests.tools.flows import drive, kinds, tool_calls
from tests.tools.servers import closed_port
from tools.runbooks import RunbookEngine, RunbookState, load_runbooks


@pytest.fixture
def make_engine(make_registry, knowledge):
    def build(**settings):
        registry = make_registry(knowledge=knowledge, **settings)
        return RunbookEngine(load_runbooks(), registry, knowledge=knowledge), registry
    return build


def test_ssh_closed_port_escalates_with_a_summary(make_engine) -> None:
    engine, registry = make_engine()
    port = closed_port()
    state = engine.start("ssh-rdp-cannot-connect", f"ssh 连不上服务器 127.0.0.1 端口 {port}", "s-ssh", "agent-1")
    assert state.slots["host"] == "127.0.0.1" and state.slots["ssh_port"] == port
    state, outputs = drive(engine, state, ["Linux", "否"])
    assert state.status == "escalated" and state.step is None
    assert kinds(outputs) == ["ask", "tool", "advise", "ask", "escalate", "summary"]
    tool_out = outputs[1].tool_result
    assert tool_out["status"] == "ok" and tool_out["data"]["open"] is False
    advise = outputs[2]
    assert "未监听" in advise.text
    assert {c["source"] for c in advise.citations} >= {"docs/scs/ssh-login-failed.md"}
    summary = outputs[-1].text
    for expected in ("排障交接摘要", f"ssh 连不上服务器 127.0.0.1 端口 {port}", "tcp_port_check", "端口不通",
                     "已排除", "建议的下一步", "VNC", "agent-1", "docs/scs/ssh-login-failed.md"):
        assert expected in summary, expected
    assert engine.summary(state).split("### 问题现象")[1] == summary.split("### 问题现象")[1]
    assert [c["tool"] for c in tool_calls(registry, "s-ssh")] == ["tcp_port_check"]


def test_website_502_backend_down_restart_rejected(make_engine, web) -> None:
    engine, registry = make_engine(restart_command=[sys.executable, "-c", "raise SystemExit(0)", "{service}"])
    backend = closed_port()
    state = engine.start("website-502-504", f"网站 {web.url('/')} 返回 502", "s-web", "agent-2")
    state, outputs = drive(engine, state, ["127.0.0.1", str(backend), "nginx", "reject", "否"])
    assert state.status == "escalated"
    checks = [o.tool_result for o in outputs if o.kind == "tool"]
    assert checks[0]["data"]["status_code"] == 502
    assert checks[1]["data"]["open"] is False
    approve = next(o for o in outputs if o.kind == "approve")
    assert "nginx" in approve.text and "运行命令" in approve.text
    cited = {c["source"] for o in outputs for c in o.citations}
    assert "docs/clb/502-504.md" in cited
    calls = [c["tool"] for c in tool_calls(registry, "s-web")]
    assert "restart_service" in calls  # only the dry run, recorded as such
    restart_calls = [c for c in tool_calls(registry, "s-web") if c["tool"] == "restart_service"]
    assert all(c["approved"] is False and "演练" in c["summary"] for c in restart_calls)
    approvals = [r for r in registry.audit.records(session="s-web") if r["event"] == "approval"]
    assert [(a["status"], a["user"], a["tool"]) for a in approvals] == [("reject", "agent-2", "restart_service")]
    summary = engine.summary(state)
    assert "HTTP 502" in summary and "审批记录" in summary and "拒绝" in summary


def test_website_502_restart_approved_runs_the_command(make_engine, web, tmp_path) -> None:
    marker = tmp_path / "restarted"
    script = f"import sys, pathlib; pathlib.Path({str(marker)!r}).write_text(sys.argv[1])"
    engine, registry = make_engine(restart_command=[sys.executable, "-c", script, "{service}"])
    state = engine.start("website-502-504", f"{web.url('/')} 502 了", "s-web2", "agent-3")
    state, outputs = drive(engine, state, ["127.0.0.1", str(closed_port()), "api-server", "approve", "是"])
    assert state.status == "done" and marker.read_text() == "api-server"
    executed = [c for c in tool_calls(registry, "s-web2") if c["tool"] == "restart_service" and c["approved"]]
    assert len(executed) == 1 and executed[0]["status"] == "ok"
    assert [a["status"] for a in registry.audit.records(session="s-web2") if a["event"] == "approval"] == ["approve"]
    assert outputs[-1].kind == "summary" and "批准" in outputs[-1].text


def test_certificate_expired_flow(make_engine, expired_tls) -> None:
    engine, _ = make_engine()
    question = f"网站 https://127.0.0.1:{expired_tls.port}/ 提示证书过期"
    state = engine.start("certificate-problem", question, "s-tls", "agent")
    assert state.slots["port"] == expired_tls.port
    state, outputs = drive(engine, state, ["否"])
    result = next(o.tool_result for o in outputs if o.kind == "tool")
    assert result["data"]["expired"] is True
    advise = next(o for o in outputs if o.kind == "advise")
    assert "已过期" in advise.text and "docs/ssl/cert-expired.md" in {c["source"] for c in advise.citations}
    assert state.status == "escalated" and "证书已过期" in engine.summary(state)


def test_dns_unresolvable_name_flow(make_engine, dns_server) -> None:
    engine, _ = make_engine(dns_servers=[f"127.0.0.1:{dns_server.port}"])
    state = engine.start("dns-not-resolving", "域名 nonexistent.invalid 解析不了", "s-dns", "agent")
    state, outputs = drive(engine, state, ["否"])
    assert outputs[0].tool_result["data"]["nxdomain"] is True
    assert "NXDOMAIN" in outputs[1].text
    assert state.status == "escalated"


def test_link_from_website_to_dns_carries_the_domain(make_engine, dns_server) -> None:
    engine, _ = make_engine(dns_servers=[f"127.0.0.1:{dns_server.port}"])
    state = engine.start("website-502-504", "http://nonexistent.invalid/ 打不开", "s-link", "agent")
    state, outputs = drive(engine, state, ["否"])
    assert state.trail == ["website-502-504", "dns-not-resolving"]
    assert state.slots["domain"] == "nonexistent.invalid"
    assert "info" in kinds(outputs)
    assert "网站无法访问或负载均衡返回 502/504 → 域名解析失败或不生效" in engine.summary(state)


def test_disk_full_log_analysis_and_approval_gate(make_engine) -> None:
    engine, registry = make_engine(restart_command=[sys.executable, "-c", "raise SystemExit(0)", "{service}"])
    state = engine.start("disk-full", "磁盘满了", "s-disk", "agent")
    log = "2026-11-20 10:00:01 nginx: write() failed (28: No space left on device)"
    state, outputs = drive(engine, state, [log, "删除文件后空间未释放", "nginx"])
    analysis = outputs[1].tool_result["data"]
    assert "disk-full" in analysis["signatures"]
    assert state.waiting["kind"] == "approve" and state.waiting["tool"] == "restart_service"
    assert state.waiting["options"] == ["批准", "拒绝"] and "回复“批准”" in state.waiting["prompt"]
    assert "approve" not in state.waiting["prompt"].split("（")[0]  # the request itself is in Chinese
    state, more = engine.advance(state, "不知道")
    assert state.waiting["kind"] == "approve" and "批准" in more[0].text
    state, more = engine.advance(state, "拒绝")
    assert state.waiting["slot"] == "resolved"
    assert not [c for c in tool_calls(registry, "s-disk") if c["tool"] == "restart_service" and c["approved"]]


def test_an_action_that_cannot_run_is_skipped_not_offered_for_approval(make_engine) -> None:
    engine, registry = make_engine()  # no restart_command / restart_webhook configured
    state = engine.start("memory-oom", "进程被 OOM 杀了", "s-noop", "agent")
    log = "Out of memory: Killed process 12345 (java) total-vm:8123456kB"
    state, outputs = drive(engine, state, [log, "java-app"])
    assert "approve" not in kinds(outputs) and state.waiting["kind"] == "ask" and state.waiting["slot"] == "resolved"
    skipped = next(o for o in outputs if o.kind == "info" and "跳过" in o.text)
    assert "没有配置重启方式" in skipped.text and "没有做任何改动" in skipped.text
    state, more = engine.advance(state, "批准")  # nothing waits for an approval: nothing stored, asked again
    assert state.waiting["slot"] == "resolved" and "没有等待批准" in more[0].text and "resolved" not in state.slots
    state, more = engine.advance(state, "否")
    summary = more[-1].text
    assert "未请求批准" in summary and "需要人工处理：重启占用内存的服务（service=java-app）" in summary
    assert not [c for c in tool_calls(registry, "s-noop") if c["tool"] == "restart_service" and c["approved"]]


def test_mysql_error_1040_links_to_too_many_connections(make_engine) -> None:
    engine, _ = make_engine()
    state = engine.start("mysql-connect-failed", "数据库连不上", "s-db", "agent")
    error = "java.sql.SQLException: ERROR 1040 (HY000): Too many connections"
    state, outputs = drive(engine, state, [error, error, "skip", "否"])
    assert state.trail == ["mysql-connect-failed", "mysql-too-many-connections"]
    lookup = next(o.tool_result for o in outputs if o.tool_result and o.tool_result["invocation"]["tool"] == "error_code_lookup")
    assert lookup["data"]["found"] is True and "max_connections" in str(lookup["data"]["entries"])
    cited = {c["source"] for o in outputs for c in o.citations}
    assert "docs/mysql/too-many-connections.md" in cited
    assert state.status == "escalated"


def test_object_storage_signature_mismatch(make_engine) -> None:
    engine, _ = make_engine()
    state = engine.start("object-storage-403", "上传到存储桶报 403", "s-sos", "agent")
    body = "<Error><Code>SignatureDoesNotMatch</Code><Message>...</Message><RequestId>abc</RequestId></Error>"
    state, outputs = drive(engine, state, [body, "是"])
    assert "SignatureDoesNotMatch" in outputs[1].tool_result["data"]["codes"]
    assert "签名不匹配" in outputs[2].text and state.status == "done"


def test_state_survives_a_restart(make_engine, make_registry, knowledge) -> None:
    engine, _ = make_engine()
    port = closed_port()
    state = engine.start("ssh-rdp-cannot-connect", f"ssh 到 127.0.0.1 端口 {port} 超时", "s-resume", "agent")
    state, _ = engine.advance(state, None)
    saved = state.model_dump_json()
    restarted = RunbookEngine(load_runbooks(), make_registry(knowledge=knowledge), knowledge=knowledge)
    loaded = RunbookState.model_validate_json(saved)
    assert loaded == state
    loaded, outputs = restarted.advance(loaded, "Linux")
    assert kinds(outputs)[:2] == ["tool", "advise"]
    assert loaded.waiting["slot"] == "resolved"


def test_leave_and_come_back(make_engine) -> None:
    engine, _ = make_engine()
    state = engine.start("dns-not-resolving", "域名解析不生效", "s-leave", "agent")
    state, outputs = engine.advance(state, None)
    assert state.waiting["slot"] == "domain"
    state, outputs = engine.advance(state, "leave")
    assert state.status == "left" and state.waiting["slot"] == "domain" and "暂停" in outputs[0].text
    assert outputs[-1].kind == "summary" and "已暂停" in outputs[-1].text  # the hand-off so far
    state, outputs = engine.advance(state, None)
    assert state.status == "waiting" and "域名" in outputs[0].text


def test_invalid_answers_are_asked_again_then_skipped(make_engine) -> None:
    engine, _ = make_engine()
    state = engine.start("website-502-504", "网站打不开", "s-retry", "agent")
    state, _ = engine.advance(state, None)
    state, outputs = engine.advance(state, "就是那个网站 啊")
    assert state.waiting["slot"] == "url" and outputs[0].kind == "ask" and "网址" in outputs[0].text
    state, _ = engine.advance(state, "also not a url")
    state, outputs = engine.advance(state, "still bad input")
    assert state.slots["url"] is None and state.waiting["slot"] != "url"


def test_choice_answers_accept_the_option_number(make_engine) -> None:
    engine, _ = make_engine()
    state = engine.start("cpu-high", "CPU 100%", "s-cpu", "agent")
    state, _ = engine.advance(state, None)
    state, outputs = engine.advance(state, "2")
    assert state.slots["instance_family"] == "其他规格"


def test_match_picks_the_right_runbook(make_engine) -> None:
    engine, _ = make_engine()
    expectations = {
        "ssh 连不上服务器了": "ssh-rdp-cannot-connect", "Windows 远程桌面连不上": "ssh-rdp-cannot-connect",
        "网站访问报 502 Bad Gateway": "website-502-504", "新加的解析记录不生效": "dns-not-resolving",
        "浏览器提示证书过期": "certificate-problem", "No space left on device 磁盘满了": "disk-full",
        "服务器 CPU 一直 100%": "cpu-high", "MySQL 报 Too many connections": "mysql-too-many-connections",
        "应用连不上 MySQL 数据库": "mysql-connect-failed", "存储桶文件访问返回 403": "object-storage-403",
    }
    for question, expected in expectations.items():
        found = engine.match(question)
        assert found is not None and found[0] == expected, (question, found, engine.scores(question)[:3])
    for question in ("怎么申请发票", "今天天气怎么样", "你好"):
        assert engine.match(question) is None, question


def test_finished_flow_stays_finished(make_engine) -> None:
    engine, _ = make_engine()
    state = engine.start("object-storage-403", "403", "s-done", "agent")
    state, _ = drive(engine, state, ["AccessDenied", "skip", "是"])
    assert state.status == "done"
    again, outputs = engine.advance(state, "hello")
    assert again.status == "done" and outputs[0].kind == "info"


def test_cdn_origin_healthy_points_at_cdn_configuration(make_engine, web) -> None:
    engine, _ = make_engine()
    state = engine.start("cdn-origin-error", f"CDN {web.url('/')} 回源失败", "s-cdn", "agent")
    state, outputs = drive(engine, state, [web.url("/ok"), "否"])
    checks = [o.tool_result["data"]["status_code"] for o in outputs if o.kind == "tool"]
    assert checks == [502, 200]
    advise = next(o for o in outputs if o.kind == "advise")
    assert "回源配置" in advise.text and "docs/cdn/origin-error.md" in {c["source"] for c in advise.citations}
    assert state.status == "escalated"


def test_memory_oom_restart_after_approval(make_engine, tmp_path) -> None:
    marker = tmp_path / "restarted"
    script = f"import sys, pathlib; pathlib.Path({str(marker)!r}).write_text(sys.argv[1])"
    engine, registry = make_engine(restart_command=[sys.executable, "-c", script, "{service}"],
                                   restart_services=["java-app"])
    state = engine.start("memory-oom", "进程被 OOM 杀了", "s-oom", "agent")
    dmesg = "[Fri Nov 20 10:00:00 2026] Out of memory: Killed process 4242 (java) total-vm:8123456kB"
    state, outputs = drive(engine, state, [dmesg, "java-app", "批准", "是"])
    assert "oom-killer" in outputs[1].tool_result["data"]["signatures"]
    assert marker.read_text() == "java-app" and state.status == "done"
    assert [r["status"] for r in registry.audit.records(session="s-oom") if r["event"] == "approval"] == ["approve"]


def test_the_replying_agent_is_recorded_as_approver(make_engine) -> None:
    engine, registry = make_engine(restart_command=["true"])
    state = engine.start("disk-full", "磁盘满了", "s-handover", "first-agent")
    state, _ = drive(engine, state, ["No space left on device", "删除文件后空间未释放", "nginx"])
    state, _ = engine.advance(state, "approve", user="second-agent")
    approval = next(r for r in registry.audit.records(session="s-handover") if r["event"] == "approval")
    executed = next(r for r in registry.audit.records(session="s-handover") if r["approved"] and r["event"] == "call")
    assert approval["user"] == executed["user"] == "second-agent"
