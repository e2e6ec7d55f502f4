"""RunbookEngine: match a question to a runbook, then run it step by step.

`advance` executes steps until one needs the agent (an ask or an approval) or the flow
ends; every executed step leaves Evidence in the state. Tools run only because a runbook
step says so (approve steps additionally need the agent's explicit "approve"); advice
and cited passages are shown as data and never interpreted.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from tools.errors import ToolsError
from tools.runbooks import matching, slots as slot_values
from tools.runbooks.citations import resolve_citations
from tools.runbooks.conditions import Condition
from tools.runbooks.loader import check_tools
from tools.runbooks.schema import (AdviseStep, ApproveStep, AskStep, BranchStep, EscalateStep, LinkStep, Runbook,
                                   ToolStep)
from tools.runbooks.state import Evidence, RunbookOutput, RunbookState
from tools.runbooks.summary import render_summary
from tools.runbooks.templating import render

log = logging.getLogger(__name__)

MAX_STEPS_PER_ADVANCE = 200
MAX_RETRIES = 3
REPLIES = {
    "approve": ("approve", "approved", "yes", "批准", "同意", "确认", "确认执行", "执行"),
    "reject": ("reject", "rejected", "no", "拒绝", "不同意", "取消"),
    "skip": ("skip", "跳过"),
    "leave": ("leave", "离开", "退出", "退出流程", "暂停"),
}


def normalise_reply(reply: str) -> str:
    text = reply.strip()
    for command, words in REPLIES.items():
        if text.lower() in words:
            return command
    return text


class RunbookEngine:
    """Executes runbooks against a ToolRegistry; state lives in RunbookState, not here."""

    def __init__(self, runbooks: dict[str, Runbook], registry: Any, knowledge: Any = None,
                 threshold: float | None = None) -> None:
        check_tools(runbooks, {spec["name"]: spec["risk"] for spec in registry.specs()})
        self.runbooks = runbooks
        self.registry = registry
        self.knowledge = knowledge
        settings = getattr(registry, "settings", None)
        self.threshold = threshold if threshold is not None else getattr(settings, "runbook_match_threshold", 0.45)

    def get(self, runbook_id: str) -> Runbook:
        if runbook_id not in self.runbooks:
            raise ToolsError(f"没有 id 为 {runbook_id!r} 的运行手册（可用：{', '.join(sorted(self.runbooks))}）")
        return self.runbooks[runbook_id]

    def list(self) -> list[dict[str, Any]]:
        return [{"id": r.id, "title": r.title, "description": r.description, "intents": r.triggers.intents}
                for r in self.runbooks.values()]

    def scores(self, question: str) -> list[tuple[str, float]]:
        ranked = [(rb_id, matching.score(question, rb)) for rb_id, rb in self.runbooks.items()]
        return sorted(ranked, key=lambda item: -item[1])

    def match(self, question: str) -> tuple[str, float] | None:
        """The best runbook for the question and its score, or None below the threshold."""
        ranked = self.scores(question)
        if ranked and ranked[0][1] >= self.threshold:
            return ranked[0]
        return None

    def start(self, runbook_id: str, question: str, session: str, user: str) -> RunbookState:
        runbook = self.get(runbook_id)
        state = RunbookState(runbook_id=runbook_id, question=question, session=session, user=user,
                             step=runbook.steps[0].id, trail=[runbook_id])
        self._prefill(state, runbook)
        return state

    def summary(self, state: RunbookState) -> str:
        return render_summary(state, self.runbooks)

    def advance(self, state: RunbookState, reply: str | None = None) -> tuple[RunbookState, list[RunbookOutput]]:
        state = state.model_copy(deep=True)
        outputs: list[RunbookOutput] = []
        if state.finished:
            outputs.append(RunbookOutput(kind="info", text="该排障流程已结束。"))
            return state, outputs
        if state.waiting is not None:
            if reply is None:
                outputs.append(self._repeat_waiting(state, "继续之前的排障流程。"))
                state.status = "waiting"
                return self._stamp(state), outputs
            if not self._take_reply(state, normalise_reply(reply), outputs):
                return self._stamp(state), outputs
        state.status = "running"
        self._run(state, outputs)
        return self._stamp(state), outputs

    # -- replies -------------------------------------------------------------------------

    def _take_reply(self, state: RunbookState, reply: str, outputs: list[RunbookOutput]) -> bool:
        """Apply the agent's reply to the pending step; False when still waiting."""
        waiting = state.waiting or {}
        runbook = self.get(state.runbook_id)
        step = self._step(runbook, waiting["step"])
        if reply == "leave":
            state.status = "left"
            outputs.append(RunbookOutput(kind="info", text="已暂停排障流程，随时可以回来继续（回复任意内容即可继续当前步骤）。"))
            return False
        if isinstance(step, AskStep):
            return self._answer(state, runbook, step, reply, outputs)
        assert isinstance(step, ApproveStep)
        return self._decide(state, runbook, step, reply, outputs)

    def _answer(self, state: RunbookState, runbook: Runbook, step: AskStep, reply: str,
                outputs: list[RunbookOutput]) -> bool:
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
        state.step = self._next(runbook, step)
        return True

    def _decide(self, state: RunbookState, runbook: Runbook, step: ApproveStep, reply: str,
                outputs: list[RunbookOutput]) -> bool:
        if reply not in ("approve", "reject", "skip"):
            outputs.append(self._repeat_waiting(state, "请回复 approve（批准执行）或 reject（拒绝）。"))
            return False
        args = render(step.args, self._context(state))
        decision = "approve" if reply == "approve" else "reject"
        self.registry.record_approval(session=state.session, user=state.user, tool=step.tool, args=args,
                                      decision=decision, runbook=runbook.id)
        evidence = Evidence(runbook=runbook.id, step=step.id, kind="approve", title=step.title or step.prompt,
                            tool=step.tool, args=args, status=decision)
        state.waiting = None
        if decision == "approve":
            result = self.registry.invoke(step.tool, args, state.session, state.user, approved=True, runbook=runbook.id)
            state.results[step.id] = result.to_json()
            evidence.summary = result.summary
            outputs.append(RunbookOutput(kind="tool", text=f"**已批准并执行** `{step.tool}`：{result.summary}",
                                         tool_result=result.to_json()))
            state.step = self._next(runbook, step)
        else:
            outputs.append(RunbookOutput(kind="info", text=f"已拒绝执行 `{step.tool}`，未做任何改动。"))
            state.step = self._goto(runbook, step, step.on_reject)
        state.evidence.append(evidence)
        return True

    # -- running steps ---------------------------------------------------------------------

    def _run(self, state: RunbookState, outputs: list[RunbookOutput]) -> None:
        for _ in range(MAX_STEPS_PER_ADVANCE):
            if state.step is None:
                self._finish(state, outputs)
                return
            runbook = self.get(state.runbook_id)
            step = self._step(runbook, state.step)
            if not self._execute(state, runbook, step, outputs):
                return
        raise ToolsError(f"运行手册 {state.runbook_id} 在一次推进中执行了超过 {MAX_STEPS_PER_ADVANCE} 步，可能存在循环")

    def _execute(self, state: RunbookState, runbook: Runbook, step: Any, outputs: list[RunbookOutput]) -> bool:
        """Run one step; False when the flow now waits or has ended."""
        context = self._context(state)
        if isinstance(step, AskStep):
            if state.slots.get(step.slot) is not None and not step.always:
                state.step = self._next(runbook, step)
                return True
            slot = runbook.slots[step.slot]
            if not slot.ask and not step.always:
                state.slots[step.slot] = slot_values.default_value(slot)
                state.step = self._next(runbook, step)
                return True
            prompt = slot.prompt + (f"（可选：{' / '.join(slot.choices)}）" if slot.choices else "")
            state.waiting = {"kind": "ask", "prompt": prompt, "options": list(slot.choices), "step": step.id,
                             "slot": step.slot}
            state.status = "waiting"
            outputs.append(RunbookOutput(kind="ask", text=prompt))
            return False
        if isinstance(step, ToolStep):
            args = render(step.args, context)
            result = self.registry.invoke(step.tool, args, state.session, state.user, runbook=runbook.id)
            state.results[step.id] = result.to_json()
            healthy = result.data.get("healthy") if result.status == "ok" else None
            title = step.title or step.tool
            state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="tool", title=title, tool=step.tool,
                                           args=result.invocation.get("args", args), status=result.status,
                                           healthy=healthy if isinstance(healthy, bool) else None,
                                           summary=result.summary, rules_out=step.rules_out))
            outputs.append(RunbookOutput(kind="tool", text=f"**{title}**：{result.summary}", tool_result=result.to_json()))
            state.step = self._next(runbook, step)
            return True
        if isinstance(step, BranchStep):
            target = step.default
            for case in step.cases:
                if Condition(case.when).evaluate(context):
                    target = case.goto
                    break
            state.step = self._goto(runbook, step, target)
            return True
        if isinstance(step, AdviseStep):
            text = render(step.text, context)
            citations = resolve_citations(self.knowledge, step.cite, text, context)
            state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="advise", title=step.title or "",
                                           text=text, citations=citations))
            heading = f"**{step.title}**\n\n" if step.title else ""
            outputs.append(RunbookOutput(kind="advise", text=heading + text, citations=citations))
            state.step = self._next(runbook, step)
            return True
        if isinstance(step, ApproveStep):
            args = render(step.args, context)
            dry = self.registry.invoke(step.tool, args, state.session, state.user, dry_run=True, runbook=runbook.id)
            effect = dry.data.get("would") or dry.error or ""
            prompt = f"{render(step.prompt, context)}\n\n将执行：{effect}\n\n回复 approve 批准执行，reject 拒绝。"
            state.waiting = {"kind": "approve", "prompt": prompt, "options": ["approve", "reject"], "step": step.id,
                             "tool": step.tool, "args": args}
            state.status = "waiting"
            outputs.append(RunbookOutput(kind="approve", text=prompt, tool_result=dry.to_json()))
            return False
        if isinstance(step, EscalateStep):
            reason, next_step = render(step.reason, context), render(step.next_step, context)
            state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="escalate", title=step.title or "升级",
                                           text=reason, summary=next_step))
            state.status, state.step = "escalated", None
            outputs.append(RunbookOutput(kind="escalate", text=f"**需要升级处理**：{reason}"))
            outputs.append(RunbookOutput(kind="summary", text=self.summary(state)))
            return False
        assert isinstance(step, LinkStep)
        target = self.get(step.runbook)
        for name, template in step.slots.items():
            ok, value, _ = slot_values.validate(target.slots[name], str(render(template, context) or ""))
            if ok:
                state.slots[name] = value
        state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="link", title=target.title,
                                       text=f"转到运行手册 {target.id}"))
        state.runbook_id, state.step, state.results = target.id, target.steps[0].id, {}
        state.trail.append(target.id)
        self._prefill(state, target)
        outputs.append(RunbookOutput(kind="info", text=f"转到排障流程：**{target.title}**"))
        return True

    def _finish(self, state: RunbookState, outputs: list[RunbookOutput]) -> None:
        state.status, state.waiting = "done", None
        outputs.append(RunbookOutput(kind="summary", text=self.summary(state)))

    # -- helpers ---------------------------------------------------------------------------

    def _prefill(self, state: RunbookState, runbook: Runbook) -> None:
        for name, slot in runbook.slots.items():
            if state.slots.get(name) is None and slot.from_question:
                found = slot_values.from_question(slot, state.question)
                if found is not None:
                    ok, value, _ = slot_values.validate(slot, str(found))
                    if ok:
                        state.slots[name] = value
            if state.slots.get(name) is None and not slot.ask:
                state.slots[name] = slot_values.default_value(slot)

    def _repeat_waiting(self, state: RunbookState, note: str) -> RunbookOutput:
        waiting = state.waiting or {}
        kind = "approve" if waiting.get("kind") == "approve" else "ask"
        return RunbookOutput(kind=kind, text=f"{note}\n\n{waiting.get('prompt', '')}".strip())

    @staticmethod
    def _context(state: RunbookState) -> dict[str, Any]:
        return {"slots": state.slots, "tool": state.results}

    @staticmethod
    def _step(runbook: Runbook, step_id: str) -> Any:
        for step in runbook.steps:
            if step.id == step_id:
                return step
        raise ToolsError(f"运行手册 {runbook.id} 中没有步骤 {step_id!r}（状态与运行手册版本不一致）")

    @staticmethod
    def _next(runbook: Runbook, step: Any) -> str | None:
        if step.next:
            return None if step.next == "end" else step.next
        ids = runbook.step_ids()
        position = ids.index(step.id)
        return ids[position + 1] if position + 1 < len(ids) else None

    def _goto(self, runbook: Runbook, step: Any, target: str) -> str | None:
        if target == "next":
            return self._next(runbook, step)
        return None if target == "end" else target

    @staticmethod
    def _stamp(state: RunbookState) -> RunbookState:
        state.updated_at = time.time()
        return state
