"""ask_context: a later ask that leaves its object to the first ask is read with it (issue #12)."""

from __future__ import annotations

import pytest

from graph.ask_context import in_first_context, with_first_context
from graph.subject import DomainTerms
from tests.graph.conftest import asker, corpora_asker


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
    # 续了 = the certificate: the certificate page, not "not found" beside the DNS page's 旧地址
    answer = ask_keyword("免费的 ssl 证书有效期多久啊？续了以后 clb 上挂的还是旧的要咋换")["answer"]
    assert "90 天" in answer and "没有找到" not in answer and "已经续期" in answer


def _unit(cid: str, source: str, text: str, match: str = "strong") -> dict:
    return {"chunk_id": cid, "meta": {"match": match}, "source": source, "text": text}


def _pick(first_pool: list, joined_pool: list, full_words: str) -> list:
    """with_first_context over fakes: the later ask "证书怎么配" off its subject (a strong unit on a page
    never naming 证书); `full`: a unit holding every word of `full_words`."""
    chosen = [_unit("dns", "docs/dns.md", "解析记录")]
    found = {"a 跟 b 有啥区别": first_pool, "a 跟 b 有啥区别 证书怎么配": joined_pool}
    return with_first_context(chosen, "a 跟 b 有啥区别", "证书怎么配", [], lambda q: found.get(q, []),  # type: ignore[arg-type]
                              lambda t, pool: pool, lambda p: str(p.get("text") or ""), DomainTerms(["证书"]), 3,
                              lambda p: all(w in str(p.get("text") or "") for w in full_words.split()))


def test_a_pick_counts_only_where_the_first_ask_does_not_hold_it_and_it_is_no_hedge():
    entry = _unit("faq-1", "faq/a-b.md", "b 必须配置证书")
    other = _unit("gw", "docs/gateway.md", "网关的证书 secret")
    # the first ask's entry holds the later ask's words: another page's section adds nothing, the entry may
    assert [p["chunk_id"] for p in _pick([entry], [entry, other], "证书")] == ["faq-1"]
    assert [p["chunk_id"] for p in _pick([entry], [other], "证书")] == ["dns"]
    # otherwise another page's strong unit holding them is the later ask's own
    assert [p["chunk_id"] for p in _pick([], [other], "证书")] == ["gw"]
    # a strong unit not holding the ask's words (the answer would be hedged) adds nothing
    assert [p["chunk_id"] for p in _pick([], [other], "证书 配置")] == ["dns"]


PAGES = [f"istio-zh/content/zh/{p}" for p in (
    "docs/ops/common-problems/network-issues/index.md",
    "about/faq/traffic-management/difference-between-mutual-and-istio-mutual.md",
    "docs/tasks/traffic-management/ingress/secure-ingress/index.md")]


@pytest.fixture(scope="module")
def ask_corpora(tmp_path_factory):
    yield from corpora_asker(tmp_path_factory, PAGES, "askctx")


def test_the_first_asks_entry_holding_the_later_ask_gets_no_other_section(ask_corpora):
    # the entry comparing them says when MUTUAL needs its own certificates: no hedged gateway section added
    answer = ask_corpora("istio_mutual 跟 mutual 有啥区别？啥时候得自己配证书").split("**参考来源**")[0]
    assert "必须配置密钥、证书和可信任的 CA" in answer and "部分相关" not in answer, answer
