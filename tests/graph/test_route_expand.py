"""route and query expansion: patterns, runbook intent, the model's route and keywords."""

from __future__ import annotations

from graph.expansion import expand_query, synonym_query, synonym_terms
from graph.extractive import extractive_units
from graph.nodes.route import route_one
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import make_context


def test_colloquial_words_get_documentation_terms():
    assert synonym_terms("SSH 连不上") == ["无法连接", "连接失败", "连接超时"]
    assert synonym_query("安全组不生效").startswith("安全组不生效 ")
    assert synonym_query("CPU 使用率多少") == "CPU 使用率多少"


def test_model_keywords_are_added_and_junk_is_ignored(fake_kb):
    good = make_context(fake_kb, ScriptedLLM(["max_connections 连接数 上限"]))
    assert expand_query(good, "数据库连不上了").endswith("max_connections 连接数 上限")
    chatty = make_context(fake_kb, ScriptedLLM(["好的，下面是我为您整理的关于这个问题的非常详细的检索关键词列表以及说明"]))
    assert expand_query(chatty, "CPU 100%") == "CPU 100%"


def test_general_pattern_and_knowledge_default(context):
    assert route_one(context, "把这句报错翻译成中文：Connection timed out", "demo", False, True)["route"] == "general"
    assert route_one(context, "安全组规则不生效怎么办", "demo", False, True)["route"] == "knowledge"


def test_off_domain_part_of_a_multi_question_message_is_refused(context):
    assert route_one(context, "红烧肉怎么做才好吃", "demo", True, True)["route"] == "refuse"


def test_runbook_for_a_request_or_a_target_knowledge_first_otherwise(context, runbook_engine):
    context.runbooks = runbook_engine
    bare = route_one(context, "磁盘满了", "demo", False, True)  # knowledge first, the runbook offered
    assert bare["route"] == "knowledge" and bare["runbook_hint"] == "disk-cleanup"
    assert route_one(context, "帮我排查磁盘满了怎么办", "demo", False, True)["route"] == "runbook"
    assert route_one(context, "10.0.0.8 磁盘满了", "demo", False, True)["route"] == "runbook"  # a target to check
    assert route_one(context, "磁盘满了，0.0.0.0/0 放行了", "demo", False, True)["route"] == "knowledge"
    asked = route_one(context, "磁盘满了怎么办", "demo", False, True)
    assert asked["route"] == "knowledge" and asked["runbook_hint"] == "disk-cleanup"
    assert route_one(context, "磁盘满了", "demo", False, runbook_free=False)["route"] == "knowledge"


def test_model_route_is_used_when_parseable(fake_kb):
    ctx = make_context(fake_kb, ScriptedLLM(["GENERAL"], cycle=True))
    decision = route_one(ctx, "CPU 100% 怎么排查", "demo", False, True)
    assert decision["route"] == "general" and decision["reason"] == "model"
    ctx = make_context(fake_kb, ScriptedLLM(["这个问题嘛，看情况"], cycle=True))
    assert route_one(ctx, "CPU 100% 怎么排查", "demo", False, True)["reason"] == "pattern"


def test_link_lists_do_not_answer():
    links = {"title": "相关文档", "heading_path": [], "kind": "doc", "chunk_id": "l",
             "text": "- [CPU 使用率 100% 排查](cpu-high.md)\n- [内存不足与 OOM 排查](memory-oom.md)"}
    body = {"title": "内存不足与 OOM 排查", "heading_path": ["定位"], "kind": "doc", "chunk_id": "b",
            "text": "记下被杀进程的名称、PID 和当时的 anon-rss。\n\n```bash\ndmesg -T | grep -i oom\n```"}
    units = extractive_units("云服务器 OOM 了怎么排查", [body, links])
    assert units and all(u["cites"] == [1] for u in units)
    assert any("dmesg" in u["text"] for u in units) and not any("cpu-high.md" in u["text"] for u in units)
