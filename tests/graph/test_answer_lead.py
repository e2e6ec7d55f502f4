"""The line that answers leads (graph/answer_lead.py): a causes row or check row holding what is asked moves
ahead of checks from other passages naming nothing asked it lacks; a procedure's steps and the page's fix
are never cut, a list's items are never moved ahead of their own list's earlier items."""

from __future__ import annotations

from graph.answer_lead import lead_with_answer
from graph.doc_units import Unit
from graph.padding import holding_line
from graph.passages import to_state
from graph.relevance import QuestionTerms
from knowledge.types import Passage

TITLE = "回源失败"


def doc(chunk_id: str, heads: list[str], text: str, **meta) -> dict:
    return to_state(Passage(chunk_id=chunk_id, source="docs/cdn/origin.md", title=TITLE, heading_path=heads, text=text,
                            kind="doc", kb="demo",
                            meta={"indexed_text": " > ".join([TITLE, *heads]) + "\n" + text, **meta}))


FIX = doc("o-1", ["解决方法"], "1. **修正回源 Host**：设为加速域名。")
CHECK = doc("o-2", ["排查步骤"], "返回 404 说明回源 Host 不对。\n- **查看源站日志**：grep 节点。", added="focus")
CAUSES = doc("o-3", ["可能原因"], "| 原因 | 说明 |\n| --- | --- |\n| 回源 Host 错误 | 源站 Nginx 按 Host 区分站点 |",
             added="causes")
PASSAGES = [FIX, CHECK, CAUSES]
TERMS = QuestionTerms({"nginx": 4.0, "站点": 4.0, "多个": 3.0, "回源": 1.0})
CHECK_UNITS = [(2, Unit("sentence", "返回 404 说明回源 Host 不对。")), (2, Unit("item", "**查看源站日志**：grep 节点。"))]
ROW = (3, Unit("row", "回源 Host 错误：源站 Nginx 按 Host 区分站点"))
FIX_UNIT = (1, Unit("item", "**修正回源 Host**：设为加速域名。", number=1))


def test_the_causes_row_holding_what_is_asked_leads_and_the_check_before_it_goes():
    picked, groups = lead_with_answer(PASSAGES, [*CHECK_UNITS, ROW, FIX_UNIT], [1, 2, 3, 4], TERMS)
    assert [u.text for _, u in picked] == [ROW[1].text, FIX_UNIT[1].text]
    assert groups == [3, 4]


def test_a_check_naming_something_asked_the_row_lacks_follows_it():
    check = [(2, Unit("sentence", "多个节点时看 server_name。"))]
    picked, _ = lead_with_answer(PASSAGES, [*check, ROW, FIX_UNIT], [1, 2, 3], TERMS)
    assert [u.text for _, u in picked] == [ROW[1].text, check[0][1].text, FIX_UNIT[1].text]


def test_the_fix_before_the_row_is_kept_after_it():
    picked, _ = lead_with_answer(PASSAGES, [FIX_UNIT, ROW], [1, 2], TERMS)
    assert [u.text for _, u in picked] == [ROW[1].text, FIX_UNIT[1].text]


def test_a_prose_sentence_does_not_lead():
    said = (2, Unit("sentence", "源站 Nginx 按 Host 区分多个站点。"))
    picked = [CHECK_UNITS[1], said]
    assert holding_line(PASSAGES, picked, TERMS) == 1
    assert lead_with_answer(PASSAGES, picked, [1, 2], TERMS)[0] == picked


def test_a_causes_item_leads_and_its_list_keeps_only_items_naming_something_asked():
    causes = doc("o-4", ["可能原因"], "1. a\n2. b\n3. c", added="causes")
    items = [(1, Unit("item", "流量增长，规格不足。", number=1)), (1, Unit("item", "源站 nginx 站点配置错。", number=2)),
             (1, Unit("item", "多个节点被拦截。", number=3))]
    picked, _ = lead_with_answer([causes], items, [1, 2, 3], TERMS)
    assert [u.text for _, u in picked] == ["源站 nginx 站点配置错。", "多个节点被拦截。"]


def test_an_item_is_not_moved_ahead_of_its_own_lists_earlier_items():
    steps = doc("o-5", ["排查步骤"], "1. a\n2. b")
    items = [(1, Unit("item", "先看日志。", number=1)), (1, Unit("item", "源站 nginx 按多个站点区分。", number=2))]
    assert lead_with_answer([steps], items, [1, 2], TERMS)[0] == items


def test_a_check_rows_lead_keeps_the_causes_list_holding_the_cause_behind_it():
    checks = doc("o-6", ["排查步骤"], "| 消息 | 原因 |", added="focus")
    causes = doc("o-7", ["可能原因"], "1. a\n2. b", added="causes")
    items = [(2, Unit("item", "源站无法访问公网。", number=1)), (2, Unit("item", "凭据失效。", number=2))]
    row = (1, Unit("row", "nginx 多个站点 timeout：网络不通"))
    picked, _ = lead_with_answer([checks, causes], [*items, row], [1, 2, 3], TERMS)
    assert [u.text for _, u in picked] == [row[1].text, items[0][1].text, items[1][1].text]
