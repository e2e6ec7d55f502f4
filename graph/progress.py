"""Progress and token events nodes emit through langgraph's custom stream mode.

A progress event is `{"type": "progress", "stage": <Stage id>, "label": <Chinese label>, ...}`;
the labels live in `graph/prompts/replies.yaml` (`stages:`), the order is `Stage`'s.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from langgraph.runtime import Runtime


class Stage(str, Enum):
    """The steps of a turn the UI shows, in the order they happen."""

    UNDERSTAND = "understand"
    RETRIEVE = "retrieve"
    GENERATE = "generate"
    VERIFY = "verify"
    TOOLS = "tools"

    @property
    def label(self) -> str:
        from graph.prompts import stage_labels

        return stage_labels()[self.value]


def progress(runtime: Runtime[Any], stage: Stage, **detail: Any) -> None:
    runtime.stream_writer({"type": "progress", "stage": stage.value, "label": stage.label, **detail})


def token(runtime: Runtime[Any], text: str, section: int = 0) -> None:
    runtime.stream_writer({"type": "token", "text": text, "section": section})
