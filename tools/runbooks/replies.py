"""The agent's reply to a waiting runbook: an answer to an ask, or approve / reject / skip / leave."""

from __future__ import annotations

from typing import Any

from tools.runbooks import slots as slot_values
from tools.runbooks.navigation import context, goto, next_step
from tools.runbooks.schema import ApproveStep, AskStep, Runbook
from tools.runbooks.state import Evidence, RunbookOutput, RunbookState
from tools.runbooks.templating import render

MAX_RETRIES = 3
REPLIES = {
    "approve": ("approve", "approved", "yes", "批准", "同意", "确认", "确认执行", "执行"),
    "reject": ("reject", "rejected", "no", "拒绝", "不同意", "取消"),
    "skip": ("skip", "跳过"),
    "leave": ("leave", "离开", "退出", "退出流程", "暂停"),
}


def normalise_reply(reply: str) -> str:
    """Command words (English or Chinese) become approve/reject/skip/leave; anything else is an answer."""
    text = reply.strip()
    for command, words in REPLIES.items():
        if text.lower() in words:
            return command
    return text


def repeat_waiting(state: RunbookState, note: str) -> RunbookOutput:
    waiting = state.waiting or {}
    kind = "approve" if waiting.get("kind") == "approve" else "ask"
    return RunbookOutput(kind=kind, text=f"{note}\n\n{waiting.get('prompt', '')}".strip())


def answer(state: RunbookState, runbook: Runbook, step: AskStep, reply: str, outputs: list[RunbookOutput]) -> bool:
    """Fill the slot (re-asking up to MAX_RETRIES times); False while still waiting."""
    slot = runbook.slots[step.slot]
    if reply == "skip":
        value = slot_values.default_value(slot)
        shown = "（跳过）" if value is None else f"（跳过，使用默认值 {value}）"
    else:
        ok, value, problem = slot_values.validate(slot, reply)
        if not ok:
            tries = state.retries.get(step.id, 0) + 1
            state.retries[step.id] = tries
            if tries < MAX_RETRIES:
                prompt = f"{problem}。{slot.retry_prompt or slot.prompt}"
                state.waiting = {**(state.waiting or {}), "prompt": prompt}
                state.status = "waiting"
                outputs.append(RunbookOutput(kind="ask", text=prompt))
                return False
            value, shown = slot_values.default_value(slot), f"（多次回答无效，已跳过：{reply[:100]}）"
        else:
            shown = str(value)
    state.slots[step.slot] = value
    state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="ask", title=slot.prompt, text=shown))
    state.waiting = None
    state.step = next_step(runbook, step)
    return True


def decide(registry: Any, state: RunbookState, runbook: Runbook, step: ApproveStep, reply: str,
           outputs: list[RunbookOutput]) -> bool:
    """Record the approval decision; run the tool only on approve. False while still waiting."""
    if reply not in ("approve", "reject", "skip"):
        outputs.append(repeat_waiting(state, "请回复 approve（批准执行）或 reject（拒绝）。"))
        return False
    args = render(step.args, context(state))
    decision = "approve" if reply == "approve" else "reject"
    registry.record_approval(session=state.session, user=state.user, tool=step.tool, args=args,
                             decision=decision, runbook=runbook.id)
    evidence = Evidence(runbook=runbook.id, step=step.id, kind="approve", title=step.title or step.prompt,
                        tool=step.tool, args=args, status=decision)
    state.waiting = None
    if decision == "approve":
        result = registry.invoke(step.tool, args, state.session, state.user, approved=True, runbook=runbook.id)
        state.results[step.id] = result.to_json()
        evidence.summary = result.summary
        outputs.append(RunbookOutput(kind="tool", text=f"**已批准并执行** `{step.tool}`：{result.summary}",
                                     tool_result=result.to_json()))
        state.step = next_step(runbook, step)
    else:
        outputs.append(RunbookOutput(kind="info", text=f"已拒绝执行 `{step.tool}`，未做任何改动。"))
        state.step = goto(runbook, step, step.on_reject)
    state.evidence.append(evidence)
    return True
