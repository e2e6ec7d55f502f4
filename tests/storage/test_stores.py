"""The app's conversation store in PostgreSQL behaves as the SQLite one, and replicas share it.

The same calls on `ConversationStore` (SQLite, embedded) and `PgConversationStore` (two pools on
one schema, as two replicas) give the same answers: turn results, search, titles, the trash,
the knowledge bases chosen per conversation (the chat tab's picker). Also: the PostgreSQL
password from `storage.postgres.password_env` (never written in the settings, never shown).
"""

from __future__ import annotations

import pytest

from app.storage.build import pg_components
from app.storage.config import PostgresSettings
from app.storage.errors import StorageError
from app.storage.postgres import conninfo, migrate, open_pool
from app.ui.conversation_store import ConversationStore
from app.ui.conversation_store_pg import PgConversationStore

RESULT = {"answer": "检查安全组是否放行 22 端口。", "route": "knowledge", "citations": [{"n": 1, "source": "ssh.md"}]}


def _exercise(writer, reader) -> dict:
    """Write through one store, read through the other; what was read."""
    writer.record_turn("alice", "s1", 1, "SSH 连不上怎么办", RESULT)
    writer.record_turn("alice", "s1", 3, "那 RDP 呢", {**RESULT, "answer": "检查 3389 端口。"})
    writer.record_turn("bob", "s9", 1, "SSH 连不上怎么办", RESULT)
    writer.rename("alice", "s1", "SSH 排查")
    writer.set_kbs("alice", "s1", ["demo", "net"])
    writer.set_deleted("alice", "s2", 100.0)
    seen = {
        "turns": reader.turns("alice", "s1"),
        "matching": sorted(reader.matching("alice", ["ssh"])),
        "both_words": sorted(reader.matching("alice", ["rdp", "3389"])),
        "with_turns": sorted(reader.sessions_with_turns("alice")),
        "meta": reader.meta("alice"),
        "kbs": reader.kbs("alice", "s1"),
        "no_kbs": reader.kbs("alice", "s9"),
        "trash": reader.deleted_before(200.0),
    }
    writer.forget("alice", "s1")
    seen["after_forget"] = (reader.turns("alice", "s1"), reader.kbs("alice", "s1"), reader.turns("bob", "s9") != {})
    return seen


def test_postgres_store_matches_sqlite_and_replicas_share_it(server_storage, tmp_path):
    embedded = ConversationStore(tmp_path / "conversations.sqlite")
    expected = _exercise(embedded, embedded)
    settings = PostgresSettings(**server_storage["postgres"])
    pools = [open_pool(settings), open_pool(settings)]
    try:
        migrate(pools[0], pg_components())
        replica_a, replica_b = (PgConversationStore(p) for p in pools)
        assert _exercise(replica_a, replica_b) == expected
    finally:
        for pool in pools:
            pool.close()
    assert expected["kbs"] == ["demo", "net"] and expected["no_kbs"] is None
    assert expected["turns"][3]["result"]["answer"] == "检查 3389 端口。" and expected["both_words"] == ["s1"]
    assert expected["trash"] == [("alice", "s2")] and expected["after_forget"] == ({}, None, True)


def test_the_password_comes_from_password_env(monkeypatch, server_storage):
    settings = PostgresSettings(**{**server_storage["postgres"], "password_env": "SC_TEST_DB_PASSWORD"})
    with pytest.raises(StorageError, match="环境变量 SC_TEST_DB_PASSWORD 未设置"):
        conninfo(settings)
    monkeypatch.setenv("SC_TEST_DB_PASSWORD", "s3cret")
    assert "password=s3cret" in conninfo(settings)
    pool = open_pool(settings)  # the test cluster trusts local users: the password is sent, not checked
    try:
        with pool.connection() as conn:
            assert conn.execute("SELECT 1 AS one").fetchone()["one"] == 1
    finally:
        pool.close()
    assert "s3cret" not in settings.model_dump_json()
