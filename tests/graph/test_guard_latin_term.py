"""guard on a question about the base's own subject with a technical term it never writes
(graph/domain_score.latin_terms_beside_subject): in domain, to be answered as not found, while an unknown
Chinese head or a general-software question stays refused."""

from __future__ import annotations

import pytest

from graph.domain_check import judge_message
from tests.graph.conftest import make_context


@pytest.mark.parametrize("message", [
    "云服务器上怎么装 wireguard",  # the base's product and a Latin term it never writes
    "云服务器怎么配置 ipv6",
])
def test_a_latin_term_beside_the_bases_subject_is_in_domain(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "answer", verdict


@pytest.mark.parametrize("message", [
    "负载均衡饮食法是什么",  # an unknown Chinese head: the base's term only says what kind
    "负载均衡训练法怎么安排 wireguard",  # a Latin term does not make the unknown head the base's
    "Python 列表怎么排序",  # the language's own question
    "java 的 hashmap 怎么遍历",
])
def test_an_unknown_chinese_head_or_a_languages_question_stays_refused(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "refuse", verdict
