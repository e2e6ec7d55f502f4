"""A later ask about the first ask's subject is answered from the first ask's page (graph/siblings.py)."""

from __future__ import annotations

import pytest

from graph.question_type import question_type
from graph.siblings import own_titled, shares_subject, subject_pages
from graph.subject import DomainTerms
from tests.graph.conftest import asker

TERMS = DomainTerms(["实例", "关机", "内网", "mysql", "慢查询", "cdn", "clb", "回源", "超时"])


def test_a_later_ask_shares_the_subject_only_through_a_thing_the_first_names():
    assert shares_subject("关机 内网ip会变不", "实例关机了还扣钱吗", TERMS)
    assert not shares_subject("clb 的空闲超时又是多少", "cdn 回源多少秒", TERMS)


def test_a_thing_of_its_own_that_another_page_is_titled_by_keeps_the_ask_on_that_page():
    assert own_titled("mysql 慢查询怎么看", "mysql 报 1040 咋整", ["MySQL 慢查询分析与优化"], TERMS)
    assert not own_titled("关机 内网ip会变不", "实例关机了还扣钱吗", ["弹性公网 IP 绑定与带宽"], TERMS)


def test_the_subject_page_is_a_strongly_selected_page_never_the_faq_file():
    picked = [{"source": "docs/a.md", "kind": "doc", "meta": {"match": "partial"}},
              {"source": "docs/b.md", "kind": "doc", "meta": {"match": "strong"}},
              {"source": "faq/faq.jsonl", "kind": "faq", "meta": {"match": "strong"}}]
    assert subject_pages(picked) == ["docs/b.md"]


def test_a_verb_with_a_trailing_bu_asks_yes_or_no():
    assert question_type("内网ip会变不") == "value"
    assert question_type("还能用不") == "value"


@pytest.fixture(scope="module")
def ask(demo_knowledge):
    return asker(demo_knowledge, "shared")


def test_the_second_ask_is_answered_from_the_first_asks_page(ask):
    result = ask("实例关机了还扣钱吗 内网ip会变不")
    second = result["sections"][1]
    assert "内网 IP 在实例释放之前保持不变" in second["answer"], second
    assert {c["source"] for c in second["citations"]} == {"docs/scs/instance-lifecycle.md"}, second


def test_a_second_ask_with_a_page_of_its_own_keeps_it(ask):
    result = ask("mysql 报 1040 咋整？另外慢查询怎么看")
    second = result["sections"][1]
    assert "docs/mysql/slow-query.md" in {c["source"] for c in second["citations"]}, second


def test_an_english_term_is_a_word_of_its_own_not_a_piece_of_a_longer_one():
    terms = DomainTerms(["fail", "oom", "kill", "code", "restart", "ip", "cpu", "内网", "oomkilled"])
    assert terms.phrase("corends 日志里一堆 SERVFAIL，上游解析是好的") == ""  # not "FAIL"
    assert terms.phrase("服务跑一阵就 OOMKilled，exitCode 137，RESTARTS 越来越多") == "OOMKilled"
    assert terms.phrase("cpu100% 内网ip 的 eip") == "cpu 内网 ip"  # a digit or a Chinese character ends a word


def test_a_quoted_status_gives_the_second_ask_its_word_not_pieces_of_it():
    from graph.questions import split_message

    terms = DomainTerms(["oom", "kill", "code", "restart", "oomkilled", "pod"])
    second = split_message("服务跑一阵就 OOMKilled，exitCode 137，RESTARTS 越来越多，这是被谁杀的？咋处理", terms)[1]
    assert second == "OOMKilled 咋处理", second  # not "OOMKilled Code RESTART 咋处理"


def test_haoji_counts_nothing_so_the_subject_runs_on():
    from graph.subject import subject_of

    assert subject_of("已经好几个小时了，正常吗").startswith("已经好几个小时了")
    assert subject_of("规则最多几条") == "规则"


def test_a_bare_verb_takes_back_the_object_the_first_ask_gave_it():
    from graph.questions import split_message

    terms = DomainTerms(["eip", "账号", "自定义镜像"])
    assert split_message("eip没绑东西也收费？收多少", terms)[1] == "eip 收费多少"
    assert "给别" not in split_message("做好的能给别的账号用吗 最多给几个", terms)[1]  # 别 is no object


def test_done_with_the_action_leans_on_the_first_ask():
    from graph.questions import split_message

    terms = DomainTerms(["kubeadm", "kubectl", "证书", "重启", "云盘"])
    second = split_message("kubeadm 集群今天 kubectl 报证书过期，怎么续期？续完还要重启啥", terms)[1]
    assert second.startswith("kubeadm") and "续期" in second and second.endswith("续完还要重启啥"), second
    assert split_message("完全不懂 怎么弄", terms) == ["完全不懂 怎么弄"]  # 完全 is a word, not "done"
