"""Executing one runbook step of each kind; every executed step leaves Evidence in the state.

Only tool and approve steps call tools, and only with the arguments their YAML templates
produce; advice text and cited passages are shown, never interpreted.
"""

from __future__ import annotations

from typing import Any, Callable

from tools.runbooks import slots as slot_values
from tools.runbooks.citations import resolve_citations
from tools.runbooks.conditions import Condition
from tools.runbooks.navigation import context, goto, next_step, prefill
from tools.runbooks.replies import APPROVE_HINT
from tools.runbooks.schema import (AdviseStep, ApproveStep, AskStep, BranchStep, EscalateStep, LinkStep, Runbook,
                                   ToolStep)
from tools.runbooks.state import Evidence, RunbookOutput, RunbookState
from tools.runbooks.templating import render

Outputs = list[RunbookOutput]


class StepRunner:
    """`execute(state, runbook, step, outputs)` -> False when the flow now waits or has ended."""

    def __init__(self, registry: Any, knowledge: Any, get_runbook: Callable[[str], Runbook],
                 summary: Callable[[RunbookState], str]) -> None:
        self.registry = registry
        self.knowledge = knowledge
        self.get_runbook = get_runbook
        self.summary = summary
        self._kinds: dict[type, Callable[[RunbookState, Runbook, Any, Outputs], bool]] = {
            AskStep: self._ask, ToolStep: self._tool, BranchStep: self._branch, AdviseStep: self._advise,
            ApproveStep: self._approve, EscalateStep: self._escalate, LinkStep: self._link,
        }

    def execute(self, state: RunbookState, runbook: Runbook, step: Any, outputs: Outputs) -> bool:
        return self._kinds[type(step)](state, runbook, step, outputs)

    def finish(self, state: RunbookState, outputs: Outputs) -> None:
        state.status, state.waiting = "done", None
        outputs.append(RunbookOutput(kind="summary", text=self.summary(state)))

    def _ask(self, state: RunbookState, runbook: Runbook, step: AskStep, outputs: Outputs) -> bool:
        slot = runbook.slots[step.slot]
        if not step.always and (state.slots.get(step.slot) is not None or not slot.ask):
            if state.slots.get(step.slot) is None:
                state.slots[step.slot] = slot_values.default_value(slot)
            state.step = next_step(runbook, step)
            return True
        prompt = slot.prompt + (f"（可选：{' / '.join(slot.choices)}）" if slot.choices else "")
        state.waiting = {"kind": "ask", "prompt": prompt, "options": list(slot.choices), "step": step.id,
                         "slot": step.slot}
        state.status = "waiting"
        outputs.append(RunbookOutput(kind="ask", text=prompt))
        return False

    def _tool(self, state: RunbookState, runbook: Runbook, step: ToolStep, outputs: Outputs) -> bool:
        args = self._with_kb(step.tool, render(step.args, context(state)), state)
        result = self.registry.invoke(step.tool, args, state.session, state.user, runbook=runbook.id)
        state.results[step.id] = result.to_json()
        healthy = result.data.get("healthy") if result.status == "ok" else None
        title = step.title or step.tool
        state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="tool", title=title, tool=step.tool,
                                       args=result.invocation.get("args", args), status=result.status,
                                       healthy=healthy if isinstance(healthy, bool) else None,
                                       summary=result.summary, rules_out=step.rules_out))
        outputs.append(RunbookOutput(kind="tool", text=f"**{title}**：{result.summary}", tool_result=result.to_json()))
        state.step = next_step(runbook, step)
        return True

    def _with_kb(self, tool: str, args: dict[str, Any], state: RunbookState) -> dict[str, Any]:
        """A tool that takes a knowledge base (knowledge_search …) searches the turn's base unless told otherwise."""
        get = getattr(self.registry, "get", None)
        fields = getattr(getattr(get(tool), "Args", None), "model_fields", {}) if get and state.kb else {}
        return {**args, "kb": state.kb} if "kb" in fields and args.get("kb") is None else args

    def _branch(self, state: RunbookState, runbook: Runbook, step: BranchStep, outputs: Outputs) -> bool:
        values = context(state)
        target = next((case.goto for case in step.cases if Condition(case.when).evaluate(values)), step.default)
        state.step = goto(runbook, step, target)
        return True

    def _advise(self, state: RunbookState, runbook: Runbook, step: AdviseStep, outputs: Outputs) -> bool:
        values = context(state)
        text = render(step.text, values)
        citations = resolve_citations(self.knowledge, step.cite, text, values, kb=state.kb)
        state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="advise", title=step.title or "",
                                       text=text, citations=citations))
        heading = f"**{step.title}**\n\n" if step.title else ""
        outputs.append(RunbookOutput(kind="advise", text=heading + text, citations=citations))
        state.step = next_step(runbook, step)
        return True

    def _approve(self, state: RunbookState, runbook: Runbook, step: ApproveStep, outputs: Outputs) -> bool:
        values = context(state)
        args = render(step.args, values)
        dry = self.registry.invoke(step.tool, args, state.session, state.user, dry_run=True, runbook=runbook.id)
        blocked = dry.error if dry.status != "ok" else dry.data.get("blocked")
        if blocked:  # nothing could run: asking for approval would promise an action that cannot happen
            return self._cannot_run(state, runbook, step, args, str(blocked), outputs)
        effect = dry.data.get("would") or ""
        prompt = f"{render(step.prompt, values)}\n\n将执行：{effect}\n\n{APPROVE_HINT}"
        state.waiting = {"kind": "approve", "prompt": prompt, "options": ["批准", "拒绝"], "step": step.id,
                         "tool": step.tool, "args": args}
        state.status = "waiting"
        outputs.append(RunbookOutput(kind="approve", text=prompt, tool_result=dry.to_json()))
        return False

    def _cannot_run(self, state: RunbookState, runbook: Runbook, step: ApproveStep, args: dict[str, Any],
                    reason: str, outputs: Outputs) -> bool:
        """Skip an approval whose action cannot run; say why and leave a note for the hand-off."""
        title = step.title or step.tool
        note = f"需要人工处理：{title}（{_args_text(args)}）"
        state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="approve", title=title, tool=step.tool,
                                       args=args, status="skipped", text=reason, summary=note))
        outputs.append(RunbookOutput(kind="info", text=f"**跳过「{title}」**：{reason}，所以不请你批准，也没有做任何改动。"
                                                       f"如确需执行，请人工操作或联系管理员配置；已记入交接摘要。"))
        state.step = goto(runbook, step, step.on_reject)
        return True

    def _escalate(self, state: RunbookState, runbook: Runbook, step: EscalateStep, outputs: Outputs) -> bool:
        values = context(state)
        reason, suggestion = render(step.reason, values), render(step.next_step, values)
        state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="escalate", title=step.title or "升级",
                                       text=reason, summary=suggestion))
        state.status, state.step = "escalated", None
        outputs.append(RunbookOutput(kind="escalate", text=f"**需要升级处理**：{reason}"))
        outputs.append(RunbookOutput(kind="summary", text=self.summary(state)))
        return False

    def _link(self, state: RunbookState, runbook: Runbook, step: LinkStep, outputs: Outputs) -> bool:
        target = self.get_runbook(step.runbook)
        values = context(state)
        for name, template in step.slots.items():
            ok, value, _ = slot_values.validate(target.slots[name], str(render(template, values) or ""))
            if ok:
                state.slots[name] = value
        state.evidence.append(Evidence(runbook=runbook.id, step=step.id, kind="link", title=target.title,
                                       text=f"转到运行手册 {target.id}"))
        state.runbook_id, state.step, state.results = target.id, target.steps[0].id, {}
        state.trail.append(target.id)
        prefill(state, target)
        outputs.append(RunbookOutput(kind="info", text=f"转到排障流程：**{target.title}**"))
        return True


def _args_text(args: dict[str, Any]) -> str:
    return "，".join(f"{k}={v}" for k, v in args.items() if k != "reason" and v not in (None, "")) or "无参数"
