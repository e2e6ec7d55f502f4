"""One conversation's answers do not depend on the conversations a process answered before it.

A copilot serves many support agents from one process (the web app), and the evaluation
scripts run whole sets through one process: module caches, the shared jieba dictionary
(loaded by first character as texts need it), per-base vocabularies and tokenizers, the
calibration and keyword-index caches all live as long as the process. Whatever they carry from
one conversation to the next must not change an answer. Checked here end to end, through
`app.wiring.build_copilot` on a data dir with two bases: the answers of a fresh process
(a subprocess: every cache cold) equal those of a process that first answered other
conversations, on both bases, in either order.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.app.ui_server import ingest_small_demo, small_settings

REPO = Path(__file__).resolve().parents[2]
OTHER_PARTS = ("docs/disk", "docs/cdn")
"""The second base: pages whose words the first base (tests.app.ui_server.DEMO_PARTS) lacks."""

TARGETS = [
    ("demo", ["SSH 连接超时怎么办？", "安全组规则我刚加上 要重启机器才生效吗"]),
    ("demo", ["mysql 连接数满了"]),
    ("other", ["硬盘满了写不进去东西"]),
    ("other", ["网站改了 css 用户看到的还是旧的"]),
]
"""The conversations compared (base, turns)."""

BEFORE = [
    ("other", ["磁盘扩容后容量没变", "那数据盘怎么挂载"]),
    ("demo", ["云服务器 SSH 默认端口是多少？"]),
    ("other", ["CDN 回源 403"]),
    ("demo", ["数据库只读了", "怎么恢复写入"]),
    ("demo", ["硬盘满了"]),
]
"""Conversations a warm process answered first (both bases; words of one base asked of the other)."""

FRESH = """
import json, sys, uuid
from app.settings import Settings
from app.wiring import build_copilot
settings = Settings.model_validate(json.loads(sys.argv[1]))
copilot = build_copilot(settings)
out = []
for kb, turns in json.loads(sys.argv[2]):
    session = "fresh-" + uuid.uuid4().hex[:8]
    out.append([(r.answer, [c["source"] for c in r.to_json()["citations"]])
                for r in (copilot.ask(m, session, kb=kb) for m in turns)])
copilot.context.knowledge.close()
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def two_bases(tmp_path_factory):
    """Settings of a data dir holding "demo" (a slice of the demo KB) and "other" (two more folders)."""
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    root = tmp_path_factory.mktemp("isolation")
    settings = small_settings(root)
    ingest_small_demo(settings)
    subset = root / "other-subset"
    for part in OTHER_PARTS:
        shutil.copytree(DEMO_DIR / part, subset / part)
    service = KnowledgeService(settings.knowledge, settings.data_dir, create_embedder(settings.models.embedder))
    try:
        service.ingest([subset], kb="other")
        service.wait_dense()
    finally:
        service.close()
    return settings


def ask_all(copilot, conversations) -> list[list[tuple[str, list[str]]]]:
    out = []
    for kb, turns in conversations:
        session = f"warm-{uuid.uuid4().hex[:8]}"
        out.append([(r.answer, [c["source"] for c in r.to_json()["citations"]])
                    for r in (copilot.ask(m, session, kb=kb) for m in turns)])
    return out


def fresh_answers(settings, conversations) -> list[list[tuple[str, list[str]]]]:
    """The answers of a new process (every module cache cold)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", FRESH, settings.model_dump_json(),
                           json.dumps(conversations, ensure_ascii=False)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=True)
    return [[(answer, sources) for answer, sources in turns] for turns in json.loads(done.stdout)]


def test_answers_do_not_depend_on_the_conversations_before_them(two_bases):
    from app.wiring import build_copilot

    fresh = fresh_answers(two_bases, TARGETS)
    assert all(answer for turns in fresh for answer, _ in turns)
    copilot = build_copilot(two_bases)
    try:
        ask_all(copilot, BEFORE)
        warm = ask_all(copilot, TARGETS)
        reversed_order = ask_all(copilot, TARGETS[::-1])[::-1]
    finally:
        copilot.context.knowledge.close()
    assert warm == fresh
    assert reversed_order == fresh


def test_a_second_copilot_in_the_process_answers_as_the_first(two_bases, tmp_path):
    """Two data dirs in one process (a test run, a benchmark comparing bases): the second copilot's
    bases are not read through the first one's caches."""
    from app.wiring import build_copilot

    other = two_bases.model_copy(update={"data_dir": tmp_path / "copy"})
    shutil.copytree(two_bases.data_dir, other.data_dir)
    first = build_copilot(two_bases)
    second = build_copilot(other)
    try:
        assert ask_all(second, TARGETS) == ask_all(first, TARGETS)
    finally:
        first.context.knowledge.close()
        second.context.knowledge.close()
