"""siblings: a sub-question whose own search brings nothing selects among its sibling's passages too."""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.nodes.select import select
from graph.passages import to_state
from graph.routing import fan_out
from graph.siblings import sibling_pool
from tests.graph.conftest import make_context
from tests.graph.fakes import FakeKnowledge


class Picky(FakeKnowledge):
    """Selection that keeps only the passages holding the word 端口 (what the short ask is about)."""

    def select(self, query, passages, max_passages=4, alternatives=None):
        return [p for p in passages if "端口" in p.text][:max_passages]


def run_select(knowledge: FakeKnowledge, standalone: str, siblings: list[str]) -> dict:
    state = {"index": 1, "count": 1 + len(siblings), "question": standalone, "standalone": standalone,
             "route": {"route": "knowledge"}, "kb": "demo", "passages": [], "siblings": siblings}
    return select(state, Runtime(context=make_context(knowledge)))  # type: ignore[arg-type]


def test_a_short_ask_finds_its_answer_on_the_sibling_pages():
    knowledge = Picky()
    alone = run_select(knowledge, "默认是多少", [])
    assert alone["passages"] == [] and knowledge.searches == []
    found = run_select(knowledge, "默认是多少", ["SSH 连接超时怎么办"])
    assert {p["chunk_id"] for p in found["passages"]} >= {"faq-1"}
    assert knowledge.searches  # the sibling's search


class Graded(FakeKnowledge):
    """Selection that keeps every passage: strong when it holds 22 端口, partial otherwise."""

    def select(self, query, passages, max_passages=4, alternatives=None):
        for p in passages:
            p.meta["match"] = "strong" if "22 端口" in p.text else "partial"
        return list(reversed(passages[:max_passages]))


def test_a_partial_own_selection_gives_way_only_to_a_strong_one():
    knowledge = Graded()
    own = [p for p in knowledge.search("CPU 使用率")]
    state = {"index": 1, "count": 2, "question": "默认是多少", "standalone": "默认是多少",
             "route": {"route": "knowledge"}, "kb": "demo", "passages": [to_state(p) for p in own]}
    runtime = Runtime(context=make_context(knowledge))
    found = select({**state, "siblings": ["SSH 连接超时"]}, runtime)  # type: ignore[arg-type]
    assert any("22 端口" in p["text"] for p in found["passages"])  # the sibling's strong passage
    kept = select({**state, "siblings": ["CPU 积分耗尽"]}, runtime)  # type: ignore[arg-type]
    assert {p["chunk_id"] for p in kept["passages"]} == {p.chunk_id for p in own}  # nothing strong there: its own


def test_the_pool_is_the_own_passages_then_the_siblings_without_repeats():
    own = [{"chunk_id": "a"}, {"chunk_id": "b"}]
    pool = sibling_pool(own, ["x", "y"], lambda q: [{"chunk_id": "b"}, {"chunk_id": q}])  # type: ignore[list-item]
    assert [p["chunk_id"] for p in pool] == ["a", "b", "x", "y"]
    assert sibling_pool(own, [], lambda q: []) == []  # type: ignore[arg-type]


def test_each_branch_is_sent_its_siblings():
    routes = [{"route": "knowledge"}, {"route": "knowledge"}]
    sends = fan_out({"standalone": ["云盘怎么扩容", "云盘扩容要不要重启"],  # type: ignore[typeddict-item]
                     "sub_questions": ["云盘怎么扩容", "要不要重启"], "routes": routes})
    assert isinstance(sends, list)
    assert [s.arg["siblings"] for s in sends] == [["云盘扩容要不要重启"], ["云盘怎么扩容"]]


def test_a_strong_sibling_match_on_a_page_not_naming_the_ask_leaves_its_own_selection():
    """"关机以后内网ip会变吗" beside "强制关机会丢数据吗": a strong match the sibling's search brought, on a page
    that never names what this ask names, is the sibling's subject; the ask keeps its own partial passages."""
    knowledge = Graded()
    own = [p for p in knowledge.search("CPU 使用率")]
    runtime = Runtime(context=make_context(knowledge))

    def picked(standalone: str) -> dict:
        state = {"index": 1, "count": 2, "question": standalone, "standalone": standalone, "siblings": ["SSH 连接超时"],
                 "route": {"route": "knowledge"}, "kb": "demo", "passages": [to_state(p) for p in own]}
        return select(state, runtime)  # type: ignore[arg-type]

    off = picked("mysql 默认是多少")  # the 22 端口 pages never name mysql
    assert not any("22 端口" in p["text"] for p in off["passages"])
    assert {p["chunk_id"] for p in off["passages"]} <= {p.chunk_id for p in own}
    on = picked("ssh 默认是多少")  # they name ssh: the sibling's strong passage answers it
    assert any("22 端口" in p["text"] for p in on["passages"])
