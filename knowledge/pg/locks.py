"""Writer locks of the PostgreSQL knowledge store: one writer per base across every replica.

`writer(key, kb, wait_s)` holds a session advisory lock (`pg_try_advisory_lock`, polled)
on a connection of its own for the whole ingest, deletion or embedding run; a second
writer of the same base — in this process or any replica — waits `wait_s`, then gets
LockBusy ("另一个导入正在进行…"). A replica that dies releases its locks with its
connection. `store(shared)` is a no-op: the Chroma server orders its own writes.
Same interface as the embedded store's file locks. Tests: tests/storage/test_replicas.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from typing import Any, Iterator

from knowledge.locks import LockBusy

POLL_S = 0.1
__all__ = ["LockBusy", "PgLocks", "lock_id"]


def lock_id(name: str) -> int:
    """A signed 64-bit advisory lock id for a name."""
    return int.from_bytes(hashlib.sha1(f"smart-copilot:{name}".encode("utf-8")).digest()[:8], "big", signed=True)


class PgLocks:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    @contextlib.contextmanager
    def writer(self, key: str, kb: str, wait_s: float) -> Iterator[None]:
        """Exclusive for one base across replicas; LockBusy after `wait_s` seconds (0: do not wait)."""
        ident = lock_id(f"writer-{key}")
        with self.pool.connection() as conn:
            deadline = time.monotonic() + wait_s
            while not conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (ident,)).fetchone()["got"]:
                if time.monotonic() >= deadline:
                    raise LockBusy(f"另一个导入正在进行（知识库 {kb}），请等它完成后再试"
                                   f"（已等待 {wait_s:g} 秒，见 knowledge.writer_wait_s）。")
                time.sleep(POLL_S)
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (ident,))
                except Exception:  # never hand a connection still holding the lock back to the pool
                    conn.close()
                    raise

    @contextlib.contextmanager
    def store(self, shared: bool) -> Iterator[None]:
        yield
