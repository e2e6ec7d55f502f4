"""A later ask of one message asking a value is answered from its first ask's page (graph/first_ask_page.py,
graph/prior_scan.page_line): unit checks on a built page, then messages on the keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.first_ask_page import first_ask_page, value_kinds
from graph.prior_scan import page_line
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/quota.md"
CHUNKS = {
    PAGE: [
        {"chunk_id": "w-0", "heading_path": ["组件配额"], "kind": "doc",
         "text": "组件是一种托管资源。每个地域最多创建 30 个组件。"},
        {"chunk_id": "w-1", "heading_path": ["组件配额", "刷新"], "kind": "doc",
         "text": "- 每天最多刷新 100 次；\n- 刷新配额用尽后提交会失败，配额每天零点重置。"},
        {"chunk_id": "w-2", "heading_path": ["组件配额", "计费"], "kind": "doc",
         "text": "组件按小时收取费用。修改规格期间会有一次秒级闪断。"},
        {"chunk_id": "w-3", "heading_path": ["组件配额", "刷新", "控制台操作"], "kind": "doc",
         "text": "1. 进入控制台提交刷新；\n2. 提交后通常几分钟内在全网完成。"},
    ],
}


class _Vocab:
    lexicon = {"组件", "配额", "网关"}

    def tokenize(self, text: str) -> list[str]:
        return [w for w in ("组件", "配额", "刷新", "网关", "地域", "重置", "规格") if w in text]

    def knows(self, token: str) -> bool:
        return token in self.lexicon


def _line(ask: str, first: str) -> str | None:
    found = page_line(ask, f"组件 {ask}", [PAGE], lambda s: CHUNKS.get(s, []), _Vocab(), "kb",
                      said_before=first, kinds=value_kinds(ask))
    return None if found is None else found["text"]


def test_a_later_ask_gets_the_line_of_the_first_asks_page_giving_its_value():
    assert "零点重置" in (_line("配额用光了什么时候恢复", "组件一天能刷新几次") or "")


def test_a_line_naming_what_the_value_is_of_only_in_its_heading_is_read_under_it():
    assert "全网完成" in (_line("组件刷新完多久全网生效", "组件一天能刷新几次") or "")


def test_a_line_holding_only_the_first_asks_words_answers_nothing_of_the_later_ask():
    # "30 个组件" gives a count, but of what the first ask named: the later ask's own word (网关) is not on it
    assert _line("网关一个地域能建几个", "组件一个地域能建几个") is None


def test_only_values_asked_by_a_question_word_are_read():
    # whether a change interrupts service is a verdict: the ask's own selection judges it
    assert value_kinds("改规格的时候会断吗") == []
    assert _line("改规格的时候会断吗", "组件怎么改规格") is None
    assert [k.name for k in value_kinds("最多能共享给几个账号")] == ["limit", "count:个"]


def test_the_first_asks_page_is_its_strong_page_else_its_most_relevant_document():
    faq = {"source": "faq/faq.jsonl", "kind": "faq", "meta": {"match": "strong"}}
    doc = {"source": PAGE, "kind": "doc", "meta": {"match": "partial"}}
    assert first_ask_page([doc, faq]) == [PAGE]
    assert first_ask_page([faq]) == []


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


_sessions = itertools.count()


def _section(result: dict, n: int) -> str:
    body = result["answer"].split("**参考来源**")[0]
    return body.split(f"**{n}. ")[1].split("\n\n**")[0] if f"**{n}. " in body else ""


def test_a_quota_reset_asked_after_the_daily_quota_is_answered_from_the_refresh_page(demo):
    result = demo.ask("cdn 目录刷新一天能刷几个？配额用光了什么时候恢复", f"first-page-{next(_sessions)}",
                      kb="demo").to_json()
    assert "零点重置" in _section(result, 2), result["answer"]


def test_a_share_count_asked_after_the_image_build_time_is_the_image_pages(demo):
    result = demo.ask("做一个自定义镜像大概要多久，一个镜像最多能共享给几个账号", f"first-page-{next(_sessions)}",
                      kb="demo").to_json()
    second = _section(result, 2)
    assert "50 个账号" in second and "MySQL" not in second, result["answer"]
