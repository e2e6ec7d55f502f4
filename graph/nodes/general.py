"""general: a sub-question that needs no knowledge base (translate, write, explain).

Model strategy: the base model (no adapter) with the `general` prompt, streamed. In
extractive mode there is no model to answer with: an honest short reply says so.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.model_calls import clean_model_answer, stream_model
from graph.progress import Stage, progress, token
from graph.prompts import replies
from graph.schema import AnswerMode, make_section
from graph.state import QuestionState
from models.errors import ModelError


def general(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    text = replies()["general_needs_model"].strip()
    mode: AnswerMode = "none"
    if ctx.generative:
        progress(runtime, Stage.GENERATE, section=state["index"])
        pieces: list[str] = []
        try:
            with ctx.generation_lock:
                for piece in stream_model(ctx, "general", question=state["standalone"]):
                    pieces.append(piece)
                    token(runtime, piece, state["index"])
            text, mode = clean_model_answer("".join(pieces)) or text, "model"
        except ModelError as exc:
            text = f"{text}（{exc}）"
    return {"sections": [make_section(state["index"], state["question"], state["standalone"], "general", text,
                                      mode=mode)]}
