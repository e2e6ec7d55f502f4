"""Rounds of two concurrent ingests into one base plus searches, each in its own process,
with a consistency check of catalog and vectors after every round.

Shared by tests/hardening/test_concurrent_ingest.py (hash embedder, cheap rounds) and
benchmarks/concurrent_ingest.py (the default embedder). Each round rewrites both folders,
so every ingest replaces documents (new chunk ids, old vectors removed) while the other
process does the same to its own documents of the same base.
"""

from __future__ import annotations

import os
import selectors
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KB = "race"
QUERIES = ["端口 连接 超时", "磁盘 空间 清理", "ERROR 1040 连接数"]


def write_folder(root: Path, name: str, round_no: int, docs: int) -> Path:
    folder = root / f"{name}-{round_no}"
    for i in range(docs):
        path = folder / name / f"doc{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(f"## 第 {s} 节\n\n{name} 文档 {i} 第 {round_no} 轮：排查 ERROR {1000 + i} 与端口 {20 + s} 的连接超时。"
                           + "检查磁盘空间与配置。" * (4 + round_no % 3) for s in range(3))
        path.write_text(f"# {name} 文档 {i}\n\n{body}\n", encoding="utf-8")
    return folder


class Worker:
    """One ingest_worker subprocess, driven line by line."""

    def __init__(self, data_dir: Path, embedder: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.hardening.ingest_worker", str(data_dir), embedder],
                                     cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert self.read(120) == "ready", self.proc.stderr.read()[-2000:] if self.proc.poll() is not None else "no ready"

    def send(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self, timeout: float) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise TimeoutError(f"worker silent for {timeout} s")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker died (exit {self.proc.wait()}): {self.proc.stderr.read()[-2000:]}")
        return line.strip()

    def close(self) -> int:
        if self.proc.poll() is None:
            self.send("quit")
            try:
                return self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()


@dataclass
class RoundResult:
    round: int
    seconds: float
    answers: list[str]
    searches: list[str]
    after: str = ""
    """The searching process's answer once both ingests finished (`ok <hits> <dense hits>`)."""
    check: dict = field(default_factory=dict)


def check_consistent(data_dir: Path, kb: str, embedder: str, dim: int = 256) -> dict:
    """Every document complete, its chunks in the lexical index, exactly its vectors in Chroma, queries work."""
    from knowledge.catalog import Catalog, kb_key
    from knowledge.dense import DenseIndex
    from knowledge.locks import StoreLocks
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    root = data_dir / "kb"
    conn = sqlite3.connect(str(root / "catalog.sqlite"))
    key = kb_key(kb)
    docs = conn.execute("SELECT COUNT(*), SUM(state = 'complete') FROM documents WHERE kb = ?", (kb,)).fetchone()
    chunks = conn.execute("SELECT COUNT(*) FROM chunks WHERE kb = ?", (kb,)).fetchone()[0]
    fts = conn.execute(f"SELECT COUNT(*) FROM fts_{key}").fetchone()[0]
    per_doc = conn.execute("SELECT COUNT(*) FROM documents d WHERE kb = ? AND chunks != "
                           "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id)", (kb,)).fetchone()[0]
    conn.close()
    catalog = Catalog(root / "catalog.sqlite")
    dense = DenseIndex(root / "chroma", create_embedder(EmbedderSettings(backend=embedder, dim=dim)), StoreLocks(root))
    try:
        ids = set(dense.all_ids(key))
        known = set(catalog.chunk_ids(kb))
        # the embedding plan leaves code, dumps and logs to keywords: each document holds the number of
        # vectors the catalog recorded for it (doc_vectors), no more, no fewer
        expected = sum(int(d["vectors"]) for d in catalog.embedded_documents(kb))
        hits = dense.query(key, dense.embedder.embed_query(QUERIES[0]), 50)
        full = dense.query(key, dense.embedder.embed_query(QUERIES[1]), max(len(ids), 1))
    finally:
        dense.close()
        catalog.close()
    return {"documents": docs[0], "complete": int(docs[1] or 0), "chunks": chunks, "fts": fts,
            "bad_documents": per_doc, "vectors": len(ids), "missing": len(known - ids), "orphans": len(ids - known),
            "query_hits": len(hits), "full_query": len(full), "expected_vectors": expected,
            "consistent": docs[0] == (docs[1] or 0) and chunks == fts and len(ids) == expected and not per_doc
            and ids <= known and len(full) == len(ids)}


def run_rounds(data_dir: Path, work: Path, rounds: int, embedder: str, docs: int,
               timeout: float = 600) -> list[RoundResult]:
    """`rounds` rounds of two concurrent ingests (each its own process) and a searching process."""
    workers = [Worker(data_dir, embedder) for _ in range(3)]
    results: list[RoundResult] = []
    try:
        for r in range(rounds):
            folders = [write_folder(work, name, r, docs) for name in ("alpha", "beta")]
            started = time.monotonic()
            for worker, folder in zip(workers, folders):
                worker.send(f"ingest {KB} {folder}")
            searches = []
            for query in QUERIES:  # while both ingests run
                workers[2].send(f"search {KB} {query}")
                searches.append(workers[2].read(timeout))
            answers = [w.read(timeout) for w in workers[:2]]
            seconds = round(time.monotonic() - started, 2)
            workers[2].send(f"search {KB} {QUERIES[0]}")
            result = RoundResult(r, seconds, answers, searches, workers[2].read(timeout))
            result.check = check_consistent(data_dir, KB, embedder)
            results.append(result)
    finally:
        codes = [w.close() for w in workers]
    assert codes == [0, 0, 0], f"a worker crashed: exit codes {codes}"
    return results
