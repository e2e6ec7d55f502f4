"""Per-call deadlines enforced at the socket level, so a timed-out tool call really ends.

The registry gives every call an absolute deadline (monotonic clock, `ToolCall.deadline`).
Network tools never wait on a socket longer than what is left of it: `time_left` bounds each
connect, UDP receive and TLS handshake (CPython bounds a whole handshake by the socket
timeout), and tools.network.deadline_http bounds every read and write httpx makes. A server that
drips one byte a second used to hold a worker thread for as long as it dripped, because
each byte restarted httpx's read timeout; now the thread is free when the deadline passes.
Tests: tests/hardening/test_tool_isolation.py (a slow-drip server on loopback).
"""

from __future__ import annotations

import time

from tools.base import ToolCall, ToolFailed


class DeadlineExceeded(ToolFailed):
    """The call's deadline passed while it waited on the network (reported as status "timeout")."""


def time_left(call: ToolCall | None, cap: float) -> float:
    """Seconds a socket may wait now: `cap`, or less when the call's deadline is nearer."""
    deadline = getattr(call, "deadline", None)
    if deadline is None:
        return cap
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("已超过本次工具调用的时限")
    return min(cap, left)
