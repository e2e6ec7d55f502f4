"""split: one message -> self-contained sub-questions (at most `max_sub_questions`).

Deterministic strategy: `graph.questions.split_message`. Model strategy: the `split`
prompt, accepted only when every line is drawn from the message; otherwise the
deterministic result.
"""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.model_calls import ask_model
from graph.questions import domain_terms, split_message
from graph.state import ConversationState

_TRIM = " \t\n，,。；;：:？?！!"


def _model_split(ctx: GraphContext, message: str) -> list[str] | None:
    out = ask_model(ctx, "split", max_tokens=200, message=message)
    if not out:
        return None
    lines = [re.sub(r"^\s*(?:\d+[.、)]|[-*•])\s*", "", ln).strip(_TRIM) for ln in out.splitlines()]
    lines = [ln for ln in lines if ln]
    chars = set(message)
    if not lines or len(lines) > 2 * ctx.settings.max_sub_questions:
        return None
    for ln in lines:
        drawn = sum(1 for c in ln if c in chars) / len(ln)
        if drawn < 0.7:
            return None
    return lines


def split(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    message = state["guard"].get("message") or state["message"]
    vocab = ctx.vocabulary.get(ctx.knowledge, ctx.kb_name(state.get("kb")))
    questions = _model_split(ctx, message) or split_message(message, domain_terms(vocab.lexicon))
    limit = ctx.settings.max_sub_questions
    return {"sub_questions": questions[:limit], "unanswered": questions[limit:]}
