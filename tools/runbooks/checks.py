"""Rules about what a runbook concludes from its tools (beyond the schema and references).

`unhandled_result_problem(runbook)`: every tool step is followed — directly, or after other
tool steps that run back to back — by a branch whose first case that holds when the tool did
not run (status refused, error or timeout, no data) tests that tool's `status`. Without such
a case a refused port check falls through to the default branch and the flow concludes
"端口是通的" from a check that never ran. The loader applies it to every runbook, so
`smart-copilot runbook validate` and the app's start reject a runbook that lacks the branch.
Tests: tests/tools/test_runbook_checks.py.
"""

from __future__ import annotations

from tools.runbooks.conditions import Condition, ConditionError
from tools.runbooks.schema import BranchStep, Runbook, ToolStep

NOT_RUN = ("refused", "error", "timeout")
"""ToolResult statuses that mean the tool did not run (tools.base.Status)."""


def _following(runbook: Runbook, step_id: str) -> object | None:
    """The step the flow goes to after `step_id` (its `next`, else the one below)."""
    ids = runbook.step_ids()
    step = runbook.steps[ids.index(step_id)]
    if step.next:
        return None if step.next == "end" else runbook.steps[ids.index(step.next)] if step.next in ids else None
    position = ids.index(step_id) + 1
    return runbook.steps[position] if position < len(ids) else None


def result_branch(runbook: Runbook, step: ToolStep) -> BranchStep | None:
    """The branch that reads the tool step's result: the first non-tool step after it, if a branch."""
    seen = {step.id}
    current = _following(runbook, step.id)
    while isinstance(current, ToolStep) and current.id not in seen:
        seen.add(current.id)
        current = _following(runbook, current.id)
    return current if isinstance(current, BranchStep) else None


def _first_holding(branch: BranchStep, step_id: str, status: str) -> str | None:
    """The condition of the first case that holds when `step_id` returned `status` and no data."""
    values = {"tool": {step_id: {"status": status, "data": {}, "error": "not run"}}, "slots": {}}
    for case in branch.cases:
        try:
            if Condition(case.when).evaluate(values):
                return case.when
        except ConditionError:  # reported by the loader's reference check
            return None
    return None


def unhandled_result_problem(runbook: Runbook) -> str | None:
    """The first tool step whose refused / error / timeout result has no branch of its own, or None."""
    for i, step in enumerate(runbook.steps):
        if not isinstance(step, ToolStep):
            continue
        where = f"字段 steps[{i}]({step.id})"
        example = f'`tool.{step.id}.status != "ok"`'
        branch = result_branch(runbook, step)
        if branch is None:
            return (f"{where}：工具步骤 {step.tool} 之后必须有一个 branch 步骤处理它没有执行的情况"
                    f"（refused / error / timeout），例如条件 {example}")
        for status in NOT_RUN:
            when = _first_holding(branch, step.id, status)
            if when is None or ("tool", step.id, "status") not in Condition(when).paths():
                shown = f"落到了条件 {when!r}" if when else f"落到了默认分支 {branch.default!r}"
                return (f"{where}：工具 {step.tool} 返回 {status}（没有执行）时，分支 {branch.id} {shown}，"
                        f"会根据没有运行的检查下结论；请在 {branch.id} 的第一个分支加上 {example}")
    return None
