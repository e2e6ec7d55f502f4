"""How nodes ask the generative model something: render a prompt file, call, return text.

A backend failure (`ModelError`) returns None so the node falls back to its
deterministic strategy; the reason is logged, never swallowed silently.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Iterator

from graph.context import GraphContext
from graph.prompts import load_prompt
from models.errors import ModelError
from models.llm.base import AdapterChoice, ChatMessage, GenerationOptions

log = logging.getLogger(__name__)
_THINK = re.compile(r"<think>.*?(</think>|$)", re.DOTALL)
_PREFIX = re.compile(r"^\s*(回答|答案|answer)\s*[:：]\s*", re.IGNORECASE)


def clean_model_answer(text: str) -> str:
    """The model's reply without visible reasoning (<think>…) or a leading "回答：" label."""
    return _PREFIX.sub("", _THINK.sub("", text)).strip()


def messages_for(prompt: str, **values: str) -> list[ChatMessage]:
    system, user = load_prompt(prompt).render(**values)
    return [ChatMessage("system", system.strip()), ChatMessage("user", user.strip())]


def call_options(ctx: GraphContext, max_tokens: int | None, adapter: AdapterChoice | None) -> GenerationOptions:
    """The configured decoding with this call's token budget (None: the configured one) and adapter."""
    return replace(ctx.decoding, max_tokens=max_tokens or ctx.decoding.max_tokens, adapter=adapter or AdapterChoice())


def ask_model(ctx: GraphContext, prompt: str, *, max_tokens: int = 64,
              adapter: AdapterChoice | None = None, **values: str) -> str | None:
    """The model's answer to prompt `prompt`, or None when no generative model or it failed."""
    if not ctx.generative:
        return None
    options = call_options(ctx, max_tokens, adapter)
    try:
        with ctx.generation_lock:
            return ctx.llm.chat(messages_for(prompt, **values), options)
    except ModelError as exc:
        log.warning("model call %s failed, using the deterministic strategy: %s", prompt, exc)
        return None


def stream_model(ctx: GraphContext, prompt: str, *, max_tokens: int | None = None,
                 adapter: AdapterChoice | None = None, **values: str) -> Iterator[str]:
    """Stream the model's answer piece by piece (caller holds `ctx.generation_lock`)."""
    options = call_options(ctx, max_tokens, adapter)
    yield from ctx.llm.stream(messages_for(prompt, **values), options)
