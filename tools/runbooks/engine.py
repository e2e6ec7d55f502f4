"""RunbookEngine: match a question to a runbook, then run it step by step.

`advance` executes steps (tools.runbooks.steps) until one needs the agent (an ask or an
approval) or the flow ends; replies are applied by tools.runbooks.replies. All run state
lives in the JSON-serialisable RunbookState, so a flow survives a restart. Tools run only
because a runbook step says so (approve steps additionally need the agent's "approve").
"""

from __future__ import annotations

import builtins  # the method `list` shadows the builtin in the class body

import time
from typing import Any

from tools.errors import ToolsError
from tools.runbooks import matching
from tools.runbooks.loader import check_tools
from tools.runbooks.navigation import find_step, prefill
from tools.runbooks.replies import answer, decide, normalise_reply, repeat_waiting
from tools.runbooks.schema import AskStep, Runbook
from tools.runbooks.state import RunbookOutput, RunbookState
from tools.runbooks.steps import StepRunner
from tools.runbooks.summary import render_summary

MAX_STEPS_PER_ADVANCE = 200


class RunbookEngine:
    """Executes runbooks against a ToolRegistry; see docs/contracts.md for the API."""

    def __init__(self, runbooks: dict[str, Runbook], registry: Any, knowledge: Any = None,
                 threshold: float | None = None) -> None:
        check_tools(runbooks, {spec["name"]: spec["risk"] for spec in registry.specs()})
        self.runbooks = runbooks
        self.registry = registry
        self.knowledge = knowledge
        settings = getattr(registry, "settings", None)
        self.threshold = threshold if threshold is not None else getattr(settings, "runbook_match_threshold", 0.45)
        self.steps = StepRunner(registry, knowledge, self.get, self.summary)

    def get(self, runbook_id: str) -> Runbook:
        if runbook_id not in self.runbooks:
            raise ToolsError(f"没有 id 为 {runbook_id!r} 的运行手册（可用：{', '.join(sorted(self.runbooks))}）")
        return self.runbooks[runbook_id]

    def list(self) -> list[dict[str, Any]]:
        return [{"id": r.id, "title": r.title, "description": r.description, "intents": r.triggers.intents}
                for r in self.runbooks.values()]

    def scores(self, question: str) -> builtins.list[tuple[str, float]]:
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
        prefill(state, runbook)
        return state

    def summary(self, state: RunbookState) -> str:
        return render_summary(state, self.runbooks)

    def advance(self, state: RunbookState, reply: str | None = None,
                user: str | None = None) -> tuple[RunbookState, builtins.list[RunbookOutput]]:
        """Apply the reply (if waiting), then run until the flow waits or ends; the input state is not changed.

        `user`: who is replying (recorded in the audit for this and later tool calls and approvals).
        """
        state = state.model_copy(deep=True)
        if user:
            state.user = user
        outputs: builtins.list[RunbookOutput] = []
        if state.finished:
            outputs.append(RunbookOutput(kind="info", text="该排障流程已结束。"))
            return state, outputs
        if state.waiting is not None:
            if reply is None:
                outputs.append(repeat_waiting(state, "继续之前的排障流程。"))
                state.status = "waiting"
                return _stamp(state), outputs
            if not self._take_reply(state, normalise_reply(reply), outputs):
                return _stamp(state), outputs
        state.status = "running"
        for _ in range(MAX_STEPS_PER_ADVANCE):
            if state.step is None:
                self.steps.finish(state, outputs)
                return _stamp(state), outputs
            runbook = self.get(state.runbook_id)
            if not self.steps.execute(state, runbook, find_step(runbook, state.step), outputs):
                return _stamp(state), outputs
        raise ToolsError(f"运行手册 {state.runbook_id} 在一次推进中执行了超过 {MAX_STEPS_PER_ADVANCE} 步，可能存在循环")

    def _take_reply(self, state: RunbookState, reply: str, outputs: builtins.list[RunbookOutput]) -> bool:
        """Apply the agent's reply to the pending step; False when still waiting."""
        runbook = self.get(state.runbook_id)
        step = find_step(runbook, (state.waiting or {})["step"])
        if reply == "leave":
            state.status = "left"
            outputs.append(RunbookOutput(kind="info", text="已暂停排障流程，随时可以回来继续（回复任意内容即可继续当前步骤）。"))
            return False
        if isinstance(step, AskStep):
            return answer(state, runbook, step, reply, outputs)
        return decide(self.registry, state, runbook, step, reply, outputs)


def _stamp(state: RunbookState) -> RunbookState:
    state.updated_at = time.time()
    return state
