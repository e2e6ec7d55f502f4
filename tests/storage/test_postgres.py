"""The pool, the migrations and the messages when a server is unreachable (real PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from app.storage.build import pg_components
from app.storage.config import PostgresSettings, StorageSettings
from app.storage.errors import StorageError
from app.storage.postgres import migrate, open_pool
from tests.fixtures.servers import free_port


def test_migrations_run_once_even_when_replicas_start_together(server_storage):
    settings = PostgresSettings(**server_storage["postgres"])
    pools = [open_pool(settings) for _ in range(3)]
    found: list[dict] = []
    try:
        threads = [threading.Thread(target=lambda p=p: found.append(migrate(p, pg_components()))) for p in pools]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        firsts = [f for f in found if all(v == 0 for v in f.values())]
        assert len(found) == 3 and len(firsts) == 1  # one replica migrated, the others found it done
        assert migrate(pools[0], pg_components()) == {k: len(v) for k, v in pg_components().items()}
        with pools[0].connection() as conn:
            tables = {r["table_name"] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()}
        assert {"chunks", "documents", "audit", "feedback", "ui_turns", "copilot_sessions", "sc_schema"} <= tables
    finally:
        for pool in pools:
            pool.close()


def test_a_newer_schema_is_refused_with_a_message(server_storage):
    pool = open_pool(PostgresSettings(**server_storage["postgres"]))
    try:
        migrate(pool, pg_components())
        with pool.connection() as conn:
            conn.execute("UPDATE sc_schema SET version = 99 WHERE component = 'audit'")
        with pytest.raises(StorageError, match="更新版本"):
            migrate(pool, pg_components())
    finally:
        pool.close()


def test_unreachable_postgres_is_a_chinese_message_naming_the_setting():
    url = f"postgresql://copilot:s3cret@127.0.0.1:{free_port()}/copilot"
    with pytest.raises(StorageError) as err:
        open_pool(PostgresSettings(url=url, connect_timeout_s=2))
    assert "无法连接 PostgreSQL" in str(err.value) and "storage.postgres.url" in str(err.value)
    assert "s3cret" not in str(err.value)


def test_server_mode_without_url_says_what_to_set():
    with pytest.raises(StorageError, match="storage.postgres.url"):
        open_pool(StorageSettings(mode="server").postgres)


def test_unreachable_chroma_is_a_chinese_message():
    from app.storage.build import chroma_client

    storage = StorageSettings.model_validate({"mode": "server", "chroma": {"port": free_port()}})
    with pytest.raises(StorageError, match="无法连接 Chroma 向量服务器"):
        chroma_client(storage)


def test_a_restarted_connection_is_replaced_not_reported(server_storage):
    """Connections the server dropped (restart, idle timeout) are checked and replaced before use."""
    pool = open_pool(PostgresSettings(**server_storage["postgres"]))
    try:
        with pool.connection() as conn:
            pid = conn.execute("SELECT pg_backend_pid() AS pid").fetchone()["pid"]
        import psycopg

        with psycopg.connect(server_storage["postgres"]["url"], autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            _wait_gone(admin, pid)  # the next request comes after the restart, not during the kill
        with pool.connection() as conn:  # used a moment ago, but its socket shows the server closed it
            assert conn.execute("SELECT 1 AS one").fetchone()["one"] == 1
    finally:
        pool.close()


def _wait_gone(admin, pid: int) -> None:
    import time

    for _ in range(100):
        if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
            return
        time.sleep(0.05)
    raise AssertionError(f"backend {pid} still running")


def test_a_connection_that_just_worked_is_handed_out_without_a_check(server_storage, monkeypatch):
    """The check is a round trip per checkout: it runs on a connection idle CHECK_IDLE_S, not on one just used."""
    from psycopg_pool import ConnectionPool

    import app.storage.postgres as postgres

    checks: list[int] = []
    real = ConnectionPool.check_connection
    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(lambda conn: (checks.append(1), real(conn))))
    pool = open_pool(PostgresSettings(**{**server_storage["postgres"], "pool_min": 1, "pool_max": 1}))
    try:
        for _ in range(5):
            with pool.connection() as conn:
                conn.execute("SELECT 1")
        assert len(checks) == 1, "only the first checkout (a connection never used) is checked"
        monkeypatch.setattr(postgres, "CHECK_IDLE_S", 0.0)
        with pool.connection() as conn:
            conn.execute("SELECT 1")
        assert len(checks) == 2, "a connection idle CHECK_IDLE_S is checked"
    finally:
        pool.close()
