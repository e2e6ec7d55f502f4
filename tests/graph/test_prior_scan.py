"""An elliptic follow-up asking a kind of value is answered from the previous answer's page
(graph/asked_kind.py, graph/prior_scan.py): unit checks on built pages, then conversations on the
keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.asked_kind import answers, asked_kinds
from graph.prior_scan import prior_page_first
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/quota.md"
CHUNKS = {
    PAGE: [
        {"chunk_id": "w-0", "heading_path": ["组件配额"], "kind": "doc",
         "text": "组件是一种托管资源。创建组件后即可在控制台查看。"},
        {"chunk_id": "w-1", "heading_path": ["组件配额", "使用限制"], "kind": "doc",
         "text": "- 每个地域最多创建 30 个组件；\n- 每个组件最多绑定 8 条路由。"},
        {"chunk_id": "w-2", "heading_path": ["组件配额", "计费"], "kind": "doc",
         "text": "组件按小时收取费用，闲置时不收费。修改规格立即生效，不会中断连接。"},
    ],
}
PRIOR = {"text": "组件是一种托管资源。", "sources": [PAGE, "faq/faq.jsonl"], "titles": {PAGE: "组件配额"},
         "question": "组件是什么"}
OTHER = {"chunk_id": "faq-9", "source": "faq/faq.jsonl", "title": "常见问题", "kind": "faq", "heading_path": [],
         "text": "问：网关最多能建几个？\n答：每个地域最多 10 个网关。", "meta": {"match": "strong"}}


class _Vocab:
    lexicon = {"网关", "组件", "路由"}

    def tokenize(self, text: str) -> list[str]:
        return [w for w in ("网关", "组件", "路由", "地域") if w in text]

    def knows(self, token: str) -> bool:
        return token in self.lexicon


def _scan(message: str, chosen: list, prior: dict | None = None) -> list:
    return prior_page_first(chosen, message, f"组件 {message}", prior or PRIOR, lambda s: CHUNKS.get(s, []),
                            _Vocab(), "kb")


def test_the_kind_a_follow_up_asks_and_the_sentence_giving_it():
    assert [k.name for k in asked_kinds("那要收费吗")] == ["price"]
    assert [k.name for k in asked_kinds("一次最多能弄几条")] == ["limit", "count:条"]
    assert [k.name for k in asked_kinds("改完会断吗")] == ["interrupt"]
    assert asked_kinds("怎么创建组件") == []
    assert answers(asked_kinds("多久生效"), "通常几分钟内在全网完成")
    assert not answers(asked_kinds("最多能建几个"), "每个组件最多绑定 8 条路由")  # 条, not 个


def test_a_count_follow_up_gets_the_line_of_the_previous_page_not_another_products_faq():
    found = _scan("一个地域最多能建几个", [OTHER])
    assert [p["chunk_id"] for p in found] == ["w-1"]
    assert found[0]["text"] == "- 每个地域最多创建 30 个组件；"  # the answering line alone
    assert found[0]["title"] == "组件配额" and found[0]["kb"] == "kb"


def test_a_price_and_an_interruption_follow_up_find_their_sentences():
    assert _scan("这个要收钱吗", [])[0]["chunk_id"] == "w-2"
    assert "不会中断连接" in _scan("改规格会断吗", [])[0]["text"]


def test_a_follow_up_naming_a_thing_the_page_never_mentions_is_left_alone():
    assert _scan("那网关最多能建几个", [OTHER]) == [OTHER]


def test_a_selection_of_the_page_that_answers_already_stays():
    own = {**CHUNKS[PAGE][1], "source": PAGE, "title": "组件配额", "meta": {"match": "strong"}}
    assert _scan("一个地域最多能建几个", [own]) == [own]


def test_a_follow_up_asking_no_kind_of_value_is_left_alone():
    assert _scan("怎么创建", [OTHER]) == [OTHER]


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


_sessions = itertools.count()


def _body(result: dict) -> str:
    return result["answer"].split("**参考来源**")[0]


def _cited(result: dict) -> list[str]:
    return [c["source"] for c in result.get("citations") or []]


def test_a_price_follow_up_is_answered_from_the_expansion_page_not_a_faq_entry(demo):
    session = f"prior-scan-{next(_sessions)}"
    demo.ask("云盘怎么扩容", session, kb="demo")
    result = demo.ask("扩容要另外花钱吗", session, kb="demo").to_json()
    assert "补缴差价" in _body(result), result["answer"]
    assert _cited(result) == ["docs/disk/expand-disk.md"], result["answer"]


def test_a_count_follow_up_is_answered_from_the_image_page_not_another_products_faq(demo):
    session = f"prior-scan-{next(_sessions)}"
    demo.ask("自定义镜像怎么共享给别人", session, kb="demo")
    result = demo.ask("最多能共享几个账号", session, kb="demo").to_json()
    assert "50 个账号" in _body(result), result["answer"]
    assert "MySQL" not in _body(result), result["answer"]
