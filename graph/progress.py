"""Progress and token events nodes emit through langgraph's custom stream mode."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

Stage = str  # "理解问题" | "检索" | "生成" | "核验" | "工具"


def progress(runtime: Runtime[Any], stage: Stage, **detail: Any) -> None:
    runtime.stream_writer({"type": "progress", "stage": stage, **detail})


def token(runtime: Runtime[Any], text: str, section: int = 0) -> None:
    runtime.stream_writer({"type": "token", "text": text, "section": section})
