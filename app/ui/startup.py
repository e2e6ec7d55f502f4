"""The port answers while the app is still being built: "starting", not "connection refused".

`serve` loads knowledge bases and models (the first start also ingests the demo KB) before
the web app exists. `StartupResponder` holds the port meanwhile: GET /healthz answers
503 `{"status": "starting"}` (what a load balancer reads as "not ready yet"), a browser
gets a Chinese "正在启动" page that reloads itself, anything else a 503. It hands the
port over (closes) right before the app launches, which then answers /healthz itself
(app/ui/server.py). A port already taken fails here, before the slow start-up.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PAGE = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><meta http-equiv='refresh' content='3'>"
        "<title>正在启动…</title></head><body style='font-family:sans-serif;margin:4em;color:#444'>"
        "<h2>{title} 正在启动…</h2><p>正在加载知识库与模型，页面会自动刷新。</p></body></html>")


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            uptime = round(time.time() - self.server.started, 1)
            self._send(503, "application/json", json.dumps({"status": "starting", "uptime_s": uptime}))
        elif path in ("", "/"):
            self._send(503, "text/html; charset=utf-8", PAGE.format(title=self.server.title))
        else:
            self._send(503, "application/json", json.dumps({"status": "starting"}))

    def _send(self, code: int, kind: str, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Retry-After", "3")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — quiet: serve prints its own lines
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    started = time.time()
    title = ""


class _Server6(_Server):
    address_family = socket.AF_INET6


class StartupResponder:
    """`with StartupResponder(host, port, title):` — answer "starting" on the port during the block."""

    def __init__(self, host: str, port: int, title: str = "Smart Copilot") -> None:
        self.host, self.port, self.title = host, port, title
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "StartupResponder":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> "StartupResponder":
        """Bind the port and answer in a background thread; OSError when the port is taken."""
        server_class: type[_Server] = _Server6 if ":" in self.host else _Server  # ":" in an IPv6 address
        self._server = server_class((self.host, self.port), _Handler)  # OSError when the port is taken
        self._server.started, self._server.title = time.time(), self.title
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="startup-responder", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and free the port (the app binds it next)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
