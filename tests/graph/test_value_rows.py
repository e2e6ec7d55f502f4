"""Which line of the evidence a value question quotes (graph/value_fact.best_fact): every row of a
table answering for its own case when the question names none, and the conversation's page before
an equal FAQ line on a follow-up."""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.doc_units import Unit
from graph.passages import to_state
from graph.schema import PassageData
from graph.value_fact import tied_rows
from knowledge.types import Passage

QUOTA_TEXT = ("文件更新后，通过刷新让边缘节点上的旧缓存失效。\n\n"
              "| 操作 | 每日配额 | 适用场景 |\n| --- | --- | --- |\n"
              "| URL 刷新 | 2000 条/天 | 更新了少量具体文件 |\n"
              "| 目录刷新 | 100 个/天 | 整个目录的文件都更新了 |\n"
              "| URL 预热 | 1000 条/天 | 大文件上线前推送到边缘节点 |")


def page(text: str = QUOTA_TEXT) -> PassageData:
    return to_state(Passage(chunk_id="cdn-1", source="docs/cdn/cache-refresh.md", title="CDN 缓存刷新",
                            heading_path=["刷新与预热"], text=text, kind="doc", kb="demo",
                            meta={"indexed_text": "CDN 缓存刷新 > 刷新与预热\n" + text}))


def faq() -> PassageData:
    return to_state(Passage(chunk_id="faq-cdn", source="faq/faq.jsonl", title="常见问题",
                            heading_path=["CDN 刷新每天有次数限制吗？"], kind="faq", kb="demo",
                            text="问：CDN 刷新每天有次数限制吗？\n答：有。URL 刷新每天最多 2000 条，目录刷新最多 100 条。",
                            meta={"question": "CDN 刷新每天有次数限制吗？"}))


def test_a_value_asked_for_no_row_in_particular_gets_every_row_scoring_as_high():
    text = units_text(extractive_units("CDN 刷新一天能刷多少次", [page()], qtype="value"))
    assert "2000 条/天" in text and "100 个/天" in text
    assert "1000 条/天" not in text  # 预热 is not 刷新


def test_a_row_the_question_names_comes_alone():
    text = units_text(extractive_units("CDN 目录刷新一天能刷多少个", [page()], qtype="value"))
    assert "100 个/天" in text and "2000 条/天" not in text


def test_a_follow_up_quotes_the_page_it_is_on_before_an_equal_faq_line():
    passages = [faq(), page()]
    alone = extractive_units("CDN 刷新一天能刷多少次", passages, qtype="value")
    assert alone[0]["cites"] == [1]  # a new question: the FAQ line, as said
    on_page = extractive_units("CDN 刷新一天能刷多少次", passages, qtype="value",
                               thread_pages=["docs/cdn/cache-refresh.md"])
    assert on_page[0]["cites"] == [2] and "2000 条/天" in units_text(on_page)


def test_rows_scoring_within_a_word_of_the_best_come_with_it_and_a_row_far_below_does_not():
    rows = [Unit("sentence", "欠费后资源按以下时间线处理。"), Unit("row", "欠费 2 小时：停服；数据 保留"),
            Unit("row", "停服满 15 天：资源释放；数据 删除，不可恢复"), Unit("row", "余额 < 0：继续运行；数据 完好")]
    assert tied_rows(rows, 1, [0.9, 1.23, 1.20, 0.92], 1.23) == {1, 2}
    assert tied_rows(rows, 0, [1.3, 1.23, 1.20, 0.92], 1.3) == set()  # the best is a sentence: no table asked


def test_a_row_carries_the_condition_after_its_table_on_the_case_the_question_reports():
    from graph.relevance import question_terms
    from graph.value_fact import table_condition
    units = [Unit("row", "Worker_Running：正常值 Yes；说明 工作线程在运行"),
             Unit("row", "Backlog：正常值 0；说明 积压的任务数"),
             Unit("sentence", "如果线程为 `No`，说明同步已中断，不是单纯的积压，请提交工单。")]
    text = " ".join(u.text for u in units)
    reported = question_terms("Worker_Running 显示 No，这算积压吗", "", None, [text])
    assert table_condition(units, 0, reported) == {2}  # 积压 is the question's, not the row's
    assert table_condition(units, 1, reported) == set()  # the row names it already: nothing the row leaves open
    plain = [*units[:2], Unit("sentence", "以上字段每秒刷新一次。")]
    assert table_condition(plain, 0, reported) == set()  # not a condition
