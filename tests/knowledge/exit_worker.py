"""Subprocess run by test_exit.py: a process that ends while background embedding is mid-batch.

Usage: python -m tests.knowledge.exit_worker DATA_DIR FOLDER
The embedder (a scripted fake over the hash embedder) holds its first batch until the service
is told to stop at exit, then hands work to a thread pool — as the first chromadb import does
(opentelemetry's resource detection) when a batch is the process's first use of the store.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Sequence

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder

started = threading.Event()


class ExitTimedEmbedder(HashEmbedder):
    stop: threading.Event | None = None
    """The service's stop signal (set at interpreter exit)."""

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        if not started.is_set():
            started.set()
            assert self.stop is not None
            self.stop.wait(30)
            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(super().embed_passages, texts).result()
        return super().embed_passages(texts)


def main() -> None:
    data_dir, folder = Path(sys.argv[1]), Path(sys.argv[2])
    embedder = ExitTimedEmbedder(dim=32)
    ks = KnowledgeService(KnowledgeSettings(dense="background"), data_dir, embedder)
    embedder.stop = ks.vectors.stop
    ks.ingest([folder], kb="t")
    if not started.wait(30):
        raise SystemExit("the background worker never started")
    print("exiting", flush=True)


if __name__ == "__main__":
    main()
