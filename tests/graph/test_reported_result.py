"""A message reporting what a check showed gets the page's line conditioned on that result
(graph/reported_result.py): unit checks on a built page, then conversations on the keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.observed_cause import OBSERVED
from graph.page_units import page_units
from graph.reported_result import best_clause, conditioned, page_clauses, reported_result_first, reports_result
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/slow.md"
CHUNKS = [
    {"chunk_id": "w-0", "heading_path": ["可能原因"], "kind": "doc",
     "text": "1. 组件的上游没有指向本集群。\n2. 缓存未过期。"},
    {"chunk_id": "w-1", "heading_path": ["排查步骤"], "kind": "doc",
     "text": "1. **查看同步状态**：执行 `widget status`，如果 `Sync_Running` 为 `No`，说明同步已中断，请立即提交工单。\n"
             "2. **查看队列**：队列长度长期小于 1 说明并发不足。\n"
             "3. **查看上游**：\n\n```bash\nwidget upstream\n```\n\n如果返回的是其他集群，原因就是第 1 条。\n"
             "4. **检查内存**：如果 RSS 只增不减，多半是内存泄漏：\n\n```bash\nps -o rss= -p <PID>\n```\n"
             "5. **检查使用率**：如果 CPU 使用率超过 90%，则需要扩容组件。"},
]
TITLE = "组件响应慢排查"
_sessions = itertools.count()


def _units():
    return page_units(PAGE, CHUNKS)


def _best(message: str):
    units = _units()
    from graph.reported_result import result_words
    return best_clause(page_clauses(units), units, message, result_words(message, None, TITLE))


def test_a_conditioned_line_is_cut_at_its_consequence_word():
    clauses = [c for u in _units() for c in conditioned(u)]
    assert any("sync_running 为 no" in c.condition for c in clauses)
    assert any("队列长度长期小于 1" in c.condition for c in clauses)


def test_a_column_key_is_no_consequence():
    unit = page_units(PAGE, [{"chunk_id": "t", "heading_path": ["x"], "kind": "doc",
                              "text": "字段: Sync_Running；正常值: Yes；说明: 同步线程"}])[0]
    assert conditioned(unit) == []


def test_a_value_reported_points_at_the_line_conditioned_on_it():
    found = _best("widget status 看了 Sync_Running 那栏是 No")
    assert found is not None and found.shown.endswith("说明同步已中断，请立即提交工单。")


def test_a_direction_reported_counts_as_a_word():
    found = _best("盯着 RSS 记了一小时，一直往上涨没降过")
    assert found is not None and "多半是内存泄漏" in found.shown and "ps -o rss=" in found.shown


def test_a_number_past_the_threshold_meets_it():
    found = _best("cpu 使用率看了下 已经 95% 了")
    assert found is not None and "需要扩容组件" in found.shown
    assert _best("cpu 使用率看了下 才 50%") is None or "需要扩容组件" not in _best("cpu 使用率看了下 才 50%").shown


def test_a_question_is_no_report():
    assert not reports_result("Sync_Running 为 No 怎么处理")
    assert reports_result("Sync_Running 那栏是 No，说明啥")


def test_the_line_leads_alone_with_the_cause_it_names_by_number():
    anchor = {"chunk_id": "w-1", "source": PAGE, "kind": "doc", "title": TITLE, "text": CHUNKS[1]["text"],
              "heading_path": ["排查步骤"], "meta": {}}
    out = reported_result_first([anchor], "执行 widget upstream 返回的是其他集群的地址", [], lambda s: CHUNKS, None, "demo")
    assert [p["text"] for p in out] == ["1. 组件的上游没有指向本集群。", "如果返回的是其他集群，原因就是第 1 条。"]
    assert all(p["meta"][OBSERVED] for p in out)


def test_nothing_reported_keeps_the_selection():
    anchor = {"chunk_id": "w-1", "source": PAGE, "kind": "doc", "title": TITLE, "text": CHUNKS[1]["text"],
              "heading_path": ["排查步骤"], "meta": {}}
    assert reported_result_first([anchor], "组件响应慢怎么排查", [], lambda s: CHUNKS, None, "demo") == [anchor]


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


@pytest.mark.parametrize("message, fact", [
    ("只读实例延迟好高，show slave status 看了 Slave_IO_Running 是 No", "说明复制已中断"),
    ("mysql 1045，报错里写的是 using password: NO", "连接串里根本没带密码"),
])
def test_a_first_report_is_answered_by_the_conditioned_line(demo, message, fact):
    answer = demo.ask(message, f"result-{next(_sessions)}", kb="demo").to_json()["answer"]
    assert fact in answer.split("**参考来源**")[0]


def test_a_condition_written_in_bold_is_the_condition_not_a_step_lead():
    """"**看到了 SYN 但没有回包**，说明问题在实例内部": the bold span goes on into its sentence; only "**查看上游**：" is a
    step's lead."""
    from graph.reported_result import CONDITION

    assert CONDITION.sub("", "**看到了 SYN 但没有回包**，") == "**看到了 SYN 但没有回包**，"
    assert CONDITION.sub("", "3. **查看上游**：如果") == ""
