"""Subprocess run by test_crash.py: ingest a folder, printing progress so the test can kill it mid-way.

Usage: python -m tests.knowledge.crash_worker DATA_DIR FOLDER
The embedder is the hash embedder slowed down per batch (a scripted fake), so the dense
phase lasts long enough to be interrupted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Sequence

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder


class SlowHashEmbedder(HashEmbedder):
    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        time.sleep(0.01 * len(texts))
        return super().embed_passages(texts)


def main() -> None:
    data_dir, folder = Path(sys.argv[1]), Path(sys.argv[2])
    ks = KnowledgeService(KnowledgeSettings(dense="sync"), data_dir, SlowHashEmbedder(dim=64))

    def progress(stage: str, done: int, total: int) -> None:
        print(stage, done, total, flush=True)

    ks.ingest([folder], kb="crash", progress=progress)
    print("done", flush=True)
    ks.close()


if __name__ == "__main__":
    main()
