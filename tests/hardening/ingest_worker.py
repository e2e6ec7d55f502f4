"""A separate process that ingests and searches on command (the concurrent-ingest test and benchmark).

    python -m tests.hardening.ingest_worker DATA_DIR EMBEDDER

Reads one command a line on stdin and answers one line on stdout:
`ingest KB FOLDER` -> `ok {"added",...}` | `busy <message>`; `search KB QUERY` -> `ok <hits> <dense hits>`;
`quit`. Any other failure answers `error <type>: <message>` and the worker goes on. The service
is the real KnowledgeService with `dense="sync"` (as `smart-copilot ingest` runs it), so every
ingest embeds before it answers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    from knowledge.config import KnowledgeSettings
    from knowledge.locks import LockBusy
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    data_dir, embedder = Path(sys.argv[1]), sys.argv[2]
    service = KnowledgeService(KnowledgeSettings(dense="sync", writer_wait_s=120), data_dir,
                               create_embedder(EmbedderSettings(backend=embedder)))
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        try:
            if command == "quit":
                break
            if command == "ingest":
                kb, folder = rest.split(" ", 1)
                report = service.ingest([Path(folder)], kb=kb)
                print("ok", json.dumps(report.to_json(), ensure_ascii=False), flush=True)
            elif command == "search":
                kb, query = rest.split(" ", 1)
                hits = service.search(query, kb=kb, k=8) if service.has_kb(kb) else []
                print("ok", len(hits), sum(1 for h in hits if h.dense_score is not None), flush=True)
            else:
                print("error unknown command", command, flush=True)
        except LockBusy as exc:
            print("busy", exc, flush=True)
        except Exception as exc:  # reported to the parent, which decides what it means
            print("error", f"{type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
    service.close()


if __name__ == "__main__":
    main()
