"""BaseRecords: each base's `kbs` row and `kb_meta` records, cached per process until PostgreSQL says they changed.

A search reads its base's generation and counts (which keyword index serves it, BM25's N, the
calibration of that generation), its tokenizer record and whether it is in the trash — a dozen
round trips per question, every one answering "unchanged" almost always. Triggers on `kbs`,
`kb_meta` and `kb_trash` (knowledge.pg.schema) announce every committed change on the channel
`sc_kb` with the base's name; each replica keeps one connection listening on it, and before
answering from the cache reads what has arrived on that socket (no round trip). So a change
committed on any replica is seen here as soon as its notification arrives (PostgreSQL sends it at
commit, within milliseconds); a change made through this process's catalog empties the cache at
once (`forget`), so a replica always reads its own writes. Without the listening connection
(it cannot connect, or it broke: a restarted server) nothing is cached and every read goes to the
database, as before, until it reconnects; a reconnect forgets everything cached. A connection that
does not hear its own test notification (a transaction-pooling proxy such as PgBouncer in
transaction mode) is not used: that process reads every time.
Tests: tests/storage/test_base_records.py.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable, TypeVar

log = logging.getLogger(__name__)
CHANNEL = "sc_kb"
T = TypeVar("T")


class BaseRecords:
    """The per-base records of one PostgreSQL catalog (thread-safe)."""

    def __init__(self, conninfo: str, retry_s: float = 5.0) -> None:
        self.conninfo = conninfo
        self.retry_s = retry_s
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}
        self._epoch = 0  # moves on every forgetting: a read begun before it is not cached
        self._listener: Any = None
        self._next_try = 0.0
        self.reads = 0
        """Reads that went to the database (tests, benchmarks)."""

    def get(self, kb: str, what: str, read: Callable[[], T]) -> T:
        """The cached record `what` of base `kb`, else `read()` (cached while no change is announced)."""
        key = (kb, what)
        with self._lock:
            listening = self._drain()
            if listening and key in self._cache:
                return self._cache[key]
            epoch = self._epoch
        value = read()
        with self._lock:
            self.reads += 1
            if listening and epoch == self._epoch:
                self._cache[key] = value
        return value

    def forget(self) -> None:
        """This process changed the catalog: read everything again."""
        with self._lock:
            self._cache.clear()
            self._epoch += 1

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drain(self) -> bool:
        """Apply the notifications that have arrived; False when there is no listening connection."""
        if self._listener is None and not self._listen():
            return False
        try:
            for note in self._listener.notifies(timeout=0):  # what the socket holds; never waits
                self._epoch += 1
                for key in [k for k in self._cache if k[0] == note.payload]:
                    del self._cache[key]
        except Exception as exc:  # a broken connection (server restarted): read from the database until back
            log.warning("lost the PostgreSQL notification connection (%s): base records are read every time", exc)
            self._drop()
            return False
        return True

    def _listen(self) -> bool:
        if time.monotonic() < self._next_try:
            return False
        import psycopg

        try:
            conn = psycopg.connect(self.conninfo, autocommit=True)
            conn.execute(f"LISTEN {CHANNEL}")
            # a session hears its own notifications; one that does not (a transaction-pooling proxy between us and
            # the server hands each statement to another session) would never hear a change: do not cache
            conn.execute("SELECT pg_notify(%s, '')", (CHANNEL,))
            heard = list(conn.notifies(timeout=2.0, stop_after=1))
        except psycopg.Error as exc:
            log.warning("cannot listen for PostgreSQL notifications (%s): base records are read every time", exc)
            self._next_try = time.monotonic() + self.retry_s
            return False
        if not heard:
            log.warning("PostgreSQL notifications do not arrive on this connection (a transaction-pooling proxy?): "
                        "base records are read every time")
            conn.close()
            self._next_try = float("inf")
            return False
        self._listener = conn
        self._cache.clear()  # changes made while nobody listened were not announced
        self._epoch += 1
        return True

    def _drop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception as exc:  # closing a broken connection: nothing more to do with it
                log.debug("closing the notification connection: %s", exc)
        self._listener = None
        self._cache.clear()
        self._epoch += 1
        self._next_try = time.monotonic() + self.retry_s
