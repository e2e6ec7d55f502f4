"""The evidence's leading passage vouches for its sentences (graph/topic.leading, issue #21): a real
page says what a long spoken question asks in its own words, so its sentences, alone, cover little
of the question; the one passage that matches clearly best of all the evidence keeps them."""

from __future__ import annotations

from dataclasses import asdict

from graph.relevance import question_terms
from graph.topic import leading, on_topic_here
from knowledge.types import Passage

QUESTION = "导入工具碰到几行脏数据就整个退出了，烦死了，能不能让它绕过这些行接着导，事后我再慢慢查"
KEY_LINE = "遇到脏数据时，可以通过配置项 `max-error` 调大容错数量。"


def _doc(source: str, title: str, heads: list[str], text: str) -> dict:
    return asdict(Passage(chunk_id=f"{source}#{len(heads)}", source=source, title=title, heading_path=heads,
                          text=text, kind="doc", kb="k", meta={"indexed_text": " > ".join([title, *heads]) + "\n"}))


PAGE = _doc("importer/errors.md", "导入工具的错误处理", ["类型错误"],
            f"{KEY_LINE}设置为 N 时，允许出现 N 个类型错误，超过才会退出。默认值为 0。被跳过的几行会记录到错误表中，事后可以查询。")
FAQ = _doc("importer/faq.md", "常见问题", ["某个表报错会影响其他表吗？"], "报错的表会停止处理，其他表继续。")


def test_the_passage_matching_clearly_best_leads_and_vouches_for_its_lines() -> None:
    terms = question_terms(QUESTION)
    assert leading(terms, [FAQ, PAGE]) == 2
    assert not on_topic_here(terms, KEY_LINE, PAGE)  # alone, the line covers too little of the question
    assert on_topic_here(terms, KEY_LINE, PAGE, lead=True)


def test_no_passage_leads_when_another_page_matches_nearly_as_well() -> None:
    terms = question_terms(QUESTION)
    near = _doc("importer/guide.md", "导入工具", ["退出"], "导入出错时工具会退出，事后查看日志里的几行错误。")
    assert leading(terms, [near, PAGE]) is None
    assert leading(question_terms("完全无关的问题"), [FAQ, PAGE]) is None
