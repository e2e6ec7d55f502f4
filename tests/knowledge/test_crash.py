"""Crash consistency: SIGKILL an ingest subprocess mid-way, check the stores, re-run to completion."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.catalog import kb_key
from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder
from tests.knowledge.conftest import write

REPO = Path(__file__).resolve().parents[2]
N_DOCS = 60


def make_folder(root: Path) -> Path:
    for i in range(N_DOCS):
        sections = "\n\n".join(f"## 第 {s} 节\n\n文档 {i} 第 {s} 节：排查 ERROR {1000 + i} 的步骤。" + "检查连接与配置。" * 20
                               for s in range(4))
        write(root, f"docs/doc{i:03d}.md", f"# 文档 {i}\n\n{sections}\n")
    return root


def run_until(data_dir: Path, folder: Path, stage: str, at_least: int) -> None:
    """Start the worker, SIGKILL it as soon as it reports `stage` progress >= at_least."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.knowledge.crash_worker", str(data_dir), str(folder)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        for line in proc.stdout:
            parts = line.split()
            if parts and parts[0] == "done":
                pytest.fail("ingest finished before it could be killed")
            if parts and parts[0] == stage and int(parts[1]) >= at_least:
                proc.send_signal(signal.SIGKILL)
                break
        else:
            pytest.fail(f"worker ended early: {proc.stderr.read()[-2000:]}")
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def check_catalog_consistent(data_dir: Path) -> dict[str, int]:
    """Every document has exactly its chunks and lexical rows; nothing dangles."""
    conn = sqlite3.connect(str(data_dir / "kb" / "catalog.sqlite"))
    key = kb_key("crash")
    for doc_id, chunks in conn.execute("SELECT id, chunks FROM documents"):
        assert conn.execute("SELECT COUNT(*) FROM chunks WHERE doc_id = ?", (doc_id,)).fetchone()[0] == chunks
    assert conn.execute("SELECT COUNT(*) FROM chunks WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0] == 0
    n_chunks = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    assert conn.execute(f"SELECT COUNT(*) FROM fts_{key}").fetchone()[0] == n_chunks
    states = dict(conn.execute("SELECT state, COUNT(*) FROM documents GROUP BY state").fetchall())
    conn.close()
    return states


def finish_and_check(data_dir: Path, folder: Path) -> None:
    ks = KnowledgeService(KnowledgeSettings(dense="sync"), data_dir, HashEmbedder(dim=64))
    try:
        report = ks.ingest([folder], kb="crash").to_json()
        assert report["errors"] == [] and report["added"] + report["unchanged"] == N_DOCS
        info = ks.list_kbs()[0]
        assert info["documents"] == N_DOCS and info["dense_coverage"] == 1.0
        assert ks.dense.count(kb_key("crash")) == info["chunks"]  # no orphan or duplicate vectors
        hit = ks.search("ERROR 1047", kb="crash", k=1)[0]
        assert hit.source == "docs/doc047.md"
    finally:
        ks.close()
    assert check_catalog_consistent(data_dir) == {"complete": N_DOCS}


def test_kill_during_lexical_phase(tmp_path):
    folder = make_folder(tmp_path / "src")
    data_dir = tmp_path / "data"
    run_until(data_dir, folder, "索引", 10)
    states = check_catalog_consistent(data_dir)
    assert 0 < sum(states.values()) < N_DOCS and set(states) <= {"lexical"}
    finish_and_check(data_dir, folder)


@pytest.mark.slow
def test_kill_during_dense_phase(tmp_path):
    folder = make_folder(tmp_path / "src")
    data_dir = tmp_path / "data"
    run_until(data_dir, folder, "向量", 60)
    states = check_catalog_consistent(data_dir)
    assert sum(states.values()) == N_DOCS and states.get("lexical", 0) > 0  # all searchable, some dense pending
    finish_and_check(data_dir, folder)
