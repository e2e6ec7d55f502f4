"""guard: greeting, in-domain question, or off-domain (refused) — with a score.

The verdict comes from `graph.domain_check.judge_message` (deterministic evidence, plus
the model's judgment with a generative backend). Also starts the turn: clears the
previous turn's sections and records the user message.
"""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.domain_check import judge_message, strip_greeting
from graph.progress import Stage, progress
from graph.state import ConversationState


def guard(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    started = time.perf_counter()
    progress(runtime, Stage.UNDERSTAND)
    ctx = runtime.context
    raw = state.get("message", "").strip()
    message = strip_greeting(raw)
    searched: dict = {}
    verdict = judge_message(ctx, message, ctx.kb_name(state.get("kb")), searched)
    verdict["message"] = message
    return {
        "guard": verdict,
        "searched": searched,
        "sections": None,
        "sub_questions": [],
        "unanswered": [],
        "standalone": [],
        "routes": [],
        "runbook_reply": None,
        "messages": [{"role": "user", "content": raw}],
        "trace": {"_reset": True, "guard_ms": round((time.perf_counter() - started) * 1000, 2)},
    }
