"""The PostgreSQL connection pool of one process, and the schema migrations of every store.

`open_pool(settings)` first makes one plain connection, so an unreachable server, a wrong
password or a missing database is reported in Chinese with the setting to fix, then opens
a `psycopg_pool.ConnectionPool` (autocommit, dict rows — what LangGraph's PostgresSaver
requires too). Any store's connection error later (server restarted, network gone) also
becomes a `StorageError`. A pooled connection is checked (a round trip) before it is handed out when
it was idle CHECK_IDLE_S or its socket shows the server closed it.

`migrate(pool, components)` brings each component's tables to its version: a component
(`"knowledge"`, `"audit"`, ...) owns an ordered list of SQL scripts (`PG_MIGRATIONS` beside
the store); version N means its first N scripts ran. All run in one transaction under an
advisory lock, so replicas starting together migrate once. Tests: tests/storage/test_postgres.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import selectors
import time
from typing import Any, Iterator, Mapping, Sequence

from app.storage.config import PostgresSettings
from app.storage.errors import StorageError

log = logging.getLogger(__name__)
MIGRATION_LOCK = 0x5C0D_0001  # advisory lock id held while migrating (any constant unique to this app)
FIX = "请检查 storage.postgres.url（或 password_env）并确认 PostgreSQL 已启动"
CHECK_IDLE_S = 2.0
"""A pooled connection used less than this long ago is handed out without the check's round trip (a
dozen checkouts per question) unless its socket has input (a server that closed it: `_has_input`).
One idle longer is always checked. A connection dropped silently (network gone) within the window
fails its statement once as StorageError, as one dropped right after a check does; the pool discards it."""


def redact(url: str) -> str:
    """The URL without its password (for messages)."""
    import re

    return re.sub(r"(://[^/:@]+:)[^/@]+@", r"\1***@", url)


def conninfo(settings: PostgresSettings) -> str:
    from psycopg.conninfo import make_conninfo

    if not settings.url.strip():
        raise StorageError("storage.mode 为 server 时必须设置 storage.postgres.url（如 postgresql://用户:密码@主机:5432/库名）")
    extra: dict[str, Any] = {"connect_timeout": max(1, int(round(settings.connect_timeout_s))),
                             "application_name": "smart-copilot"}
    if settings.password_env:
        password = os.environ.get(settings.password_env)
        if not password:
            raise StorageError(f"环境变量 {settings.password_env} 未设置（storage.postgres.password_env 指定的数据库密码）")
        extra["password"] = password
    try:
        return make_conninfo(settings.url.strip(), **extra)
    except Exception as exc:  # psycopg.ProgrammingError: unparsable URL
        raise StorageError(f"storage.postgres.url 无法解析：{redact(settings.url)}（{exc}）") from None


def _pool_class() -> Any:
    from psycopg import OperationalError
    from psycopg_pool import ConnectionPool, PoolTimeout

    class AppPool(ConnectionPool):
        """A ConnectionPool (LangGraph checks the type) whose connection errors become StorageError, and
        whose connection check (a round trip) runs only where it can find something (CHECK_IDLE_S)."""

        label = ""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, check=self.check_if_idle, **kwargs)

        @staticmethod
        def check_if_idle(conn: Any) -> None:
            if time.monotonic() - getattr(conn, "_sc_used_at", float("-inf")) >= CHECK_IDLE_S or _has_input(conn):
                ConnectionPool.check_connection(conn)

        @contextlib.contextmanager
        def connection(self, timeout: float | None = None) -> Iterator[Any]:
            try:
                with super().connection(timeout) as conn:
                    try:
                        yield conn
                    finally:
                        conn._sc_used_at = time.monotonic()  # read by check_if_idle at its next checkout
            except PoolTimeout:
                raise StorageError(f"PostgreSQL（{self.label}）连接池已满或服务器无响应，请稍后重试；{FIX}") from None
            except OperationalError as exc:
                raise StorageError(f"PostgreSQL（{self.label}）连接中断或不可用：{_first_line(exc)}。{FIX}") from None

    return AppPool


def _has_input(conn: Any) -> bool:
    """Bytes wait on an idle pooled connection: the server closed it (restart, terminated backend, idle
    timeout) or sent a notice. A local poll of its socket, no round trip; an unreadable socket counts."""
    from psycopg import OperationalError

    try:
        with selectors.DefaultSelector() as sel:
            sel.register(conn.pgconn.socket, selectors.EVENT_READ)
            return bool(sel.select(0))
    except (OperationalError, OSError, ValueError):  # closed; a bad descriptor
        return True


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def open_pool(settings: PostgresSettings) -> Any:
    """A ready pool, or StorageError naming what is wrong (unreachable, password, database)."""
    import psycopg
    from psycopg.rows import dict_row

    info = conninfo(settings)
    label = redact(settings.url)
    try:
        psycopg.connect(info).close()
    except psycopg.OperationalError as exc:
        raise StorageError(f"无法连接 PostgreSQL（{label}）：{_first_line(exc)}。{FIX}") from None
    cls = _pool_class()
    pool = cls(info, min_size=settings.pool_min, max_size=settings.pool_max, open=False, name="smart-copilot",
               timeout=settings.connect_timeout_s,
               kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
    pool.label = label
    pool.open(wait=settings.pool_min > 0, timeout=settings.connect_timeout_s)
    return pool


def migrate(pool: Any, components: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Run what each component lacks of its scripts; returns the versions found before."""
    found: dict[str, int] = {}
    with pool.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS sc_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL, "
                     "updated_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        rows = conn.execute("SELECT component, version FROM sc_schema").fetchall()
        versions = {r["component"]: int(r["version"]) for r in rows}
        for component, scripts in components.items():
            have = versions.get(component, 0)
            found[component] = have
            if have > len(scripts):
                raise StorageError(f"PostgreSQL 中 {component} 的表由更新版本的 smart-copilot 创建（版本 {have}，本程序支持到 "
                                   f"{len(scripts)}）。请升级 smart-copilot。")
            for script in scripts[have:]:
                conn.execute(script, prepare=False)  # several statements: simple query protocol
            if have < len(scripts):
                log.info("migrated %s from version %d to %d", component, have, len(scripts))
                conn.execute("INSERT INTO sc_schema (component, version) VALUES (%s, %s) ON CONFLICT (component) "
                             "DO UPDATE SET version = excluded.version, updated_at = now()", (component, len(scripts)))
    return found


@contextlib.contextmanager
def holding(pool: Any, lock_id: int, poll_s: float = 0.2) -> Iterator[None]:
    """A session advisory lock held on one pooled connection (setup code that migrates by itself).

    Waiters poll `pg_try_advisory_lock` instead of blocking in `pg_advisory_lock`: a statement
    blocked on the lock keeps a snapshot open, and the holder's CREATE INDEX CONCURRENTLY
    (LangGraph's setup) waits for every older snapshot — two replicas starting together hung.
    """
    with pool.connection() as conn:
        while not conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (lock_id,)).fetchone()["got"]:
            time.sleep(poll_s)
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (lock_id,))
