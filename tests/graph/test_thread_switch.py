"""A short follow-up with one ordinary word the pages do not use is judged by its conversation; a switch
off the domain names its topic in words the base never writes (graph/thread_switch.py, used by
graph/nodes/guard.in_conversation). Demo base. Run: pytest tests/graph/test_thread_switch.py"""

from __future__ import annotations

import pytest


def _vocab(demo_knowledge):
    from tests.graph.conftest import make_context

    ctx = make_context(demo_knowledge)
    return ctx.vocabulary.get(ctx.knowledge, "demo")


def _ask(demo_knowledge, session: str, *messages: str) -> dict:
    from tests.graph.conftest import ask_turns

    return ask_turns(demo_knowledge, session, *messages)


def _guard(result: dict) -> dict:
    return (result.get("trace") or {}).get("guard") or {}


@pytest.mark.parametrize("message", ["有啥坑没", "门槛默认设的多少", "带宽顶天能调到多少", "那最多能留几份，超了会咋样"])
def test_one_ordinary_word_the_pages_do_not_use_is_no_switch(demo_knowledge, message):
    from graph.thread_switch import switch_reason

    assert switch_reason(message, _vocab(demo_knowledge)) is None


@pytest.mark.parametrize("message,reason", [
    ("杭州明天会下雨不", "name"),  # a place name the base never writes
    ("那个电视剧一共多少集", "pointed"),  # a thing pointed at that no turn said
    ("我家猫老掉毛咋办", "words"),  # one-character nouns count: the index keeps longer words whole
    ("周末去哪儿玩比较好", "words"),  # a time word of the user's life and a verb the base never writes
    ("帮我写首诗", "request"),
    ("股票怎么买", "subject"),
    ("今天股市怎么样", "subject"),  # a time word first, then the subject
])
def test_a_switch_names_its_topic_in_words_the_base_never_writes(demo_knowledge, message, reason):
    from graph.thread_switch import switch_reason

    assert switch_reason(message, _vocab(demo_knowledge)) == reason


def test_a_follow_up_in_a_word_the_page_does_not_use_is_answered_from_its_page(demo_knowledge):
    result = _ask(demo_knowledge, "switch-1", "云服务器 eip 怎么调带宽", "那带宽顶天能设多大")
    assert _guard(result).get("kind") == "answer", _guard(result)
    assert "200 Mbps" in result["answer"], result["answer"]


def test_the_same_follow_up_with_no_thread_is_still_refused(demo_knowledge):
    assert _guard(_ask(demo_knowledge, "switch-2", "那带宽顶天能设多大")).get("kind") == "refuse"


@pytest.mark.parametrize("switch", ["帮我写首诗", "我家猫老掉毛咋办", "股票怎么买", "杭州明天会下雨不"])
def test_a_switch_after_a_knowledge_turn_is_refused(demo_knowledge, switch):
    result = _ask(demo_knowledge, f"switch-off-{switch}", "云服务器 eip 怎么调带宽", switch)
    assert _guard(result).get("kind") == "refuse", result["answer"][:80]


def test_the_guard_set_of_follow_ups_and_switches_mid_conversation(demo_knowledge):
    """tests/data/guard_eval/dev_guard17.jsonl as benchmarks/guard_eval.py runs it (each message after its
    `before` turns, in a fresh session): main 0f18235 refused 1/10 follow-ups and accepted 3/10 switches."""
    from graph.service import Copilot
    from tests.graph.conftest import REPO, make_context, read_jsonl

    copilot = Copilot(make_context(demo_knowledge))
    wrong = []
    for i, row in enumerate(read_jsonl(REPO / "tests" / "data" / "guard_eval" / "dev_guard17.jsonl")):
        for earlier in row["before"]:
            copilot.ask(earlier, f"guard17-{i}", kb="demo")
        refused = _guard(copilot.ask(row["message"], f"guard17-{i}", kb="demo").to_json()).get("kind") == "refuse"
        if refused == row["in_domain"]:
            wrong.append(row["message"])
    assert not wrong, wrong
