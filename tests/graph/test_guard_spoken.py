"""guard on spoken messages (issue #12, gate4): money phrases read as the base's billing words, known
nouns that only modify an unknown head, and the rates of the frozen spoken guard set."""

from __future__ import annotations

import pytest

from graph.domain_check import judge
from graph.domain_score import content_tokens, modifying_unknown_heads, names_known_thing
from tests.graph.conftest import REPO, make_context, read_jsonl


@pytest.mark.parametrize("text, modifiers", [
    ("集群舞蹈比赛怎么报名", {"集群"}),  # a 比赛: 集群 says what kind
    ("家里备份的钥匙找不着了", {"备份"}),  # joined by 的
    ("云服务器的带宽不够", set()),  # the head 带宽 is the base's
    ("k8s 集群 ingress 不通", set()),  # apart, and an ASCII name is no head noun
])
def test_known_nouns_that_only_modify_an_unknown_head(demo_knowledge, text, modifiers):
    vocab = make_context(demo_knowledge).vocabulary.get(demo_knowledge, "demo")
    assert modifying_unknown_heads(text, content_tokens(text, vocab), vocab) == modifiers


def test_a_modifier_names_no_known_thing(demo_knowledge):
    vocab = make_context(demo_knowledge).vocabulary.get(demo_knowledge, "demo")
    tokens = content_tokens("集群舞蹈比赛怎么报名", vocab)
    assert names_known_thing(tokens, vocab) and not names_known_thing(tokens, vocab, "集群舞蹈比赛怎么报名")
    ssh = "服务器连不上"
    assert names_known_thing(content_tokens(ssh, vocab), vocab, ssh)


@pytest.mark.parametrize("message", ["集群舞蹈比赛怎么报名", "家里备份的钥匙找不着了", "服务器餐厅服务员"])
def test_phrases_about_an_unknown_head_are_refused(demo_knowledge, message):
    verdict = judge(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "refuse", verdict
