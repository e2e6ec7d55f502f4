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


def _thread_on(page: str, title: str, said: str, chunks: list[dict]) -> dict:
    """Registers the page's chunks; the prior of a thread that answered `said` from it (asked `title`)."""
    CHUNKS[page] = chunks
    return {"text": said, "sources": [page], "titles": {page: title}, "question": title}


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
    assert set(_cited(result)) == {"docs/disk/expand-disk.md"}, result["answer"]


def test_a_count_follow_up_is_answered_from_the_image_page_not_another_products_faq(demo):
    session = f"prior-scan-{next(_sessions)}"
    demo.ask("自定义镜像怎么共享给别人", session, kb="demo")
    result = demo.ask("最多能共享几个账号", session, kb="demo").to_json()
    assert "50 个账号" in _body(result), result["answer"]
    assert "MySQL" not in _body(result), result["answer"]


def test_a_stop_and_an_immediacy_are_asked_kinds():
    assert [k.name for k in asked_kinds("扩的时候业务会停吗")] == ["interrupt"]
    assert [k.name for k in asked_kinds("规则改了马上生效吗")] == ["duration"]
    assert answers(asked_kinds("马上生效吗"), "规则保存后即刻生效。")


ROWS = "docs/widget/classes.md"
CHUNKS[ROWS] = [
    {"chunk_id": "r-0", "heading_path": ["组件类型", "注意事项"], "kind": "doc",
     "text": "- 建议近 30 天用标准组件、之后改用冷组件的分级做法。"},
    {"chunk_id": "r-1", "heading_path": ["组件类型", "类型对比"], "kind": "doc",
     "text": "对比如下：（表头：类型 | 启动说明）\n类型: 标准；启动说明: 直接启动\n类型: 冷组件；启动说明: 需先预热，耗时 1-5 小时"},
]
ROW_PRIOR = {"text": "组件分为标准和冷组件。", "sources": [ROWS], "titles": {ROWS: "组件类型"}, "question": "组件有几种"}


def _own(chunk: dict) -> dict:
    return {**chunk, "source": ROWS, "title": "组件类型", "meta": {"match": "strong"}}


def test_a_section_answering_less_closely_yields_to_the_row_stating_the_new_aspect():
    # the row is one unit (its key names what its values are of); the words before the asking form weigh more
    found = _scan("改成冷组件之后启动要等多久", [_own(CHUNKS[ROWS][0])], ROW_PRIOR)
    assert [p["chunk_id"] for p in found] == ["r-1"] and "1-5 小时" in found[0]["text"]
    both = _scan("改成冷组件之后启动要等多久", [_own(CHUNKS[ROWS][1]), _own(CHUNKS[ROWS][0])], ROW_PRIOR)
    assert [p["chunk_id"] for p in both] == ["r-1"] and both[0]["text"].startswith("类型: 冷组件")


def test_a_time_asked_with_an_undo_word_gets_the_time_when_no_sentence_gives_both():
    assert "立即生效" in _scan("改完啥时候恢复", [])[0]["text"]


def test_the_thread_page_answers_a_new_aspect_from_the_section_stating_it(demo):
    session = f"prior-scan-{next(_sessions)}"
    demo.ask("sos 生命周期规则配了好几天没生效", session, kb="demo")
    result = demo.ask("转成归档之后读取要等多久", session, kb="demo").to_json()
    assert _body(result).startswith("存储类型: 归档"), result["answer"]  # the row leads, not the tiering tip
    assert set(_cited(result)) == {"docs/sos/lifecycle.md"}, result["answer"]


def test_a_reset_the_previous_answer_named_in_passing_is_given_when_asked(demo):
    session = f"prior-scan-{next(_sessions)}"
    demo.ask("cdn 上的js更新了 用户拿到的还是旧版", session, kb="demo")
    demo.ask("那目录刷新一天能提交多少", session, kb="demo")
    result = demo.ask("额度用完了啥时候恢复", session, kb="demo").to_json()
    assert "零点重置" in _body(result), result["answer"]
    assert "sscli" not in _body(result), result["answer"]


def test_a_stop_follow_up_gets_the_sentence_saying_none_not_the_paragraph_around_it(demo):
    session = f"prior-scan-{next(_sessions)}"
    demo.ask("云盘怎么扩容", session, kb="demo")
    result = demo.ask("扩容的时候服务会停吗", session, kb="demo").to_json()
    assert "无需关机" in _body(result), result["answer"]
    assert set(_cited(result)) == {"docs/disk/expand-disk.md"}, result["answer"]


def test_a_list_items_ordinal_is_no_value():
    page = "docs/widget/causes.md"
    prior = _thread_on(page, "组件费用", "组件费用来源", [
        {"chunk_id": "c-0", "heading_path": ["组件费用"], "kind": "doc",
         "text": "常见来源：\n1. 组件带宽在活动期间突增；\n2. 闲置组件忘记释放。"}])
    assert _scan("带宽最高能调到多少", [OTHER], prior) == [OTHER]


def test_an_error_code_rows_thread_asks_its_page_what_the_row_does_not_say(demo):
    # the previous answer is an error-code row; the page quoting the code states the interruption
    session = f"prior-scan-{next(_sessions)}"
    first = demo.ask("ERROR 1290 super-read-only 是什么错误", session, kb="demo").to_json()
    assert "tables/error-codes.csv" in _cited(first), first["answer"]
    result = demo.ask("扩容的时候会影响业务吗", session, kb="demo").to_json()
    assert "不影响业务连接" in _body(result), result["answer"]
    assert set(_cited(result)) == {"docs/mysql/storage-full.md"}, result["answer"]


def test_a_question_on_the_page_answers_nothing_itself_and_its_answer_reads_with_it():
    page = "docs/widget/faq-like.md"
    prior = _thread_on(page, "组件删除", "组件删除后", [
        {"chunk_id": "q-0", "heading_path": ["组件删除", "计费"], "kind": "doc",
         "text": "欠费超过 15 天的组件会被删除，数据无法找回。"},
        {"chunk_id": "q-1", "heading_path": ["组件删除", "常见问题"], "kind": "doc",
         "text": "**Q：误删除了组件还能恢复吗？**\n不能。删除是不可逆操作，建议开启删除保护。"},
    ])
    found = _scan("误删除了能找回来吗", [], prior)
    assert found[0]["text"] == "不能。删除是不可逆操作，建议开启删除保护。"


def test_a_commands_argument_states_no_value():
    page = "docs/widget/bandwidth.md"
    prior = _thread_on(page, "组件带宽", "组件带宽", [
        {"chunk_id": "b-0", "heading_path": ["组件带宽", "调整带宽"], "kind": "doc",
         "text": "修改后立即生效。\n\n```bash\nsscli widget modify-bandwidth --bandwidth 50\n```"},
        {"chunk_id": "b-1", "heading_path": ["组件带宽", "基本规则"], "kind": "doc",
         "text": "对比如下：\n项目: 带宽范围；说明: 1-200 Mbps，可随时调整"},
    ])
    assert "1-200 Mbps" in _scan("带宽最大能调多少", [], prior)[0]["text"]
