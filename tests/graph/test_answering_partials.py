"""Without a strong match, a partial match that shares only the question's area is no answer
(graph/hedge_terms.answering_partials; issue 12)."""

from __future__ import annotations

from graph.hedge_terms import answering_partials, topic_word
from graph.relevance import QuestionTerms

TERMS = QuestionTerms({"磁盘": 2.9, "快照": 3.7, "保留": 3.1}, set(), [], {})
ASKED = "磁盘快照能保留多久"


def _passage(text: str, match: str = "partial") -> dict:
    return {"title": "云盘", "heading_path": ["说明"], "text": text, "meta": {"match": match}}


def test_the_topic_word_is_the_rarest_noun_not_the_asked_value_or_action():
    assert topic_word(TERMS, ASKED) == "快照"
    assert topic_word(QuestionTerms({"ssd": 3.9, "500": 4.5}, set(), [], {}), "ssd 500G 能到多少") == "ssd"


def test_partials_sharing_only_the_area_or_a_passing_mention_are_dropped():
    area = _passage("可以看到磁盘 vdb 已经是 500G。")
    mention = _passage("高风险操作前，先为系统盘创建快照。")
    assert answering_partials([area, mention], TERMS, ASKED) == []


def test_a_partial_missing_one_word_or_holding_the_topic_and_half_is_kept():
    synonym = _passage("磁盘快照默认保存 7 天。")  # 保留 written otherwise
    topic_and_half = _passage("快照保留的规则见计费说明。")
    assert answering_partials([synonym, topic_and_half], TERMS, ASKED) == [synonym, topic_and_half]


def test_a_strong_match_keeps_the_selection_as_it_is():
    chosen = [_passage("可以看到磁盘 vdb 已经是 500G。"), _passage("别的内容", match="strong")]
    assert answering_partials(chosen, TERMS, ASKED) == chosen
