"""The agent's reply to a waiting runbook: an answer to an ask, or approve / reject / skip / leave."""

from __future__ import annotations

import re
from typing import Any

from tools.runbooks import slots as slot_values
from tools.runbooks.navigation import context, goto, next_step
from tools.runbooks.schema import ApproveStep, AskStep, Runbook
from tools.runbooks.state import Evidence, RunbookOutput, RunbookState
from tools.runbooks.templating import render

MAX_RETRIES = 3
# Command words by strength: "strong" ones are commands wherever the flow waits; the "weak" ones
# (好的、可以、yes、no…) only while it waits for an approval, since they also answer questions.
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "leave": (("leave", "exit", "quit", "stop", "cancel", "离开", "退出", "退出流程", "退出排查", "结束", "结束排查",
               "结束流程", "算了", "不查了", "先不查了", "不用查了", "别查了", "停", "停止", "暂停"), ()),
    "skip": (("skip", "跳过", "跳过这步", "跳过此步", "跳过这一步", "略过"), ("下一步",)),
    "approve": (("approve", "approved", "批准", "批准执行", "同意", "同意执行", "确认执行"),
                ("yes", "ok", "确认", "执行", "可以", "好的", "行", "没问题", "重启吧", "执行吧", "重启", "好")),
    "reject": (("reject", "rejected", "拒绝", "不同意", "不批准", "拒绝执行"),
               ("no", "取消", "不要", "不用", "不重启", "别重启", "不要重启", "不执行", "先不要")),
}
_FILLER = ("吧", "了", "啊", "呀", "吗", "先", "就", "嗯", "那", "please", "pls")
_PUNCT = re.compile(r"[\s，,。.！!？?、；;：:~～…\-—'\"“”]+")


def command_of(reply: str, waiting_kind: str | None = None) -> str | None:
    """approve / reject / skip / leave when the whole reply is made of command words
    ("算了不查了", "同意，重启吧", "exit"); None when it says anything else."""
    text = _PUNCT.sub("", reply.strip().lower())
    if not text or len(text) > 16:
        return None
    vocab = sorted(((w, cmd, i == 0) for cmd, lists in COMMANDS.items() for i, ws in enumerate(lists) for w in ws),
                   key=lambda x: -len(x[0]))
    found: list[str] = []
    while text:
        # a weak word counts while an approval waits, or after a strong word of the same command ("同意，重启吧")
        hit = next(((w, cmd) for w, cmd, strong in vocab if text.startswith(w)
                    and (strong or waiting_kind == "approve" or (found and found[-1] == cmd))), None)
        if hit:
            found.append(hit[1])
            text = text[len(hit[0]):]
            continue
        filler = next((f for f in _FILLER if text.startswith(f)), None)
        if filler is None or not found and filler not in ("嗯", "那", "先"):
            return None
        text = text[len(filler):]
    for command in ("leave", "reject", "approve", "skip"):
        if command in found:
            return command
    return None


def normalise_reply(reply: str, waiting_kind: str | None = None) -> str:
    """Command words (English or Chinese) become approve/reject/skip/leave; anything else is an answer."""
    return command_of(reply, waiting_kind) or reply.strip()


APPROVE_HINT = "请回复“批准”执行，或回复“拒绝”不执行（也可以用下方按钮，或回复 approve / reject）。"
NOTHING_TO_APPROVE = "现在没有等待批准的操作。"


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
                prompt = f"{problem}。{slot.retry_prompt or slot.prompt}"  # problems carry no example: said once
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
        outputs.append(repeat_waiting(state, APPROVE_HINT))
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
        text = (f"**已批准并执行** `{step.tool}`：{result.summary}" if result.status == "ok" else
                f"**已批准，但没有执行成功** `{step.tool}`：{result.error or result.status}。请人工处理。")
        outputs.append(RunbookOutput(kind="tool", text=text, tool_result=result.to_json()))
        state.step = next_step(runbook, step)
    else:
        outputs.append(RunbookOutput(kind="info", text=f"已拒绝执行 `{step.tool}`，未做任何改动。"))
        state.step = goto(runbook, step, step.on_reject)
    state.evidence.append(evidence)
    return True
