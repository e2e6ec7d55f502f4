"""A shortened step outline never shows a step heading with nothing under it (graph/step_outline.py)."""

from __future__ import annotations

from graph.doc_units import Unit, parse_units
from graph.relevance import QuestionTerms
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


def _task(first_head: str, third_head: str) -> list[Unit]:
    return parse_units(f"## 第一步：在控制台扩容\n\n点击 **更多 > 扩容**，输入新容量后提交。\n\n"
                       f"## 第二步：{first_head}\n\n执行 `lsblk`，磁盘 vdb 已是 500G，分区 vdb1 仍是 100G。\n\n"
                       f"## 第三步：{third_head}\n\n```bash\ngrowpart /dev/vdb 1\n```\n\n"
                       f"## 第四步：扩展文件系统\n\n```bash\nresize2fs /dev/vdb1\n```\n")


def test_a_matched_check_step_of_a_task_goes_on_to_the_steps_doing_the_work():
    """"扩到 500G 了 系统里还是 100G": the lsblk check matches; growpart and resize2fs come after it,
    not as bare headings."""
    shown = _shown(outline(_task("在系统内确认新容量", "扩展分区"), budget=700, terms=QuestionTerms({"500g": 3.0, "100g": 3.0})))
    texts = " ".join(t for _, t in shown)
    assert "lsblk" in texts and "growpart /dev/vdb 1" in texts and "resize2fs /dev/vdb1" in texts, shown
    steps = [u for u in outline(_task("在系统内确认新容量", "扩展分区"), budget=700,
                                terms=QuestionTerms({"500g": 3.0, "100g": 3.0})) if u.kind == "step"]
    assert [(u.text, u.number) for u in steps] == [("在系统内确认新容量", 1), ("扩展分区", 2), ("扩展文件系统", 3)]
    kinds = [k for k, _ in shown]
    assert all(kinds[i + 1] != "step" for i in range(len(kinds) - 1) if kinds[i] == "step"), shown  # none bare


def test_a_matched_step_of_a_checklist_stands_alone():
    """Each step of a troubleshooting checklist tests one cause: the others only name themselves."""
    units = _task("检查分区", "检查文件系统")
    units = [Unit(u.kind, u.text.replace("第四步：扩展文件系统", "第四步：确认挂载"), number=u.number, depth=u.depth)
             for u in units]
    shown = _shown(outline(units, budget=700, terms=QuestionTerms({"500g": 3.0, "100g": 3.0})))
    texts = " ".join(t for _, t in shown)
    assert "lsblk" in texts and "growpart" not in texts, shown
    assert shown[0] == ("leadin", "检查分区：") and all(k != "step" for k, _ in shown), shown  # no bare headings


def test_an_answer_out_of_room_never_ends_on_a_step_heading():
    """The answer's budget runs out after a step's heading, before its instructions ("… 3. **检查网络连通性**"
    and nothing under it): the heading goes too (graph/answer_draft.AnswerDraft)."""
    from graph.answer_draft import AnswerDraft

    units = [Unit("step", "确认实例状态", number=1), Unit("sentence", "在控制台确认实例运行中。", depth=1),
             Unit("step", "检查网络连通性", number=2), Unit("sentence", _LONG, depth=1)]
    answer = AnswerDraft([{"source": "ssh.md", "title": "SSH", "text": ""}], QuestionTerms(), 60)
    answer.add(1, units)
    assert [u.text for _, u in answer.picked] == ["确认实例状态", "在控制台确认实例运行中。"]
    assert answer.used == sum(len(u.text) + 4 for _, u in answer.picked) and len(answer.groups) == 2
