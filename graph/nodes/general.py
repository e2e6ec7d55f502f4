"""general: a sub-question that needs no knowledge base (translate, write, explain).

Model strategy: the base model (no adapter) with the `general` prompt, streamed. In
extractive mode there is no model to answer with: an honest short reply says so.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.model_calls import stream_model
from graph.nodes.answer import clean_model_answer
from graph.progress import progress, token
from graph.prompts import replies
from graph.state import QuestionState
from models.errors import ModelError


def general(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    text, mode = replies()["general_needs_model"].strip(), "none"
    if ctx.generative:
        progress(runtime, "生成", section=state["index"])
        pieces: list[str] = []
        try:
            with ctx.generation_lock:
                for piece in stream_model(ctx, "general", question=state["standalone"]):
                    pieces.append(piece)
                    token(runtime, piece, state["index"])
            text, mode = clean_model_answer("".join(pieces)) or text, "model"
        except ModelError as exc:
            text = f"{text}（{exc}）"
    return {"sections": [{
        "index": state["index"], "question": state["question"], "standalone": state["standalone"],
        "route": "general", "answer": text, "citations": [], "grounded": False,
        "adapter": None, "mode": mode,
    }]}
