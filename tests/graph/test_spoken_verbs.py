"""Spoken verbs read as the base's verb one character away (graph/spoken_forms.swapped_verbs): 换绑 -> 改绑;
the message the guard hands on carries them, so retrieval and the relevance check read them."""

from __future__ import annotations

import pytest

from graph.spoken_forms import swapped_verbs, written_forms
from tests.graph.conftest import asker
from tests.graph.fakes import WordBase

BASE = WordBase({"改了", "改绑", "关闭", "删除", "停止", "卸载", "更换", "换成", "改成"})


@pytest.mark.parametrize("text, written", [
    ("eip 换绑", "eip 改绑"),
    ("防火墙怎么关掉", "防火墙怎么关掉"),  # 掉 for 闭 lost a dev turn: not read
    ("更换绑定", "更换绑定"),  # 换 is the base's 更换
    ("换成 ssd", "换成 ssd"),  # the base writes the spoken word itself
    ("换个 ip", "换个 ip"),
    ("图片换了 cdn 上还是旧的", "图片换了 cdn 上还是旧的"),  # 换 done, though the base writes 改了
])
def test_spoken_verbs_read_as_the_bases_verbs(text, written):
    assert swapped_verbs(text, BASE) == written


def test_a_base_without_the_written_verb_keeps_the_spoken_one():
    assert written_forms("eip 换绑", WordBase({"绑定"})) == "eip 换绑"


def test_a_spoken_verb_reaches_the_page_of_the_written_one(demo_knowledge):
    result = asker(demo_knowledge, "swap")("eip 换绑")
    assert "docs/vpc/eip.md" in [c["source"] for c in result["citations"]], result["answer"]
