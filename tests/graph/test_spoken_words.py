"""The one file of spoken-word families (graph/synonyms.yaml, graph/spoken_words.py): read by query
expansion, question terms and the guard; a written form counts only where the base writes it.
Guard rules it came with: a service's shared words, coincidental vocabulary, a place-qualified head."""

from __future__ import annotations

import pytest

from graph.domain_check import judge, judge_message
from graph.domain_score import content_tokens, known_to_base, scattered
from graph.expansion import synonyms
from graph.relevance import question_terms
from graph.spoken_words import spoken_in, spoken_words, writes, written_in_base
from graph.vocabulary import DomainVocabulary
from tests.graph.conftest import make_context


class _Words:
    """A base that writes exactly `words` (each its own chunk unless paired in `together`)."""

    def __init__(self, words: set[str], together: set[frozenset[str]] = frozenset()) -> None:
        self.words, self.together, self.lexicon = words, together, set()

    def knows(self, token: str) -> bool:
        return token in self.words

    def tokenize(self, text: str) -> list[str]:
        return [text[i:i + 2] for i in range(0, len(text), 2)]

    def association(self, token: str, others: list[str]) -> float:
        return 1.0 if any(frozenset({token, o}) in self.together for o in others) else 0.0


def test_one_file_holds_the_families_expansion_and_the_guard_read():
    data = spoken_words()
    assert synonyms() is data.words and "连不上" in data.words
    assert data.money_verbs["交"][0] == "缴费" and "只读实例" in data.replica
    assert "游戏" in data.everyday_services["game"] and "充值" in data.shared_with_services


def test_a_written_form_counts_only_where_the_base_writes_it():
    assert written_in_base("扣钱", _Words({"计费"})) == ["计费"]
    assert written_in_base("扣钱", _Words(set())) == []
    # a phrase: its words in one chunk of the base
    assert writes(_Words({"连接", "中断"}, {frozenset({"连接", "中断"})}), "连接中断")
    assert not writes(_Words({"连接", "中断"}), "连接中断")


def test_a_spoken_word_is_known_to_the_guard_only_through_a_written_form_of_the_base():
    assert known_to_base("扣钱", _Words({"计费"}))  # type: ignore[arg-type]
    assert not known_to_base("扣钱", _Words({"实例"}))  # type: ignore[arg-type]


def test_a_longer_spoken_word_holds_the_shorter_ones_inside_it():
    assert spoken_in("ssh连不上了") == ["连不上"]
    assert spoken_in("盘买多了能缩回去吗") == ["缩回去"]


def test_a_spoken_word_the_base_never_writes_weighs_as_its_written_form(keyword_demo):
    vocab = DomainVocabulary().get(keyword_demo, "demo")
    page = "云盘只能扩大，不能缩小（不支持缩容）。"
    terms = question_terms("云盘买多了能缩回去吗", "", vocab, [page])
    assert terms.weights.get("缩小", 0) > 0 and "缩小" not in terms.expanded, terms.weights
    assert not any(t in "缩回去" for t in terms.weights), terms.weights  # its pieces weigh nothing


@pytest.mark.parametrize("message", ["游戏服务器维护到几点", "游戏服务器几点开服", "Python 列表怎么排序",
                                     "硬盘里的照片怎么做成相册"])
def test_everyday_questions_sharing_the_desks_words_are_refused(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo", {})
    assert verdict["kind"] == "refuse", verdict


@pytest.mark.parametrize("message", ["游戏服务器内存老是被吃满", "弹性ip没绑机器也要扣钱吗", "另外建桶名字叫 Shop_Static 为啥一直建不了",
                                     "用 wifi 连云服务器 ssh 一直掉线", "云盘买大了能缩回去不"])
def test_the_desks_spoken_questions_stay_in_domain(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo", {})
    assert verdict["kind"] == "answer", verdict


def test_words_the_base_writes_only_far_apart_are_a_coincidence(demo_knowledge):
    vocab = DomainVocabulary().get(demo_knowledge, "demo")
    assert scattered(content_tokens("Python 列表怎么排序", vocab), vocab)
    assert not scattered(content_tokens("mysql 慢查询日志怎么看", vocab), vocab)
    assert judge(make_context(demo_knowledge), "Python 列表怎么排序", "demo")["evidence"].get("scattered")
