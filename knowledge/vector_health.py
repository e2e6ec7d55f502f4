"""VectorHealth: whether this process's searches reach the Chroma server (storage.mode = server).

A search whose dense half cannot reach the server does not fail: it ranks by keywords only
(knowledge.retrieve.HybridRetriever) and is counted here. Callers read a counter before a
search or a turn and, after it, `notice(since)` gives the Chinese warning to show when a
search in between fell back and the server has not answered since (a dense query that
succeeds clears it; the text is `vector_fallback` of knowledge/notices.yaml). While it is down, a query tries the server again at most every
`retry_s` seconds (a server that times out instead of refusing would slow every search); the
searches in between fall back at once. The counter is process-wide, so a turn running beside another turn
that hit the outage may show the notice too — only while the server is down.
Tests: tests/storage/test_vector_outage.py.
"""

from __future__ import annotations

import threading
import time

from knowledge.notices import notices


class VectorHealth:
    """Counts searches that fell back to keywords because the vector server was unreachable."""

    def __init__(self, retry_s: float = 5.0) -> None:
        self.retry_s = retry_s
        self._lock = threading.Lock()
        self._last_try = 0.0
        self.fallbacks = 0
        """Searches that fell back to keywords so far (only grows)."""
        self.down_since: float | None = None
        """When the first of the current run of failures happened (None: the last query reached the server)."""
        self.error = ""

    def should_try(self) -> bool:
        """Query the server (it answered last time, or `retry_s` passed since the last try)?"""
        with self._lock:
            now = time.monotonic()
            if self.down_since is None or now - self._last_try >= self.retry_s:
                self._last_try = now
                return True
            return False

    def failed(self, error: str) -> None:
        """A search fell back to keywords (the server refused, timed out, or is being left alone for now)."""
        with self._lock:
            self.fallbacks += 1
            if error:
                self.error = error
            if self.down_since is None:
                self.down_since = time.time()

    def reached(self) -> None:
        with self._lock:
            self.down_since = None
            self.error = ""

    def notice(self, since: int) -> str | None:
        """The warning when a search fell back after the counter read `since` and the server is still down."""
        with self._lock:
            down = self.fallbacks > since and self.down_since is not None
        return notices().vector_fallback if down else None
