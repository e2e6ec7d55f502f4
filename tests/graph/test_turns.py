"""Whole turns through the graph (fake knowledge): sections, citations, history, limits, streams."""

from __future__ import annotations

import pytest

from graph.errors import GraphError
from graph.service import Copilot
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import make_context
from tests.graph.fakes import FakeKnowledge


def test_greeting_and_refusal(copilot):
    hello = copilot.ask("你好", "s")
    assert hello.route == "greet" and not hello.refused and "排障" in hello.answer
    refused = copilot.ask("云朵为什么是白色的", "s")
    assert refused.refused and refused.route == "refuse" and not refused.citations
    assert "云服务器" in refused.answer or "SSH" in refused.answer.upper()


def test_two_questions_two_sections_sources_listed_once(copilot):
    result = copilot.ask("云服务器 SSH 连不上怎么办？另外 MySQL 报 Too many connections 怎么办？", "s")
    assert len(result.sections) == 2 and result.grounded
    assert [s["route"] for s in result.sections] == ["knowledge", "knowledge"]
    numbers = [c["n"] for c in result.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len({c["chunk_id"] for c in result.citations}) == len(numbers)
    assert "max_connections" in result.sections[1]["answer"]
    assert result.answer.count("参考来源") == 1


def test_follow_up_is_rewritten_from_the_conversation(copilot):
    copilot.ask("MySQL 报 Too many connections 怎么办", "s")
    result = copilot.ask("那它的默认端口是多少？", "s")
    assert "MySQL" in result.standalone[0]
    history = copilot.history("s")
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]


def test_sessions_are_per_user(copilot):
    copilot.ask("CPU 100%", "a", user="alice")
    copilot.ask("安全组不生效", "b", user="bob")
    assert [s["session_id"] for s in copilot.sessions("alice")] == ["a"]
    assert copilot.history("a", user="bob") == []


def test_extra_sub_questions_are_listed_as_not_answered(fake_kb):
    copilot = Copilot(make_context(fake_kb, max_sub_questions=2))
    result = copilot.ask("1. SSH 连不上怎么办 2. CPU 100% 怎么排查 3. 安全组不生效怎么办", "s")
    assert len(result.sections) == 2 and "安全组不生效怎么办" in result.answer and "未回答" in result.answer


def test_too_long_and_empty_messages_are_user_errors(copilot):
    with pytest.raises(GraphError, match="太长"):
        copilot.ask("慢" * 3000, "s")
    with pytest.raises(GraphError):
        copilot.ask("   ", "s")


class NothingAboveThreshold(FakeKnowledge):
    """A KB whose passages are all too weak to select (what the real select does for a gap)."""

    def select(self, query, passages, max_passages=4, alternatives=None):
        return []


def test_nothing_found_says_so_and_invents_nothing():
    copilot = Copilot(make_context(NothingAboveThreshold()))
    result = copilot.ask("安全组规则的优先级怎么设置", "s")
    section = result.sections[0]
    assert not section["grounded"] and "没有找到" in section["answer"] and not section["citations"]
    assert "最接近的内容是" in section["answer"] and not result.grounded


def test_stream_gives_progress_tokens_and_final(copilot):
    events = list(copilot.stream("CPU 100% 怎么排查", "s"))
    stages = [e["stage"] for e in events if e["type"] == "progress"]
    assert stages[:2] == ["understand", "retrieve"] and "verify" in stages
    labels = [e["label"] for e in events if e["type"] == "progress"]
    assert labels[:2] == ["理解问题", "检索"]
    tokens = "".join(e["text"] for e in events if e["type"] == "token")
    assert events[-1]["type"] == "final" and tokens == events[-1]["result"]["answer"]


def test_model_answer_is_streamed_cited_and_verified(fake_kb):
    def script(messages, options):
        system = messages[0].content
        if "知识块" in messages[-1].content:
            return "<think>先找相关知识</think>出现 Too many connections 说明连接数达到 max_connections 上限[1]。月球上没有数据库[1]。"
        if "IN 或 OUT" in system:
            return "IN"
        return "无法判断"

    copilot = Copilot(make_context(fake_kb, ScriptedLLM(script), expand_with_model=False))
    events = list(copilot.stream("MySQL 报 Too many connections 怎么办", "s"))
    result = events[-1]["result"]
    assert result["model"] == "scripted" and result["grounded"]
    assert "max_connections" in result["answer"] and "月球" not in result["answer"] and "think" not in result["answer"]
    assert "月球" in "".join(e["text"] for e in events if e["type"] == "token")  # streamed before verify


def test_uncited_model_answer_falls_back_to_extractive(fake_kb):
    copilot = Copilot(make_context(fake_kb, ScriptedLLM(["这是一个没有任何引用的回答。"], cycle=True)))
    result = copilot.ask("MySQL 报 Too many connections 怎么办", "s")
    assert result.trace["sections"][0]["mode"] == "extractive" and "max_connections" in result.answer


def test_general_question_in_extractive_mode_is_honest(copilot):
    result = copilot.ask("帮我写一封感谢客户的邮件，顺便问下 CPU 100% 怎么排查", "s")
    routes = [s["route"] for s in result.sections]
    assert routes[0] == "general" and "生成模型" in result.sections[0]["answer"]
    assert routes[1] == "knowledge"


def test_graph_for_langgraph_server_uses_its_default_context(context):
    from graph.builder import build_graph

    graph = build_graph(default_context=context)  # the server passes no live backends
    out = graph.invoke({"message": "CPU 100% 怎么排查", "kb": None, "user": "u", "session": "s"})
    assert out["result"]["grounded"] and "top" in out["result"]["answer"]


def test_langgraph_json_points_at_a_real_factory():
    import importlib
    import json

    from tests.graph.conftest import REPO

    spec = json.loads((REPO / "langgraph.json").read_text(encoding="utf-8"))
    path, _, name = spec["graphs"]["smart-copilot"].partition(":")
    module = importlib.import_module(path.removeprefix("./").removesuffix(".py").replace("/", "."))
    assert callable(getattr(module, name))


def test_the_routers_adapter_reaches_the_model(fake_kb):
    from models.config import ModelSettings
    from models.router import AdapterRouter

    seen = []

    def script(messages, options):
        seen.append(options.adapter)
        return "出现 Too many connections 说明连接数达到 max_connections 上限[1]。" if "知识块" in messages[-1].content else "IN"

    ctx = make_context(fake_kb, ScriptedLLM(script), expand_with_model=False)
    ctx.router = AdapterRouter(ModelSettings.model_validate({"router": {"rules": {"demo": "cloud-lora"}}}), ["cloud-lora"])
    result = Copilot(ctx).ask("MySQL 报 Too many connections 怎么办", "s")
    assert result.sections[0]["adapter"] == "cloud-lora"
    assert any(a.name == "cloud-lora" for a in seen)
