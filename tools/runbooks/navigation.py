"""Moving through a runbook: step lookup, the following step, jumps, and the template context."""

from __future__ import annotations

from typing import Any

from tools.errors import ToolsError
from tools.runbooks import slots as slot_values
from tools.runbooks.schema import Runbook
from tools.runbooks.state import RunbookState


def find_step(runbook: Runbook, step_id: str) -> Any:
    for step in runbook.steps:
        if step.id == step_id:
            return step
    raise ToolsError(f"运行手册 {runbook.id} 中没有步骤 {step_id!r}（状态与运行手册版本不一致）")


def next_step(runbook: Runbook, step: Any) -> str | None:
    """The step's `next`, else the following step; None at the end."""
    if step.next:
        return None if step.next == "end" else step.next
    ids = runbook.step_ids()
    position = ids.index(step.id)
    return ids[position + 1] if position + 1 < len(ids) else None


def goto(runbook: Runbook, step: Any, target: str) -> str | None:
    """Resolve a jump target: a step id, `next` or `end`."""
    if target == "next":
        return next_step(runbook, step)
    return None if target == "end" else target


def context(state: RunbookState) -> dict[str, Any]:
    """What conditions and placeholders read: `slots.*` and `tool.<step id>.*`."""
    return {"slots": state.slots, "tool": state.results}


def prefill(state: RunbookState, runbook: Runbook) -> None:
    """Slots found in the question (from_question) and defaults of slots never asked."""
    for name, slot in runbook.slots.items():
        if state.slots.get(name) is None and slot.from_question:
            found = slot_values.from_question(slot, state.question)
            if found is not None:
                ok, value, _ = slot_values.validate(slot, str(found))
                if ok:
                    state.slots[name] = value
        if state.slots.get(name) is None and not slot.ask:
            state.slots[name] = slot_values.default_value(slot)
