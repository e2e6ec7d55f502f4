"""Typos through a whole turn on the demo base: the answer is the one to the question spelt right, and no
hedge names the typo as a word the base lacks (graph.spelling, graph.ascii_typos)."""

from __future__ import annotations

from graph.service import Copilot


def test_a_misspelt_name_is_answered_as_the_bases_word(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    for typed, meant in (("windowss", "windows"), ("ubunntu", "ubuntu")):  # a letter doubled
        found = copilot.ask(f"{typed} 远程登录连不上", f"typo-{typed}")
        right = copilot.ask(f"{meant} 远程登录连不上", f"right-{typed}")
        assert found.standalone == right.standalone and found.answer == right.answer
        assert typed not in found.answer


def test_two_words_beside_each_other_are_not_read_as_a_term(demo_knowledge) -> None:
    from graph.spelling import SpellingFixer
    from graph.vocabulary import DomainVocabulary

    fix = SpellingFixer.for_vocabulary(DomainVocabulary().get(demo_knowledge, "demo"))
    for text in ("要是一直不充呢 里面数据会咋样", "证书跟域名对不上 浏览器报错"):  # not 补充, 根域名
        assert fix.correct(text) == text
    assert fix.correct("云盘扩荣后 df -h 看大小没变") == "云盘扩容后 df -h 看大小没变"
