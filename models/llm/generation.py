"""Turning `GenerationOptions` into transformers generation settings, and the prompt.

Greedy when temperature is 0 (no sampling parameters set), otherwise temperature /
top-p / top-k sampling; the repetition penalty applies in both cases. Stop strings end
generation early through `StopTextCriteria`, which decodes only the tail of each
sequence (transformers' own `stop_strings` preprocesses the whole vocabulary per call:
seconds for a 150k-token vocabulary); the caller cuts the text at the stop string.
"""

from __future__ import annotations

import threading
from typing import Any

from models.llm.base import ChatMessage, GenerationOptions
from models.llm.chat_render import render_chat


def render_prompts(tokenizer: Any, conversations: list[list[ChatMessage]]) -> list[str]:
    """Each conversation through the tokenizer's chat template, ready for the assistant turn."""
    return [render_chat(tokenizer, messages) for messages in conversations]


def eos_ids(tokenizer: Any, model_config: Any) -> list[int]:
    """End-of-turn ids: the model's generation config ones plus the tokenizer's eos."""
    ids: list[int] = []
    configured = getattr(model_config, "eos_token_id", None)
    if isinstance(configured, int):
        ids.append(configured)
    elif configured:
        ids.extend(configured)
    if tokenizer.eos_token_id is not None:
        ids.append(tokenizer.eos_token_id)
    return list(dict.fromkeys(ids))


def generation_config(options: GenerationOptions, tokenizer: Any, model_config: Any, **overrides: Any) -> Any:
    """A `GenerationConfig` for one request."""
    from transformers import GenerationConfig

    kwargs: dict[str, Any] = {
        "max_new_tokens": options.max_tokens,
        "repetition_penalty": options.repetition_penalty,
        "eos_token_id": eos_ids(tokenizer, model_config),
        "pad_token_id": tokenizer.pad_token_id,
        "do_sample": options.temperature > 0,
    }
    if options.temperature > 0:
        kwargs.update(temperature=options.temperature, top_p=options.top_p, top_k=options.top_k or None)
    if options.min_tokens > 0:
        kwargs["min_new_tokens"] = options.min_tokens
    kwargs.update(overrides)
    return GenerationConfig(**kwargs)


class CancelCriteria:
    """Stops generation when the consumer of a stream goes away."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class StopTextCriteria:
    """True for a sequence once its generated text contains one of the stop strings."""

    def __init__(self, tokenizer: Any, stop: tuple[str, ...], prompt_length: int) -> None:
        self.tokenizer = tokenizer
        self.stop = tuple(s for s in stop if s)
        self.prompt_length = prompt_length
        # Every token decodes to at least part of one character; 4 bytes make a character.
        self.window = 4 * max((len(s) for s in self.stop), default=0) + 4

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        done = [False] * input_ids.shape[0]
        if self.stop:
            start = max(self.prompt_length, input_ids.shape[1] - self.window)
            tails = self.tokenizer.batch_decode(input_ids[:, start:], skip_special_tokens=True)
            done = [any(s in tail for s in self.stop) for tail in tails]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)


def stopping_criteria(tokenizer: Any, options: GenerationOptions, prompt_length: int, cancel: threading.Event | None = None) -> Any:
    """Stop strings (and a stream consumer going away) as a `StoppingCriteriaList`."""
    from transformers import StoppingCriteriaList

    criteria: list[Any] = [StopTextCriteria(tokenizer, options.stop, prompt_length)] if options.stop else []
    if cancel is not None:
        criteria.append(CancelCriteria(cancel))
    return StoppingCriteriaList(criteria)
