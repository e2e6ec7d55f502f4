"""httpx through deadline-bounded sockets (see tools.deadline): `DeadlineTransport(ssl_context, deadline)`.

Every read and write of a response gets at most what is left of the call's deadline, so a
server dripping its headers one byte at a time cannot keep the worker beyond it.
"""

from __future__ import annotations

import math
import time
from typing import Any

import httpcore
import httpx


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self.inner = inner
        self.deadline = deadline

    def _timeout(self, timeout: float | None) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("call deadline passed")
        return min(math.inf if timeout is None else timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self.inner.start_tls(ssl_context, server_hostname, self._timeout(timeout)), self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, deadline: float) -> None:
        self.inner = httpcore.SyncBackend()
        self.deadline = deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("call deadline passed")
        stream = self.inner.connect_tcp(host, port, min(math.inf if timeout is None else timeout, left),
                                        local_address, socket_options)
        return _Stream(stream, self.deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:  # pragma: no cover
        raise httpcore.ConnectError("unix sockets are not a tool target")

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.deadline - time.monotonic())))


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's own transport, whose connection pool talks through deadline-bounded sockets."""

    def __init__(self, ssl_context: Any, deadline: float) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx builds this same pool but offers no hook for its network backend
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=_Backend(deadline))
