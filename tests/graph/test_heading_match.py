"""The found section keeps its place when its heading names the question (graph/heading_match.py)."""

from __future__ import annotations

from graph.heading_match import heading_keeps
from graph.relevance import QuestionTerms

ASKED = QuestionTerms({"主键": 4.5, "自增": 6.0, "tikv": 2.2, "cpu": 3.4, "打散": 6.6, "订单": 8.6})


def _section(heading: list[str], chunks: list[str]) -> dict:
    return {"source": "hot.md", "kind": "doc", "heading_path": heading, "chunk_id": chunks[0],
            "meta": {"chunks": chunks}}


FOUND = _section(["使用 AUTO_RANDOM 处理自增主键热点表"], ["c5", "c6"])


def test_a_task_heading_naming_the_question_beats_the_pages_first_procedure():
    first = _section(["使用 SHARD_ROW_ID_BITS 处理热点表"], ["c3", "c4"])
    assert heading_keeps(FOUND, first, ASKED)


def test_a_heading_naming_a_word_said_in_passing_does_not_move_it():
    by_cpu = _section(["打散读热点", "基于 TiKV CPU 使用情况的热点 Region 调度"], ["c8"])
    assert heading_keeps(FOUND, by_cpu, ASKED)


def test_the_replacement_naming_more_wins():
    better = _section(["订单表主键自增时打散写入"], ["c9"])
    assert not heading_keeps(FOUND, better, ASKED)


def test_a_procedure_holding_the_found_section_stands():
    whole = _section(["处理热点表"], ["c4", "c5", "c6"])
    assert not heading_keeps(FOUND, whole, ASKED)


def test_one_shared_word_a_step_a_faq_question_or_the_intro_keep_nothing():
    first = _section(["使用 SHARD_ROW_ID_BITS 处理热点表"], ["c3"])
    assert not heading_keeps(_section(["主键说明"], ["c5"]), first, ASKED)  # one asked word only
    assert not heading_keeps(_section(["2. 改为自增主键"], ["c5"]), first, ASKED)  # a numbered step
    assert not heading_keeps(_section(["自增主键怎么打散？"], ["c5"]), first, ASKED)  # a FAQ entry's question
    assert not heading_keeps(_section([], ["c5"]), first, ASKED)  # the page's intro
    assert not heading_keeps(FOUND, None, ASKED)
