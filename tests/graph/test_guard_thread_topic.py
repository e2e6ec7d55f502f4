"""A message with a subject of its own that the guard refuses alone is judged with the question just
asked (graph/nodes/guard._on_thread_topic, issue 12) — not when it names a topic the base never
mentions or no term of the base. Demo base. Run: pytest tests/graph/test_guard_thread_topic.py"""

from __future__ import annotations

import pytest

FIRST = "clb 健康检查老是显示异常 怎么排查"


def _ask(demo_knowledge, session: str, *messages: str) -> dict:
    from tests.graph.conftest import ask_turns

    return ask_turns(demo_knowledge, session, *messages)


def test_an_elliptic_follow_up_naming_a_base_term_is_answered_from_its_thread(demo_knowledge):
    result = _ask(demo_knowledge, "thread-topic-1", FIRST, "后端挂掉多长时间会被踢出去")
    guard = (result.get("trace") or {}).get("guard") or {}
    assert guard.get("kind") == "answer", guard
    assert guard["evidence"].get("thread_topic"), guard
    assert "15 秒" in result["answer"], result["answer"]


def test_the_same_message_with_no_thread_is_still_refused(demo_knowledge):
    result = _ask(demo_knowledge, "thread-topic-2", "后端挂掉多长时间会被踢出去")
    assert ((result.get("trace") or {}).get("guard") or {}).get("kind") == "refuse"


@pytest.mark.parametrize("switch", ["顺便问下今天天气怎么样", "对了 晚上吃火锅还是烧烤好", "那我家路由器wifi老断又是咋回事"])
def test_an_off_domain_switch_after_a_knowledge_turn_is_refused(demo_knowledge, switch):
    result = _ask(demo_knowledge, f"thread-topic-off-{switch}", FIRST, switch)
    assert ((result.get("trace") or {}).get("guard") or {}).get("kind") == "refuse", result["answer"][:80]
