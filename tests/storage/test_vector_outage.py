"""The Chroma server stops mid-conversation: searches and turns rank by keywords and say so; nothing is lost.

A `chroma run` of this test's own (tests.fixtures.servers.ChromaServer, stopped and started
again here; the session's shared server keeps serving the other tests) and the session's
PostgreSQL. In server mode with the demo base embedded: search, a chat turn (Copilot, as
the UI and `/chat` run it) and the `search` command answer from keywords with a Chinese
warning while the server is down, an ingest keeps its document, and once the server is back
search is hybrid again, with no warning. The command line too: `ask` answers from keywords
with the notice in its reply (and `notices`/`vector_search` in --json), `ingest` indexes
keywords, exits 0 and says the vectors come later; the next `ingest` writes them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.settings import Settings
from tests.fixtures.servers import ChromaServer, fresh_storage

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "SSH 连接超时怎么办？"


@pytest.fixture(scope="module")
def own_chroma():
    try:
        server = ChromaServer()
    except FileNotFoundError as exc:
        pytest.skip(f"`chroma` not found ({exc})")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory, pg_server, own_chroma):
    """A server-mode copilot (demo base ingested, vectors in `own_chroma`) and its settings file."""
    from app.wiring import build_copilot

    root = tmp_path_factory.mktemp("outage")
    with fresh_storage(pg_server, own_chroma.address) as storage:
        config = {"data_dir": str(root / "data"), "storage": storage, "models": {"embedder": {"backend": "hash"}},
                  "knowledge": {"dense": "sync"}}
        copilot = build_copilot(Settings.model_validate(config))
        cli_config = root / "cli.yaml"  # the command line: the same servers, its own data dir
        cli_config.write_text(yaml.safe_dump({**config, "data_dir": str(root / "cli-data")}, allow_unicode=True),
                              encoding="utf-8")
        try:
            yield copilot, cli_config, root
        finally:
            copilot.context.knowledge.close()
            copilot.stores.close()


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SMART_COPILOT_CONFIG": str(config)}
    env.pop("SMART_COPILOT__DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=str(ROOT), env=env, capture_output=True,
                          text=True, timeout=300)


def _cli_search(config: Path, query: str) -> subprocess.CompletedProcess:
    return _cli(config, "search", query, "--kb", "demo", "--json")


def test_search_and_turns_fall_back_to_keywords_while_the_vector_server_is_down(served, own_chroma):
    copilot, cli_config, root = served
    ks = copilot.context.knowledge
    assert ks.list_kbs()[0]["dense_coverage"] == 1.0
    before = ks.search(QUESTION, kb="demo")
    assert any(p.dense_score is not None for p in before)
    keywords = [p.source for p in ks.retrieve(QUESTION, kb="demo", mode="lexical")]
    first = copilot.ask(QUESTION, "outage-session")
    assert first.citations and not first.notices

    own_chroma.halt()
    try:
        since = ks.vector_fallbacks()
        hits = ks.search(QUESTION, kb="demo")
        assert hits and all(p.dense_score is None for p in hits)
        assert [p.source for p in hits] == keywords  # exactly the keyword ranking
        assert "仅按关键词检索" in (ks.vector_notice(since) or "")
        listed = ks.list_kbs()[0]  # the status tab, /healthz and `kb list` still answer
        assert listed["dense_state"] == "unavailable" and listed["dense_coverage"] == 1.0

        turn = copilot.ask("那 Windows 远程桌面连不上呢？", "outage-session")  # a follow-up, mid-conversation
        assert turn.route == "knowledge" and turn.citations and not turn.refused
        assert turn.notices and "向量检索服务" in turn.notices[0] and turn.answer.startswith("> ⚠️ 向量检索服务")
        assert turn.trace["vector_search"] == "unavailable"
        history = copilot.history("outage-session")
        assert len(history) == 4 and "向量检索服务" not in history[-1]["content"]  # the stored reply is the answer

        done = _cli_search(cli_config, QUESTION)  # a new process: the server is down from its start
        assert done.returncode == 0, done.stderr
        assert [h["source"] for h in json.loads(done.stdout)] == keywords
        assert "警告：向量检索服务（Chroma）暂时无法连接" in done.stderr

        note = root / "notes" / "argon.md"
        note.parent.mkdir(exist_ok=True)
        note.write_text("# 氩气钢瓶检测\n\n实验室氩气钢瓶每 3 年送检一次，瓶阀漏气时立即停用。", encoding="utf-8")
        report = ks.ingest([note.parent], kb="notes")  # keywords now, vectors once the server is back
        assert report.to_json()["added"] == 1 and "向量会在服务恢复后" in report.to_json()["notices"][0]
        assert ks.search("氩气钢瓶多久送检", kb="notes")[0].source == "argon.md"

        asked = _cli(cli_config, "ask", QUESTION, "--kb", "demo", "--json")  # answered from keywords, and says so
        assert asked.returncode == 0, asked.stderr
        reply = json.loads(asked.stdout)
        assert reply["citations"] and not reply["refused"] and reply["vector_search"] == "unavailable"
        assert "向量检索服务" in reply["notices"][0] and reply["answer"].startswith("> ⚠️ 向量检索服务")
        more = root / "more"
        more.mkdir(exist_ok=True)
        (more / "neon.md").write_text("# 氖气灯管\n\n氖气灯管闪烁时先更换启辉器。", encoding="utf-8")
        ingested = _cli(cli_config, "ingest", str(more), "--kb", "more")
        assert ingested.returncode == 0, ingested.stderr
        assert "新增 1" in ingested.stdout and "警告：向量检索服务暂时无法连接" in ingested.stdout
    finally:
        own_chroma.start()

    ks.retriever.health.retry_s = 0  # ask the server again now (in service: at most every 5 s)
    since = ks.vector_fallbacks()
    back = ks.search(QUESTION, kb="demo")
    assert any(p.dense_score is not None for p in back) and ks.vector_notice(since) is None
    again = copilot.ask(QUESTION, "outage-session-2")
    assert again.citations and not again.notices and "vector_search" not in again.trace
    assert ks.complete_vectors("notes") >= 1  # the pending vectors of the note, written now
    again = _cli(cli_config, "ingest", str(root / "more"), "--kb", "more", "--json")  # the next ingest embeds
    assert again.returncode == 0 and "notices" not in json.loads(again.stdout), again.stderr
    assert ks.vector_status("more")["dense_coverage"] == 1.0
    assert ks.search("氩气钢瓶多久送检", kb="notes")[0].dense_score is not None
