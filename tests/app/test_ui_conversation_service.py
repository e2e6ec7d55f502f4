"""Past conversations on the real Copilot (extractive mode, small demo KB): stored turn results survive
a restart, search, rename, the trash (restore, purge after app.trash_days)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.ui.conversation_service import Conversations
from app.ui.conversation_store import ConversationStore
from app.ui.errors import UIError
from app.ui.sources import sources_html
from tests.app.ui_server import ingest_small_demo, small_settings

SSH = "SSH 连接超时怎么办？"
DISK = "MySQL 存储写满了会怎样"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    settings = small_settings(tmp_path_factory.mktemp("conversations"))
    ingest_small_demo(settings)
    return settings


class Running:
    """A Copilot and the app's conversation service on one data directory, as `serve` builds them."""

    def __init__(self, settings) -> None:
        from app.wiring import build_copilot

        self.copilot = build_copilot(settings)
        self.store = ConversationStore(Path(settings.data_dir) / "conversations.sqlite")
        self.conversations = Conversations(self.copilot, self.store, settings.app.trash_days)

    def turn(self, message: str, session: str, user: str = "local") -> dict:
        result = self.copilot.ask(message, session, user=user).to_json()
        self.conversations.record(user, session, message, result)
        return result

    def close(self) -> None:
        self.store.close()
        self.copilot.context.knowledge.close()


def test_a_reopened_conversation_keeps_each_turns_sources_after_a_restart(settings):
    first = Running(settings)
    ssh, disk = first.turn(SSH, "s1"), first.turn(DISK, "s1")
    first.close()

    again = Running(settings)  # a restart: new Copilot, new store, same data directory
    try:
        messages, turns, last = again.conversations.reopen("local", "s1")
    finally:
        again.close()
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert "[[1]](#src-1)" in messages[1]["content"] and "抽取式模式" in messages[1]["content"]
    assert "参考来源" not in messages[1]["content"], "the sources panel shows them"
    assert turns["1"]["result"]["citations"] == ssh["citations"] and turns["3"]["question"] == DISK
    assert last == disk
    panel = sources_html(last)
    assert "id='src-1'" in panel and disk["citations"][0]["source"] in panel
    # the demo passage links a sibling document ("[存储空间满导致只读](storage-full.md)"): its excerpt reads the text
    linked = [c for c in disk["citations"] if "存储空间满导致只读" in c["text"]]
    assert linked, "a cited demo passage links a sibling document"
    assert "](storage-full.md)" not in linked[0]["text"]
    assert linked[0]["source"] in panel and "](storage-full.md)" not in panel and "空间满导致只读" in panel


def test_search_rename_and_the_trash(settings):
    app = Running(settings)
    try:
        conv = app.conversations
        app.turn(SSH, "a1", user="alice")
        app.turn(DISK, "a2", user="alice")
        app.copilot.ask("安全组规则不生效怎么办", "c1", user="alice")  # like the CLI: no stored turn
        app.turn(SSH, "b1", user="bob")

        assert conv.rename("alice", "a1", "  客户甲   SSH 问题 ") == "客户甲 SSH 问题"
        listed = {s["session_id"]: s["title"] for s in conv.listing("alice")}
        assert listed == {"a1": "客户甲 SSH 问题", "a2": DISK, "c1": "安全组规则不生效怎么办"}
        assert [s["session_id"] for s in conv.listing("alice", "客户甲")] == ["a1"]
        assert [s["session_id"] for s in conv.listing("alice", "super_read_only")] == ["a2"], "answer text matches"
        assert [s["session_id"] for s in conv.listing("alice", "规则预览")] == ["c1"], "history of a CLI session"
        assert conv.listing("alice", "氦气阀门") == []
        with pytest.raises(UIError, match="找不到"):
            conv.rename("bob", "a1", "偷改")
        with pytest.raises(UIError, match="请输入"):
            conv.rename("alice", "a1", "  ")
        with pytest.raises(UIError, match="太长"):
            conv.rename("alice", "a1", "长" * 61)

        conv.delete("alice", "a2")
        assert "a2" not in {s["session_id"] for s in conv.listing("alice")}
        trashed = conv.trashed("alice")
        assert [t["session_id"] for t in trashed] == ["a2"] and trashed[0]["days_left"] == pytest.approx(7, abs=0.1)
        assert conv.trashed("bob") == []
        conv.restore("alice", "a2")
        assert "a2" in {s["session_id"] for s in conv.listing("alice")} and conv.trashed("alice") == []
        with pytest.raises(UIError, match="不在回收站"):
            conv.restore("alice", "a2")

        conv.delete("alice", "a2")
        assert conv.purge() == 0, "still restorable"
        assert conv.purge(now=time.time() + 8 * 86400) == 1
        assert app.copilot.history("a2", user="alice") == [] and conv.trashed("alice") == []
        assert "a2" not in {s["session_id"] for s in app.copilot.sessions("alice")}
        assert app.copilot.history("a1", user="alice"), "other conversations are untouched"
    finally:
        app.close()
