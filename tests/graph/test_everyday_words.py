"""Plain questions a support agent types (new-user QA on the demo base, keyword-only): their spoken
words reach the page that writes the documentation's terms (graph/synonyms.yaml, selection's word
groups), and the expansion never turns a page's full match into the partial-match hedge."""

from __future__ import annotations

import pytest

from graph.expansion import synonym_terms
from graph.service import Copilot
from tests.graph.conftest import make_context

HEDGE = "没有与问题完全对应"


@pytest.mark.parametrize("question, page", [
    ("windows 远程桌面连不上", "docs/scs/rdp-login-failed.md"),
    ("硬盘满了", "docs/disk/disk-full.md"),
    ("cpu 一直百分百 咋回事", "docs/scs/cpu-high.md"),
    ("eip 带宽不够用怎么升级", "docs/vpc/eip.md"),
    ("实例重启后控制台上一直在转圈", "docs/scs/reboot-stuck.md"),  # 转圈 is stuck (重启卡住), not the lifecycle page
])
def test_everyday_words_reach_the_page(keyword_demo, question, page):
    result = Copilot(make_context(keyword_demo)).ask(question, "s")
    assert page in [c["source"] for c in result.citations]


def test_an_expanded_word_does_not_hedge_a_full_match(keyword_demo):
    result = Copilot(make_context(keyword_demo)).ask("windows 远程桌面连不上", "s")
    assert HEDGE not in result.answer


@pytest.mark.parametrize("question, term", [
    ("sdk 上传老说签名对不上", "不匹配"),  # the pages write 签名错误 / 证书与域名不匹配
    ("acl 只放了入方向 回包被丢了", "返回流量"),
    ("重启以后状态一直在转", "卡住"),
    ("快到期了能不能提前收到通知", "提醒"),
])
def test_spoken_words_add_the_pages_term(question, term):
    assert term in synonym_terms(question)
