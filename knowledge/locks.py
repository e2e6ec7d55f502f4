"""Cross-process locks of the knowledge store (data_dir/kb/locks/).

- `writer(kb)`: one writer per knowledge base — an ingest, a deletion or an embedding run,
  in this process or any other. A second writer waits up to `wait_s`, then gets
  KnowledgeError("另一个导入正在进行…"). Two concurrent ingests once left a base whose
  catalog said "complete" while Chroma held no vectors.
- `store(shared=...)`: the dense store's read/write lock — shared around a query, exclusive
  around one Chroma write — so no reader loads an index file another process is writing
  (searches during ingests segfaulted).

POSIX `flock` on a fresh descriptor per acquisition: threads of one process exclude each
other like processes do, and a killed holder releases its lock with its descriptors.
Without fcntl (Windows) `filelock` gives exclusive locks for both uses.
Tests: tests/hardening/test_concurrent_ingest.py.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Iterator

from knowledge.errors import KnowledgeError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.05


class LockBusy(KnowledgeError):
    """Another writer holds the base's lock (message in Chinese, names the base)."""


class StoreLocks:
    """The lock files of one knowledge store (`root` = data_dir/kb)."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / "locks"

    def _path(self, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{name}.lock"

    @contextlib.contextmanager
    def writer(self, key: str, kb: str, wait_s: float) -> Iterator[None]:
        """Exclusive for one base; LockBusy after `wait_s` seconds (0: do not wait)."""
        with _hold(self._path(f"writer-{key}"), shared=False, wait_s=wait_s) as got:
            if not got:
                raise LockBusy(f"另一个导入正在进行（知识库 {kb}），请等它完成后再试"
                               f"（已等待 {wait_s:g} 秒，见 knowledge.writer_wait_s）。")
            yield

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Held (shared) for a server's whole life, so `restore` can tell the data is in use."""
        with _hold(self._path("serving"), shared=True, wait_s=None):
            yield

    @contextlib.contextmanager
    def unused(self) -> Iterator[None]:
        """Exclusive use of the whole store (restore): LockBusy at once when a server runs on it."""
        with _hold(self._path("serving"), shared=False, wait_s=0) as got:
            if not got:
                raise LockBusy("有服务（smart-copilot serve）正在使用这个数据目录，请先停止它再恢复。")
            yield

    @contextlib.contextmanager
    def store(self, shared: bool) -> Iterator[None]:
        """The dense store: shared for reads, exclusive for writes; waits as long as it takes (short holds)."""
        with _hold(self._path("dense-store"), shared=shared, wait_s=None):
            yield


@contextlib.contextmanager
def _hold(path: Path, shared: bool, wait_s: float | None) -> Iterator[bool]:
    """Yields True when the lock is held, False when `wait_s` ran out."""
    if fcntl is None:  # pragma: no cover - Windows
        import filelock

        lock = filelock.FileLock(str(path), timeout=-1 if wait_s is None else wait_s, is_singleton=False)
        try:
            lock.acquire()
        except filelock.Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()
        return
    fd = os.open(str(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        if wait_s is None:
            fcntl.flock(fd, mode)
        elif not _try(fd, mode, wait_s):
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try(fd: int, mode: int, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_S)
