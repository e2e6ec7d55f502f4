"""Background work of the knowledge layer as data: which base is being embedded, how far, how long.

`JobBoard` is written by KnowledgeService's background embedding threads and read by the
app (status tab, /healthz): one `EmbeddingJob` per base, with chunks done/total and an
ETA from the rate so far. Finished jobs stay listed for `keep_s` seconds so a short
backfill is still visible. Thread-safe; no I/O.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field


@dataclass
class EmbeddingJob:
    kb: str
    total: int
    """Chunks to embed (grows when documents are added while the job runs)."""
    done: int = 0
    started_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    error: str | None = None
    kind: str = "embedding"

    @property
    def running(self) -> bool:
        return self.finished_at is None

    def eta_s(self, now: float | None = None) -> float | None:
        """Seconds left at the average rate since the start (a stall lengthens it); None before the first batch."""
        if not self.running or self.done <= 0:
            return None
        elapsed = max((now or time.time()) - self.started_at, 1e-6)
        return max(0.0, (self.total - self.done) * elapsed / self.done)

    def to_json(self) -> dict:
        data = asdict(self)
        data["running"] = self.running
        data["eta_s"] = None if (eta := self.eta_s()) is None else round(eta, 1)
        return data


class JobBoard:
    def __init__(self, keep_s: float = 120.0) -> None:
        self._jobs: dict[str, EmbeddingJob] = {}
        self._lock = threading.Lock()
        self.keep_s = keep_s

    def start(self, kb: str, total: int) -> None:
        with self._lock:
            self._jobs[kb] = EmbeddingJob(kb=kb, total=max(int(total), 0))

    def advance(self, kb: str, done: int, total: int) -> None:
        with self._lock:
            job = self._jobs.get(kb)
            if job is not None:
                job.done, job.total, job.updated_at = int(done), max(int(total), int(done)), time.time()

    def finish(self, kb: str, error: str | None = None) -> None:
        with self._lock:
            job = self._jobs.get(kb)
            if job is not None:
                job.finished_at, job.error = time.time(), error

    def list(self) -> list[dict]:
        """Running jobs and those finished in the last keep_s seconds, oldest first."""
        now = time.time()
        with self._lock:
            for kb in [k for k, j in self._jobs.items() if j.finished_at and now - j.finished_at > self.keep_s]:
                del self._jobs[kb]
            return [j.to_json() for j in sorted(self._jobs.values(), key=lambda j: j.started_at)]
