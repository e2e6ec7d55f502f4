"""Vectors for one-shot command-line turns (`ask`, and `analyze` when the guard uses retrieval).

A command-line process exits right after its turn, so a background embedding thread would
die with it and the base would stay keyword-only without anyone knowing. Instead, before
the turn: a base with few chunks waiting for vectors (knowledge.cli_embed_max_chunks, the
demo base fits) is embedded in the foreground with progress on stderr; a larger one is
answered by keywords and the user is told so, once, on stderr (stdout keeps the answer or
its JSON). Tested in tests/graph/test_cli_vectors.py.
"""

from __future__ import annotations

import sys
from typing import Any

from app.progress import stderr_progress
from app.settings import Settings


def prepare_vectors(knowledge: Any, kb: str | None, settings: Settings) -> str:
    """Complete or announce the vectors of the turn's base; returns "complete", "embedded", "keywords" or
    "unavailable" (a Chroma server that does not answer: nothing to do here, the turn ranks by keywords)."""
    name = kb or settings.knowledge.default_kb
    if settings.knowledge.dense == "off" or not knowledge.has_kb(name):
        return "complete"
    status = knowledge.vector_status(name)
    pending = status["pending_chunks"]
    if status.get("dense_state") == "unavailable":  # the vector server is down: the turn's reply says so
        return "unavailable"
    if not pending:
        return "complete"
    if pending <= settings.knowledge.cli_embed_max_chunks:
        print(f"知识库 {name} 还有 {pending} 段没有向量，先补全（只需一次）……", file=sys.stderr, flush=True)
        progress = stderr_progress()
        try:
            knowledge.complete_vectors(name, progress=progress)
        finally:
            if progress is not None:
                progress.close()
        return "embedded"
    print(f"提示：知识库 {name} 的向量尚未完成（覆盖率 {status['dense_coverage']:.0%}，还有 {pending} 段待向量化），"
          f"本次回答对这些内容只用关键词检索；运行 smart-copilot ingest <文档路径> --kb {name} 补全向量后即可使用语义检索。",
          file=sys.stderr, flush=True)
    return "keywords"
