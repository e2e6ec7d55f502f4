"""Admission of tool calls: bounded in total, per session and per target.

A call holds its slots until its worker thread has really finished (not when its caller
gave up waiting), so calls stuck on a slow target count against that target and that
session until the socket-level deadline (tools.deadline) frees them; a second session's
quick check still finds a free worker. Four slow-drip targets once blocked every
session's tools behind a shared pool of four threads.
"""

from __future__ import annotations

import threading
from collections import Counter


class CallSlots:
    """At most `total` calls at once, `per_session` for one session and `per_target` for one host:port."""

    def __init__(self, total: int, per_session: int, per_target: int) -> None:
        self.total = total
        self.per_session = per_session
        self.per_target = per_target
        self._sessions: Counter[str] = Counter()
        self._targets: Counter[str] = Counter()
        self._running = 0
        self._lock = threading.Lock()

    @property
    def running(self) -> int:
        with self._lock:
            return self._running

    def take(self, session: str, target: str | None) -> str | None:
        """Admit a call (None) or say why not (Chinese); an admitted call must `give` back later."""
        with self._lock:
            if self._running >= self.total:
                return f"诊断工具繁忙：已有 {self.total} 个工具调用在进行，请稍后再试"
            if self._sessions[session] >= self.per_session:
                return f"本会话已有 {self.per_session} 个工具调用在进行，请等它们完成后再试"
            if target is not None and self._targets[target] >= self.per_target:
                return f"目标 {target} 已有 {self.per_target} 个检查在进行（可能响应很慢），请稍后再试"
            self._running += 1
            self._sessions[session] += 1
            if target is not None:
                self._targets[target] += 1
            return None

    def give(self, session: str, target: str | None) -> None:
        with self._lock:
            self._running -= 1
            self._sessions[session] -= 1
            if self._sessions[session] <= 0:
                del self._sessions[session]
            if target is not None:
                self._targets[target] -= 1
                if self._targets[target] <= 0:
                    del self._targets[target]
