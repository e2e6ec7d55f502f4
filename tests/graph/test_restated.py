"""An overview's line restating the page that treats the case leaves the evidence when that page is
there too, its title and headings naming more of the question (graph/restated.py)."""

from __future__ import annotations

from graph.relevance import QuestionTerms
from graph.restated import restates, runs, without_restated

TERMS = QuestionTerms({"invalid": 6.0, "connection": 5.0, "中断": 5.0, "dm": 3.0, "重试": 2.0})
LINE = "如果错误中仅包含 `invalid connection` 类型的错误，且当前处于增量复制阶段，则 DM 会自动进行重试。"
PAGE = {"kind": "doc", "source": "dm/error-handling.md", "title": "DM 错误处理",
        "heading_path": ["迁移任务中断并包含 invalid connection 错误", "解决方案"],
        "text": "- 如果错误中仅包含 `invalid connection` 类型的错误且当前处于增量复制阶段，则 DM 会自动进行重试。"}
MAP = {"kind": "doc", "source": "troubleshooting-map.md", "title": "集群问题导图", "heading_path": ["6.1 DM 问题"],
       "text": f"- 6.1.4 同步任务中断\n    - {LINE}\n- 对于 relay 处理单元，可通过官网步骤进行手动处理。"}
SIBLING = {**MAP, "text": "- 把 DM 的任务停掉，再用 dmctl 重新创建一个 invalid connection 以外的同步任务，等待重试完成。"}


def page_of(passage):
    return PAGE["text"] if passage.get("source") == PAGE["source"] else str(passage.get("text") or "")


def test_a_quote_reworded_a_little_restates_a_line_sharing_words_does_not():
    page = set(runs(PAGE["text"]))
    assert restates(LINE, page)  # a comma apart
    assert not restates(SIBLING["text"], page)  # the same words, said of something else
    assert not restates("- 6.1.4 同步任务中断", page)  # too short to judge


def test_the_overview_loses_the_restated_line_and_keeps_the_rest():
    out = without_restated([MAP, PAGE], TERMS, page_of)
    assert out[-1] is PAGE
    assert LINE not in out[0]["text"] and "relay 处理单元" in out[0]["text"]
    assert out[0]["meta"]["restated"]


def test_a_page_naming_no_more_of_the_question_restates_nothing():
    plain = {**PAGE, "title": "DM 错误处理", "heading_path": ["6.2 DM 问题"]}  # headings no better than the map's
    assert without_restated([MAP, plain], TERMS, page_of) == [MAP, plain]


def test_a_passage_left_empty_goes():
    only = {**MAP, "text": f"- {LINE}"}
    assert without_restated([only, PAGE], TERMS, page_of) == [PAGE]
