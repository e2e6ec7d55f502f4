"""graph/fixes.fix_rows: the fix row for the cause an answer names when the page words the cause
otherwise (issue #12): the one row the answer's cause comes clearly closest to follows; a near tie
names no cause. Built pages; the first test fails on main 4b71759."""

from __future__ import annotations

from typing import Any

from graph.fixes import clear_winner
from knowledge.types import Passage


def doc(chunk_id: str, heads: list[str], text: str) -> Passage:
    title = "网关返回 504"
    return Passage(chunk_id=chunk_id, source="docs/gw/504.md", title=title, heading_path=heads, text=text,
                   kind="doc", kb="demo", meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text})


def state(p: Passage, **meta: Any) -> dict:
    from graph.passages import to_state

    out: dict[str, Any] = dict(to_state(p))
    out["meta"] = {**(out.get("meta") or {}), **meta}
    return out


def test_the_fix_row_for_a_cause_worded_otherwise_follows_the_cause():
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    causes = doc("g-1", ["可能原因"], "网关把请求转给了后端，但 **后端在 30 秒内没有返回响应**：\n\n"
                 "1. 接口本身处理时间长：大批量导出、慢 SQL。\n2. 后端线程池耗尽，请求在排队。")
    fixes = doc("g-2", ["解决方法"], "| 原因 | 处理 |\n| --- | --- |\n"
                "| 后端服务未启动 | 启动服务并确认端口监听 |\n"
                "| 接口处理耗时超过 30 秒 | 耗时任务改为异步：先返回任务 ID，客户端轮询结果 |\n"
                "| 后端过载 | 增加后端实例 |")
    passages = [state(fixes, added="fix"), state(causes, added="causes")]
    body = units_text(extractive_units("导出接口跑到半分钟就 504", passages, qtype="symptom"))
    assert "客户端轮询结果" in body and "增加后端实例" not in body, body


def test_a_near_tie_names_no_row():
    assert clear_winner({0: 0.3, 1: 0.25}, {0: 2, 1: 2}) == []
    assert clear_winner({0: 0.4, 1: 0.1}, {0: 2, 1: 1}) == [0]
    assert clear_winner({0: 0.4, 1: 0.0}, {0: 1, 1: 0}) == []  # one word in common is no cause named


def test_what_to_do_about_a_problem_gets_the_pages_fixes_from_the_first():
    """"咋办" over a numbered solution list: the fixes in the page's order, not only the item sharing
    the question's words (a later "保护关键进程" naming OOM Killer)."""
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    fixes = Passage(chunk_id="m-1", source="docs/vm/oom.md", title="内存不足与 OOM 排查", heading_path=["解决方法"],
                    text="1. **临时止血**：重启被杀的进程，使服务恢复。\n"
                         "2. **升级规格**：长期内存使用率高于 80% 时，升级到更大的规格。\n"
                         "3. **保护关键进程**：降低关键进程被 OOM Killer 选中的概率。",
                    kind="doc", kb="demo", meta={"indexed_text": "内存不足与 OOM 排查 > 解决方法"})
    body = units_text(extractive_units("java 进程老被 oom killer 干掉 咋办", [state(fixes)], qtype="howto"))
    assert "升级规格" in body and "临时止血" in body, body


def test_a_question_not_asking_what_to_do_keeps_reading_by_match():
    from graph.fixes import fixes_in_order

    fixes = Passage(chunk_id="m-2", source="docs/vm/oom.md", title="内存不足与 OOM 排查", heading_path=["解决方法"],
                    text="1. **临时止血**：重启进程。\n2. **升级规格**：升级到更大的规格。", kind="doc", kb="demo")
    assert fixes_in_order(state(fixes), "怎么升级规格") is None
    assert fixes_in_order(state(fixes), "内存满了咋办") is not None
