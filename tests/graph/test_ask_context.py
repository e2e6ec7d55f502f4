"""ask_context: a later ask that leaves its object to the first ask is read with it (issue #12)."""

from __future__ import annotations

import pytest

from graph.ask_context import in_first_context
from tests.graph.conftest import asker


def _p(cid: str, match: str = "partial") -> dict:
    return {"chunk_id": cid, "meta": {"match": match}, "source": f"docs/{cid}.md", "text": cid}


def test_only_a_strong_pick_of_the_joined_text_counts():
    found = {"有效期多久 续了怎么换": [_p("validity"), _p("replace")]}

    def choose(text: str, pool: list) -> list:
        return [_p(p["chunk_id"], "strong" if p["chunk_id"] == "replace" else "partial") for p in pool]

    picked = in_first_context("有效期多久", "续了怎么换", [], lambda q: found.get(q, []), choose)  # type: ignore[arg-type]
    assert [p["chunk_id"] for p in picked] == ["validity", "replace"]
    assert in_first_context("有效期多久", "续了怎么换", [], lambda q: [_p("other")], lambda t, pool: pool) == []  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ask_keyword(keyword_demo):
    return asker(keyword_demo, "ask2")


def test_a_second_ask_about_the_first_asks_object_gets_its_own_fact(ask_keyword):
    # 那张 = the invoice whose title is wrong: the page's 红冲 answer, not the special-invoice verdict alone
    answer = ask_keyword("发票抬头写错了还能改吗？已经开出来的那张怎么处理")["answer"]
    assert "红冲" in answer
    # 续了 = the certificate: the certificate page, not "not found" beside the DNS page's 旧地址
    answer = ask_keyword("免费的 ssl 证书有效期多久啊？续了以后 clb 上挂的还是旧的要咋换")["answer"]
    assert "90 天" in answer and "没有找到" not in answer and "已经续期" in answer
