"""The hedge reads the user's colloquial words through the documentation's terms for them
(graph/hedge_terms.said_as, graph/synonyms.yaml), and a cannot-form stays the user's way of saying the
symptom even when only the things named would be left (graph/hedge_terms.hedge_terms)."""

from __future__ import annotations

from graph.expansion import synonym_groups
from graph.hedge_terms import covered_share, hedge_terms, said_as
from graph.relevance import QuestionTerms

ARREARS = QuestionTerms({"欠费": 3.3, "停机": 6.2})


def test_a_colloquial_word_is_held_where_the_page_writes_its_documentation_term():
    said = synonym_groups("欠费停机了 过多久数据就没了")
    assert said_as("停机", said) == ["停服"]
    assert covered_share(ARREARS, "4. 欠费与停服 实例会在 2 小时后被停服", said) == 1.0
    assert covered_share(ARREARS, "4. 欠费与停服 实例会在 2 小时后被停服") < 0.5  # the word as written only


def test_a_word_with_no_documentation_term_or_another_words_term_is_not_credited():
    said = synonym_groups("欠费停机了")
    assert said_as("欠费", said) == []
    assert said_as("停", said) == []  # one character: no word of its own
    assert covered_share(ARREARS, "欠费后会扣除余额", said) < 0.5


def test_a_cannot_form_does_not_weigh_though_only_the_named_things_are_left():
    terms = QuestionTerms({"数据盘": 2.7, "df": 4.0, "看不到": 4.6}, entities=["数据盘", "df"])
    assert set(hedge_terms(terms, "数据盘挂上了 df 看不到").weights) == {"数据盘", "df"}
