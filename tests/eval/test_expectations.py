"""Expectation checks over TurnResult JSON: each passes or fails with the actual value shown."""

from __future__ import annotations

from app.evaluation.expectations import check_turn, tool_calls
from app.evaluation.scenario import Expect

RESULT = {
    "answer": "云服务器的 SSH 服务默认监听 TCP 22 端口。[1]\n\n**参考来源**\n[1] 《faq》 `faq/faq.jsonl` — …",
    "refused": False,
    "sub_questions": ["SSH 默认端口是多少"],
    "standalone": ["云服务器 SSH 默认端口是多少"],
    "citations": [{"n": 1, "source": "faq/faq.jsonl", "title": "faq",
                   "text": "问：云服务器 SSH 默认端口是多少？ 答：云服务器的 SSH 服务默认监听 TCP 22 端口。"}],
    "grounded": True,
    "route": "knowledge",
    "sections": [{"question": "SSH 默认端口是多少", "standalone": "云服务器 SSH 默认端口是多少", "route": "knowledge",
                  "answer": "云服务器的 SSH 服务默认监听 TCP 22 端口。[1]",
                  "citations": [{"n": 1, "source": "faq/faq.jsonl",
                                 "text": "问：云服务器 SSH 默认端口是多少？ 答：云服务器的 SSH 服务默认监听 TCP 22 端口。"}],
                  "grounded": True, "adapter": None}],
    "runbook": None,
}

RUNBOOK_RESULT = {
    "answer": "**检查 SSH 端口**：127.0.0.1:22 端口不通", "refused": False, "sub_questions": [], "standalone": [],
    "citations": [{"n": 1, "source": "docs/scs/ssh-login-failed.md", "text": "…"}], "grounded": False,
    "route": "runbook", "sections": [],
    "runbook": {"id": "ssh-rdp-cannot-connect", "step": "ask_resolved", "status": "waiting",
                "waiting": {"kind": "ask", "prompt": "问题解决了吗？"},
                "outputs": [{"kind": "tool", "text": "…", "citations": [],
                             "tool_result": {"status": "ok", "invocation": {"tool": "tcp_port_check",
                                                                           "args": {"host": "127.0.0.1", "port": 22}}}},
                            {"kind": "ask", "text": "问题解决了吗？", "tool_result": None, "citations": []}]},
}


def by_name(checks):
    return {c.name: c for c in checks}


def test_everything_met_passes():
    expect = Expect(refused=False, sub_questions=1, standalone_contains=["SSH", "端口"], route="knowledge",
                    routes=["knowledge"], cites=["faq/*"], cites_only=["faq/faq.jsonl"], citations=1,
                    answer_contains=["22"], answer_contains_any=["3389", "TCP"], answer_not_contains=["3306"],
                    grounded=True, grounded_min=0.9, waiting="none")
    checks = check_turn(expect, RESULT)
    assert len(checks) == 15
    assert all(c.passed for c in checks), [c for c in checks if not c.passed]


def test_failures_carry_the_actual_value():
    expect = Expect(refused=True, route="runbook", sub_questions=2, answer_contains=["3306"], cites=["docs/mysql/*"],
                    standalone_not_contains=["ssh"], grounded_min=1.0)
    checks = by_name(check_turn(expect, RESULT))
    assert not checks["refused"].passed and checks["refused"].actual is False
    assert not checks["route"].passed and checks["route"].actual == "knowledge"
    assert not checks["sub_questions"].passed and checks["sub_questions"].actual.startswith("1 ")
    assert not checks["answer_contains '3306'"].passed and "22 端口" in checks["answer_contains '3306'"].actual
    assert not checks["cites docs/mysql/*"].passed and checks["cites docs/mysql/*"].actual == ["faq/faq.jsonl"]
    assert not checks["standalone_not_contains 'ssh'"].passed  # case-insensitive
    assert checks["grounded_min"].passed  # the only sentence is supported by the cited FAQ


def test_unsupported_sentence_lowers_grounded_share():
    result = {**RESULT, "sections": [{**RESULT["sections"][0],
                                      "answer": "云服务器的 SSH 服务默认监听 TCP 22 端口。[1]\n对象存储的签名算法使用 HMAC-SHA256 计算。[1]"}]}
    check = check_turn(Expect(grounded_min=0.9), result)[0]
    assert not check.passed and check.actual == 0.5


def test_runbook_and_tool_expectations():
    expect = Expect(runbook="ssh-rdp-cannot-connect", runbook_step="ask_resolved", runbook_status="waiting",
                    waiting="ask", tools_called=[{"name": "tcp_port_check", "args": {"host": "127.0.0.*", "port": 22}}],
                    tools_not_called=["restart_service"])
    assert all(c.passed for c in check_turn(expect, RUNBOOK_RESULT))
    wrong = Expect(tools_called=[{"name": "tcp_port_check", "args": {"port": 3389}}], tools_not_called=["tcp_port_check"],
                   runbook_step="ask_os", waiting="approve")
    checks = check_turn(wrong, RUNBOOK_RESULT)
    assert [c.passed for c in checks] == [False, False, False, False]
    assert "'port': 22" in str(checks[2].actual)
    assert tool_calls(RUNBOOK_RESULT) == [{"tool": "tcp_port_check", "args": {"host": "127.0.0.1", "port": 22},
                                           "status": "ok"}]


def test_no_expectations_no_checks():
    assert check_turn(Expect(), RESULT) == []


def test_no_support_reply_is_not_judged():
    result = {**RESULT, "sections": [{**RESULT["sections"][0], "answer": "知识库中没有找到能回答这个问题的内容。",
                                      "citations": []}]}
    check = check_turn(Expect(grounded_min=0.5), result)[0]
    assert not check.passed and check.actual is None
