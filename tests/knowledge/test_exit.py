"""A process that ends while background embedding runs ends cleanly: the worker is stopped after
its batch in flight before the interpreter's thread pools refuse work (`smart-copilot eval` once
printed "cannot schedule new futures after interpreter shutdown" with a traceback at exit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.knowledge.conftest import write

REPO = Path(__file__).resolve().parents[2]


def test_exit_during_background_embedding_stops_the_worker_without_a_traceback(tmp_path):
    folder = tmp_path / "kb"
    for i in range(40):
        write(folder, f"doc{i}.md", f"# 文档 {i}\n\n第 {i} 篇说明，介绍云服务器的第 {i} 种常见故障和处理办法。\n")
    run = subprocess.run([sys.executable, "-m", "tests.knowledge.exit_worker", str(tmp_path / "data"), str(folder)],
                         cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0 and run.stdout.strip() == "exiting", run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "cannot schedule" not in run.stderr, run.stderr[-2000:]
    assert "stopping background embedding of t at exit" in run.stderr
    assert "chunks left; it resumes at the next start" in run.stderr  # the batch in flight was committed
