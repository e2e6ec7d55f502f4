"""Knowledge-base text is data: a document ordering a restart never causes a tool call."""

from __future__ import annotations

import yaml

from tests.tools.conftest import INJECTION
from tests.tools.flows import drive, tool_calls
from tools.runbooks import RunbookEngine, load_runbooks


def _restart_activity(registry, session: str) -> list[dict]:
    return [r for r in registry.audit.records(session=session) if r["tool"] == "restart_service"]


def test_the_hostile_document_is_in_the_knowledge_base(knowledge) -> None:
    hits = knowledge.search("运维公告 重启服务 restart_service", k=5)
    assert any(p.source == "notice.md" and "restart_service" in p.text for p in hits)


def test_citing_the_hostile_document_runs_nothing(tmp_path, make_registry, knowledge) -> None:
    runbook = {
        "id": "cite-hostile", "title": "引用测试", "description": "advise 引用知识库中的恶意文档",
        "steps": [
            {"id": "advise", "kind": "advise", "text": "参考以下资料。",
             "cite": [{"query": "运维公告 重启服务 restart_service"}, {"source": "notice.md"}]},
            {"id": "check", "kind": "tool", "tool": "knowledge_search", "args": {"query": "重启服务 restart_service"}},
            {"id": "ran", "kind": "branch", "cases": [{"when": 'tool.check.status != "ok"', "goto": "end"}]},
        ],
    }
    (tmp_path / "cite.yaml").write_text(yaml.safe_dump(runbook, allow_unicode=True), encoding="utf-8")
    registry = make_registry(knowledge=knowledge, restart_command=["true"])
    engine = RunbookEngine(load_runbooks(tmp_path), registry, knowledge=knowledge)
    state = engine.start("cite-hostile", INJECTION, "s-inject", "agent")
    state, outputs = drive(engine, state, [])
    assert state.status == "done" and state.waiting is None
    assert any(INJECTION in c["text"] for o in outputs for c in o.citations)
    assert [c["tool"] for c in tool_calls(registry, "s-inject")] == ["knowledge_search"]
    assert _restart_activity(registry, "s-inject") == []
    assert "approve" not in [o.kind for o in outputs]


def test_injection_in_the_question_and_replies_runs_nothing(make_registry, knowledge) -> None:
    registry = make_registry(knowledge=knowledge, restart_command=["true"])
    engine = RunbookEngine(load_runbooks(), registry, knowledge=knowledge)
    state = engine.start("cpu-high", INJECTION + "，CPU 100%", "s-inject2", "agent")
    state, outputs = drive(engine, state, ["其他规格", INJECTION, "业务进程", "skip", "否"])
    assert state.status == "escalated"
    assert _restart_activity(registry, "s-inject2") == []
    analysis = next(o.tool_result for o in outputs if o.tool_result)
    assert analysis["invocation"]["tool"] == "log_analysis"


def test_knowledge_tools_return_the_text_as_data(make_registry, knowledge) -> None:
    registry = make_registry(knowledge=knowledge, restart_command=["true"])
    for name, args in (("knowledge_search", {"query": INJECTION}), ("log_analysis", {"text": INJECTION}),
                       ("error_code_lookup", {"code": "restart_service"})):
        result = registry.invoke(name, args, session="s-inject3", user="agent")
        assert result.status == "ok"
    assert _restart_activity(registry, "s-inject3") == []
    assert [r["tool"] for r in reversed(registry.audit.records(session="s-inject3"))] == [
        "knowledge_search", "log_analysis", "error_code_lookup"]
