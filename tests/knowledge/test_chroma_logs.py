"""knowledge/chroma_logs.py: Chroma's English log lines never reach the console; DEBUG keeps them."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_chroma_warnings_never_reach_the_console(tmp_path):
    """A process that opened the dense store (no logging configured, as the CLI and `serve` run):
    a warning Chroma logs ("Add of existing embedding ID") is not printed on stderr."""
    script = textwrap.dedent(f"""
        import logging
        from knowledge.config import KnowledgeSettings
        from knowledge.service import KnowledgeService
        from models.embeddings.hash import HashEmbedder

        folder = {str(tmp_path / "docs")!r}
        ks = KnowledgeService(KnowledgeSettings(dense="sync"), {str(tmp_path / "data")!r}, HashEmbedder(dim=16))
        ks.ingest([folder], kb="logs")
        logging.getLogger("chromadb.segment.impl.vector.local_persistent_hnsw").warning("Add of existing embedding ID: 1")
        logging.getLogger("chromadb.telemetry.product.posthog").error("Failed to send telemetry event")
        logging.getLogger("knowledge.elsewhere").warning("our own warning")
        ks.close()
    """)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# 标题\n\n云服务器 CPU 使用率高时先用 top 查看进程。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "existing embedding" not in done.stderr and "telemetry" not in done.stderr, done.stderr
    assert "our own warning" in done.stderr  # only Chroma's loggers are quieted


def test_chroma_records_are_kept_at_debug(caplog):
    from knowledge.chroma_logs import quiet_chroma_logs

    quiet_chroma_logs()
    quiet_chroma_logs()  # idempotent: one handler, one record
    with caplog.at_level(logging.DEBUG, logger="knowledge.chroma"):
        logging.getLogger("chromadb.api").warning("Add of existing embedding ID: 7")
    kept = [r for r in caplog.records if r.name == "knowledge.chroma"]
    assert len(kept) == 1 and kept[0].levelno == logging.DEBUG and "existing embedding ID: 7" in kept[0].getMessage()
