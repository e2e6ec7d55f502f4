"""Command-line turns on a fresh data directory: the demo base's vectors are completed by the
first `ask` (no background thread dying with the process), or, for a base over
knowledge.cli_embed_max_chunks, the user is told once that answers use keywords only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.graph.conftest import REPO


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    full = dict(os.environ, SMART_COPILOT__DATA_DIR=str(data_dir), SMART_COPILOT__MODELS__EMBEDDER__BACKEND="hash",
                **env)  # knowledge.dense stays at its default, "background"
    full.pop("SMART_COPILOT__KNOWLEDGE__DENSE", None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=full, capture_output=True, text=True,
                          timeout=600)


def demo_entry(data_dir: Path, **env: str) -> dict:
    proc = run(["kb", "list", "--json"], data_dir, **env)
    assert proc.returncode == 0, proc.stderr
    return next(k for k in json.loads(proc.stdout) if k["name"] == "demo")


def test_first_ask_on_a_fresh_data_dir_completes_the_demo_vectors(tmp_path):
    data = tmp_path / "data"
    proc = run(["ask", "云服务器 SSH 默认端口是多少？", "--json"], data)
    assert proc.returncode == 0, proc.stderr
    assert "22" in json.loads(proc.stdout)["answer"]
    assert "先补全" in proc.stderr
    demo = demo_entry(data)
    assert demo["dense_coverage"] == 1.0 and demo["dense_state"] == "complete" and demo["vectors"] > 0

    again = run(["ask", "实例 CPU 100% 怎么排查？", "--json"], data)
    assert again.returncode == 0 and "补全" not in again.stderr and "提示" not in again.stderr


def test_a_base_too_large_to_embed_now_is_answered_by_keywords_and_says_so_once(tmp_path):
    data, limit = tmp_path / "data", {"SMART_COPILOT__KNOWLEDGE__CLI_EMBED_MAX_CHUNKS": "10"}
    proc = run(["ask", "云服务器 SSH 默认端口是多少？", "--json"], data, **limit)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["grounded"]
    assert proc.stderr.count("本次回答对这些内容只用关键词检索") == 1
    assert "smart-copilot ingest" in proc.stderr
    demo = demo_entry(data, **limit)
    assert demo["dense_coverage"] == 0.0 and demo["pending_chunks"] == demo["chunks"]
    listed = run(["kb", "list"], data, **limit)
    assert "待向量化" in listed.stdout and "关键词检索" in listed.stdout
