"""Decoding helpers shared by the backends: default options from settings, stop strings.

`options_from_settings` turns the `models.llm` decoding defaults into `GenerationOptions`;
`StopFilter` cuts streamed text at the first stop string without ever emitting a piece
of it (text that could be the start of a stop string is held back until it is not).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from models.llm.base import AdapterChoice, CommonLLMSettings, GenerationOptions


def options_from_settings(llm: CommonLLMSettings, adapter: AdapterChoice | None = None,
                          **overrides: Any) -> GenerationOptions:
    """The configured decoding defaults, with an adapter choice and per-call overrides."""
    options = GenerationOptions(
        max_tokens=llm.max_tokens,
        temperature=llm.temperature,
        top_p=llm.top_p,
        top_k=llm.top_k,
        repetition_penalty=llm.repetition_penalty,
        adapter=adapter or AdapterChoice(),
    )
    return replace(options, **overrides) if overrides else options


def cut_at_stop(text: str, stop: tuple[str, ...]) -> str:
    """`text` up to (not including) the earliest stop string."""
    positions = [text.find(s) for s in stop if s and s in text]
    return text[: min(positions)] if positions else text


class StopFilter:
    """Feed streamed pieces; get back only text that is certainly before any stop string."""

    def __init__(self, stop: tuple[str, ...]) -> None:
        self.stop = tuple(s for s in stop if s)
        self.stopped = False
        self._pending = ""

    def feed(self, piece: str) -> str:
        """Text safe to emit now; sets `stopped` when a stop string has been seen."""
        if self.stopped:
            return ""
        text = self._pending + piece
        if not self.stop:
            return text
        cut = cut_at_stop(text, self.stop)
        if len(cut) < len(text):
            self.stopped = True
            self._pending = ""
            return cut
        hold = self._longest_stop_prefix_suffix(text)
        self._pending = text[len(text) - hold :] if hold else ""
        return text[: len(text) - hold]

    def flush(self) -> str:
        """What was held back, once the stream has ended without a stop string."""
        rest, self._pending = ("" if self.stopped else self._pending), ""
        return rest

    def _longest_stop_prefix_suffix(self, text: str) -> int:
        best = 0
        for s in self.stop:
            for n in range(min(len(s) - 1, len(text)), best, -1):
                if text.endswith(s[:n]):
                    best = n
                    break
        return best
