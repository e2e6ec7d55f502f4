"""Query words jieba's HMM joins from a spoken question weigh as their characters predict (knowledge.unknown_words)."""

from __future__ import annotations

from knowledge.text import background_frequency
from knowledge.unknown_words import predicting


def test_an_unknown_word_is_counted_as_its_characters_predict():
    table = {"有": 900, "个": 800, "鉴": 3, "权": 60}
    counts = predicting(lambda w: (table.get(w, 0), 1000), {"流控"})
    assert counts("有个")[0] > counts("鉴权")[0]  # common characters: filler; rare ones stay near 0
    assert counts("流控") == (0, 1000)  # the base's own domain term
    assert counts("有") == (900, 1000)  # a dictionary word keeps its count
    assert counts("abc") == (0, 1000)  # only Chinese words are predicted
    assert predicting(background_frequency, set())("有个")[0] > 0


def test_words_the_hmm_joins_from_a_question_weigh_like_filler(demo):
    """They weighed 0.9+ like documentation terms (counted 0 in general Chinese), so a short chunk
    holding "会到" or "它会" outranked the page the question was about (corpora k8s-031, k8s-029)."""
    terms = demo.retriever.lexical("demo").terms
    weights = terms.weights(["会到", "全是", "有个", "安全组", "实例"])
    assert max(weights["会到"], weights["全是"], weights["有个"]) < 0.3
    assert weights["安全组"] > 0.9 and weights["实例"] > 0.9
