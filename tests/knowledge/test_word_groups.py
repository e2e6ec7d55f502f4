"""A colloquial word's expansion terms are alternatives for it, never extra words a passage must hold
(knowledge.evidence.WordGroup, grouped_evidence; graph.expansion.synonym_groups gives the groups).

Hand-made tokens for the rule; the demo base, keyword-only, for a plain question of new-user QA.
"""

from __future__ import annotations

import random

from graph.expansion import synonym_groups, synonym_query
from knowledge.evidence import WordGroup, coverage, grouped_evidence, matched_mass, word_groups

IDF = {"windows": 2.0, "远程桌面": 3.0, "连不上": 5.0, "无法": 1.0, "连接": 1.0, "删": 6.0, "删除": 2.0,
       "日志": 3.0, "硬盘": 0.0, "磁盘": 2.5}


def idf(token: str) -> float:
    return IDF.get(token, 1.0)


def test_a_held_term_holds_the_group():
    groups = [WordGroup(("连不上",), (("无法", "连接"),))]
    tokens = ["windows", "远程桌面", "连不上"]
    page = {"windows", "远程桌面", "无法", "连接"}
    assert coverage(tokens, page, idf) < 0.6
    share, mass, standing = grouped_evidence(tokens, page, idf, None, groups)
    assert share == 1.0 and standing == {"连不上"}
    assert mass == matched_mass(tokens, page, idf)  # the mass stays the question's own words


def test_a_rare_spoken_cut_weighs_as_the_term_the_page_writes():
    groups = [WordGroup(("删",), (("删除",),))]
    tokens = ["删", "日志"]
    share, _, _ = grouped_evidence(tokens, {"删除"}, idf, None, groups)
    assert share == 2.0 / 5.0  # 删除 (2) of 删除 + 日志, not 删's 6 of 删 + 日志


def test_a_silent_word_counts_once_a_term_is_held():
    groups = [WordGroup(("硬盘",), (("磁盘",), ("云盘",)))]
    share, _, _ = grouped_evidence(["硬盘", "满"], {"磁盘"}, idf, None, groups)
    assert share == 2.5 / 3.5


def test_a_page_holding_the_word_or_nothing_of_the_group_is_judged_as_before():
    groups = [WordGroup(("连不上",), (("无法", "连接"),))]
    tokens = ["windows", "连不上"]
    for page in ({"windows", "连不上"}, {"windows"}, {"连不上", "无法", "连接"}):
        assert grouped_evidence(tokens, page, idf, None, groups)[0] == coverage(tokens, page, idf)


def test_alternatives_never_lower_the_evidence():
    rng = random.Random(7)
    vocab = list(IDF) + ["满", "了", "清理"]
    for _ in range(500):
        tokens = rng.sample(vocab, 4)
        groups = word_groups({tokens[0]: [" ".join(rng.sample(vocab, 2)), rng.choice(vocab)]}, tokens, str.split)
        page = set(rng.sample(vocab, rng.randint(0, 8)))
        share, mass, _ = grouped_evidence(tokens, page, idf, None, groups)
        assert share >= coverage(tokens, page, idf) - 1e-9
        assert mass == matched_mass(tokens, page, idf)


def test_each_question_token_belongs_to_one_group():
    groups = word_groups({"盘满了": ["空间不足"], "满了": ["使用率"]}, ["磁盘", "满"], lambda s: {
        "盘满了": ["盘", "满"], "满了": ["满"], "空间不足": ["空间", "不足"], "使用率": ["使用率"]}[s])
    assert [g.word for g in groups] == [("满",), ()]


def test_overlapping_colloquial_words_both_expand():
    groups = synonym_groups("硬盘满了")
    assert "磁盘" in groups["硬盘"] and "空间不足" in groups["盘满了"]
    assert synonym_groups("卡在 Waiting") == {}  # a key inside a longer one stays quiet


def test_the_page_that_writes_the_documentation_term_is_a_strong_match(demo):
    question = "windows 远程桌面连不上"
    found = demo.search(synonym_query(question), kb="demo", k=8)
    kept = demo.select(question, found, max_passages=4, alternatives=synonym_groups(question))
    assert any(p.source == "docs/scs/rdp-login-failed.md" and p.meta["match"] == "strong" for p in kept)
