"""Open the stores `storage.mode` asks for: the one place that chooses embedded or server.

`open_stores(settings)` returns a `Stores` with the checkpointer, the session index, the
app's conversation store, feedback, audit and what the knowledge layer needs
(`knowledge_backend`: None means its embedded default under data_dir/kb). In server mode
one PostgreSQL pool serves them all; the migrations of every component run first
(advisory lock: replicas starting together migrate once), and LangGraph's own setup too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from app.storage.config import StorageSettings
from app.storage.errors import StorageError

SAVER_SETUP_LOCK = 0x5C0D_0002


@dataclass
class Stores:
    """Every store of one process; `close()` once at the end."""

    mode: str
    checkpointer: Any
    sessions: Any
    """graph.sessions.SessionIndex or graph.sessions_pg.PgSessionIndex."""
    conversations: Any
    """app.ui.conversation_store.ConversationStore or its PostgreSQL twin."""
    feedback: Any
    audit: Any | None
    """tools.audit AuditTrail; None: the registry's default (SQLite under data_dir, or memory)."""
    knowledge_backend: Any | None = None
    """knowledge.backends.KnowledgeBackend for server mode; None: embedded under data_dir/kb."""
    pool: Any | None = None
    describe: dict[str, Any] = field(default_factory=dict)
    """What the status tab and /healthz show: mode and servers (no secrets)."""
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()


def open_stores(storage: StorageSettings, data_dir: Path, audit_enabled: bool = True,
                max_candidates: int = 20000, vectors_required: bool = True) -> Stores:
    """`vectors_required` False (a one-shot `ask`): a Chroma server that does not answer is not fatal;
    the turn ranks by keywords and says so (knowledge.vector_health). PostgreSQL must answer."""
    if storage.mode == "server":
        return _server(storage, data_dir, audit_enabled, max_candidates, vectors_required)
    return _embedded(data_dir)


@contextlib.contextmanager
def server_pool(storage: StorageSettings) -> Iterator[Any]:
    """A small migrated pool for one command (`runbook audit`, feedback export) in server mode."""
    from app.storage.postgres import migrate, open_pool

    pool = open_pool(storage.postgres.model_copy(update={"pool_min": 0, "pool_max": 2}))
    try:
        migrate(pool, pg_components())
        yield pool
    finally:
        pool.close()


def open_knowledge_backend(settings: Any, vectors_required: bool = True) -> Any:
    """For a command that needs only the knowledge bases: None in embedded mode, else a server
    backend on a pool of its own (closed with the KnowledgeService). `vectors_required` False (a
    search): an unreachable Chroma server is not fatal; the search ranks by keywords and says so."""
    storage: StorageSettings = settings.storage
    if storage.mode != "server":
        return None
    from app.storage.postgres import migrate, open_pool
    from knowledge.backends import server_backend
    from knowledge.pg.schema import PG_MIGRATIONS

    pool = open_pool(storage.postgres.model_copy(update={"pool_min": min(storage.postgres.pool_min, 1)}))
    try:
        migrate(pool, {"knowledge": PG_MIGRATIONS})
        backend = server_backend(pool, chroma_client(storage, required=vectors_required),
                                 settings.knowledge.lexical_max_candidates)
    except BaseException:
        pool.close()
        raise
    backend.close = pool.close
    return backend


def _embedded(data_dir: Path) -> Stores:
    from langgraph.checkpoint.sqlite import SqliteSaver

    from app.feedback import FeedbackStore
    from app.ui.conversation_store import ConversationStore
    from graph.sessions import SessionIndex

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "conversations.sqlite"
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    stores = Stores(mode="embedded", checkpointer=SqliteSaver(conn), sessions=SessionIndex(path),
                    conversations=ConversationStore(path), feedback=FeedbackStore(data_dir / "feedback.sqlite"),
                    audit=None, describe={"mode": "embedded", "data_dir": str(data_dir)})
    stores._closers += [conn.close, stores.sessions.close, stores.conversations.close, stores.feedback.close]
    return stores


def pg_components() -> dict[str, list[str]]:
    """Every component's PostgreSQL migrations (the order is the order they are applied in)."""
    from app.feedback_pg import PG_MIGRATIONS as feedback
    from app.ui.conversation_store_pg import PG_MIGRATIONS as ui
    from graph.sessions_pg import PG_MIGRATIONS as sessions
    from knowledge.pg.schema import PG_MIGRATIONS as knowledge
    from tools.audit_pg import PG_MIGRATIONS as audit

    return {"knowledge": knowledge, "sessions": sessions, "conversations": ui, "feedback": feedback, "audit": audit}


def _server(storage: StorageSettings, data_dir: Path, audit_enabled: bool, max_candidates: int,
            vectors_required: bool = True) -> Stores:
    from langgraph.checkpoint.postgres import PostgresSaver

    from app.feedback_pg import PgFeedbackStore
    from app.storage.postgres import holding, migrate, open_pool, redact
    from app.ui.conversation_store_pg import PgConversationStore
    from graph.sessions_pg import PgSessionIndex
    from knowledge.backends import server_backend
    from tools.audit_pg import PgAuditLog

    pool = open_pool(storage.postgres)
    try:
        migrate(pool, pg_components())
        saver = PostgresSaver(pool)
        with holding(pool, SAVER_SETUP_LOCK):  # LangGraph migrates by itself: one replica at a time
            saver.setup()
        chroma = storage.chroma
        backend = server_backend(pool, chroma_client(storage, required=vectors_required), max_candidates)
    except BaseException:
        pool.close()
        raise
    from tools.audit import AuditLog

    stores = Stores(mode="server", checkpointer=saver, sessions=PgSessionIndex(pool),
                    conversations=PgConversationStore(pool), feedback=PgFeedbackStore(pool),
                    audit=PgAuditLog(pool) if audit_enabled else AuditLog(None), knowledge_backend=backend, pool=pool,
                    describe={"mode": "server", "postgres": redact(storage.postgres.url),
                              "chroma": f"{'https' if chroma.ssl else 'http'}://{chroma.host}:{chroma.port}"})
    stores._closers.append(pool.close)
    return stores


def chroma_client(storage: StorageSettings, required: bool = True) -> Callable[[], Any]:
    """A factory of the Chroma HttpClient; the server is asked once now, so a wrong address fails at start.

    `required` False: a server that does not answer now is asked again on each use, and until it
    answers each use raises VectorServerUnavailable (searches then rank by keywords)."""
    settings = storage.chroma

    def make() -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        from knowledge.chroma_logs import quiet_chroma_logs

        quiet_chroma_logs()  # its English log lines stay out of the user's console
        headers = {"Authorization": f"Bearer {settings.token}"} if settings.token else None
        where = f"{settings.host}:{settings.port}"
        try:
            client = chromadb.HttpClient(host=settings.host, port=settings.port, ssl=settings.ssl, headers=headers,
                                         tenant=settings.tenant, database=settings.database,
                                         settings=ChromaSettings(anonymized_telemetry=False))
            client.heartbeat()
        except Exception as exc:  # chromadb raises ValueError / httpx errors for an unreachable server
            raise StorageError(f"无法连接 Chroma 向量服务器（{where}）：{_short(exc)}。请检查 storage.chroma.host/port "
                               f"并确认服务器已启动（chroma run --path 目录 --port {settings.port}）") from None
        return client

    if required:
        client = make()
        return lambda: client
    from knowledge.dense import UNREACHABLE
    from knowledge.errors import VectorServerUnavailable

    made: list[Any] = []

    def lazily() -> Any:
        if not made:
            try:
                made.append(make())
            except StorageError as exc:
                raise VectorServerUnavailable(UNREACHABLE.format(error=str(exc)[:160])) from None
        return made[0]

    return lazily


def _short(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
