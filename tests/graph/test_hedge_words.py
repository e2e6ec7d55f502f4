"""The hedge names a word only when the cited evidence holds it in none of its forms (graph/hedge_words.py),
and everyday "cannot V" wording (看不到) is no gap of an answer (graph/hedge_terms.py)."""

from __future__ import annotations

from graph.hedge_terms import _cannot
from graph.hedge_words import evidence_says, forms
from graph.service import Copilot
from tests.graph.conftest import make_context


def test_a_word_is_held_in_its_inflected_forms_case_and_chinese_terms():
    assert "events" in forms("event") and "event" in forms("events")
    assert evidence_says("event", "输出末尾的 Events: 部分会直接说明原因")
    assert evidence_says("namespace", "Secret 不在 Pod 所在的命名空间")  # the glossary's term
    assert evidence_says("preflight", "浏览器先发预检请求", {"preflight": ["预检请求"]})  # the base's stated pair
    assert not evidence_says("terraform", "使用自定义镜像批量部署实例")
    assert not evidence_says("event", "eventbus 消息")  # a whole word, not a part of another


def test_cannot_v_is_the_users_wording():
    assert _cannot("看不到") and _cannot("打不开") and _cannot("找不到")
    assert not _cannot("数据盘") and not _cannot("不到位")


def test_demo_answers_holding_the_word_in_another_form_are_not_hedged(demo_knowledge):
    """Real selection on the demo base: the pages answer these (their words: "Events", 挂载 ... df -h)."""
    copilot = Copilot(make_context(demo_knowledge))
    for question in ("新发的 pod 一直 pending，event 里 0/3 nodes are available: 3 Insufficient cpu",
                     "网站证书过期了 chrome 报 NET::ERR_CERT_DATE_INVALID，已经 renew 过了还是报"):
        text = copilot.ask(question, question).answer
        assert "知识库中没有" not in text and "[1]" in text, text


def test_a_subject_the_base_never_writes_is_still_named(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    text = copilot.ask("想用 terraform 批量开云服务器，模板怎么写", "t").answer
    assert text.startswith("知识库中没有") and "“terraform”" in text, text
