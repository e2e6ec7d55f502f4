"""One slow website cannot block every session's tools.

A slow-drip server on loopback sends its HTTP status line one byte at a time and never
finishes. Before, four such calls filled the shared pool of four threads for as long as the
targets dripped (each byte restarted httpx's read timeout) and other sessions' quick
checks timed out. Now a call's sockets obey its deadline, and calls are admitted per
session and per target.
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.tools.servers import HttpServer
from tools.config import ToolSettings
from tools.registry import build_registry


class DripServer:
    """Accepts connections and drips `HTTP/1.1 200 OK...` one byte every `every` seconds, forever."""

    def __init__(self, every: float = 0.05) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.every = every
        self.open = 0
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        self.open += 1
        payload = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
        try:
            for byte in payload:
                if self.stop.is_set():
                    return
                conn.sendall(bytes([byte]))
                time.sleep(self.every)
        except OSError:
            return  # the client hung up: what a deadline does
        finally:
            self.open -= 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def drip():
    server = DripServer()
    yield server
    server.close()


@pytest.fixture
def quick():
    server = HttpServer({"/": (200, {}, b"ok")})
    yield server
    server.stop()


def settings(**overrides) -> ToolSettings:
    # slow calls get 3 s (all four are still running when the last arrives, even on a loaded machine);
    # the quick check gets a generous limit, so only starvation, not load, could make it time out
    return ToolSettings(**{"allow_targets": ["127.0.0.1"], "timeout_s": 3.0, "connect_timeout_s": 1.0,
                           "tool_timeouts": {"tcp_port_check": 30.0}, **overrides})


def wait_until(condition, limit: float = 20.0) -> bool:
    """Poll a condition (a hang guard for the test, not a speed target)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_slow_drip_targets_neither_exhaust_the_pool_nor_outlive_their_deadline(tmp_path, drip, quick):
    registry = build_registry(settings(), tmp_path / "data")
    slow_url = f"http://127.0.0.1:{drip.port}/"
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            slow = [pool.submit(registry.invoke, "http_check", {"url": slow_url}, session=f"s{i}", user="u")
                    for i in range(4)]
            assert wait_until(lambda: drip.open >= 2)
            fast = registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": quick.port}, session="other",
                                   user="u")
            assert fast.status == "ok" and fast.data["open"] is True  # another session's check still runs
            results = [f.result() for f in slow]
        statuses = sorted(r.status for r in results)
        # per-target limit 2: two calls refused at once instead of taking workers; two ran until the deadline
        assert statuses.count("refused") == 2 and all("目标" in r.error for r in results if r.status == "refused")
        ran = [r for r in results if r.status != "refused"]
        assert all(r.status == "timeout" or not r.data.get("reachable", True) for r in ran)
        # the deadline reached the sockets: the worker threads are free and the server sees the hang-ups
        assert wait_until(lambda: registry.slots.running == 0)
        assert wait_until(lambda: drip.open == 0)
    finally:
        registry.close()


def test_one_session_cannot_take_every_worker(tmp_path, drip):
    registry = build_registry(settings(per_target_concurrency=10), tmp_path / "data")
    url = f"http://127.0.0.1:{drip.port}/"
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            calls = [pool.submit(registry.invoke, "http_check", {"url": url + str(i)}, session="greedy", user="u")
                     for i in range(3)]
            results = [c.result() for c in calls]
        refused = [r for r in results if r.status == "refused"]
        assert len(refused) == 1 and "本会话" in refused[0].error
    finally:
        registry.close()


def test_the_deadline_is_enforced_by_the_socket_even_without_the_registry(drip):
    """The tool itself stops reading at the deadline (the thread ends; nothing is left dripping)."""
    from tools.base import ToolCall
    from tools.deps import ToolDeps
    from tools.network.http import HttpArgs, HttpCheck

    call = ToolCall("s", "u", deadline=time.monotonic() + 1.0)
    result = HttpCheck(ToolDeps.for_settings(settings())).run(HttpArgs(url=f"http://127.0.0.1:{drip.port}/"), call)
    assert result["reachable"] is False and result["error_kind"] == "timeout"
    assert wait_until(lambda: drip.open == 0)
