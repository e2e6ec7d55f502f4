"""A shortened step outline never shows a step heading with nothing under it (graph/step_outline.py)."""

from __future__ import annotations

from graph.doc_units import Unit
from graph.step_outline import outline

_LONG = "，".join(["这一项说明很长的内容用来占满预算"] * 6) + "。"


def _procedure(first_step: list[Unit]) -> list[Unit]:
    return [Unit("heading", "第一步：发现问题"), *first_step,
            Unit("heading", "第二步：定位原因"), Unit("sentence", "在控制台点击 日志管理 → 慢日志 查看。"),
            Unit("heading", "第三步：处理"), Unit("sentence", "执行 ANALYZE TABLE 更新统计信息。")]


def _shown(units: list[Unit]) -> list[tuple[str, str]]:
    return [(u.kind, u.text) for u in units]


def test_a_step_whose_list_does_not_fit_shows_its_lead_in_and_first_item():
    first = [Unit("leadin", "常见的信号有："), Unit("item", "CPU 使用率持续偏高；"), Unit("item", _LONG),
             Unit("item", _LONG)]
    shown = _shown(outline(_procedure(first), budget=200))
    at = shown.index(("step", "发现问题"))
    assert shown[at + 1:at + 3] == [("leadin", "常见的信号有："), ("item", "CPU 使用率持续偏高；")]
    assert ("item", _LONG) not in shown


def test_a_step_with_nothing_short_enough_to_show_is_left_out():
    shown = _shown(outline(_procedure([Unit("leadin", "常见的信号有："), Unit("item", _LONG * 3)]), budget=200))
    assert ("step", "发现问题") not in shown
    assert [t for k, t in shown if k == "step"] == ["定位原因", "处理"]
    kinds = [k for k, _ in shown]
    assert all(kinds[i + 1] != "step" for i, k in enumerate(kinds[:-1]) if k == "step")  # no bare heading
