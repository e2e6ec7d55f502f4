"""A small OpenAI-compatible HTTP server on 127.0.0.1 for tests (stdlib http.server).

    with FakeOpenAIServer(models=["base", "ecs-lora"]) as server:
        server.url            # http://127.0.0.1:PORT/v1
        server.fail_next = [500]   # statuses to answer before succeeding
        server.requests       # recorded (method, path, body, headers)

Replies are `reply(model, messages)` (default "<model>: <last user message>"), streamed
as SSE in 2-character deltas. Unknown models get vLLM's 404 error body.

Tool calling as vLLM serves it with `--enable-auto-tool-choice --tool-call-parser hermes`:
`reply(model, messages, tools)` may return `{"content": str, "tool_calls": [{"name", "arguments"}]}`
(arguments a dict, or a string sent as is); streamed, each call comes as a first delta with id and
name and then its arguments in 5-character pieces. `tools_enabled = False` answers a request
offering tools with vLLM's 400 ("requires --enable-auto-tool-choice ...").
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

TOOLS_DISABLED = ('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set')


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A client that gave up (timeout test) leaves a broken pipe; anything else is reported.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def default_reply(model: str, messages: list[dict]) -> str:
    return f"{model}: {messages[-1]['content']}"


class FakeOpenAIServer:
    def __init__(self, models: list[str], reply: Callable[..., Any] = default_reply, tools_enabled: bool = True) -> None:
        self.models = list(models)
        self.reply = reply
        self.tools_enabled = tools_enabled
        self.fail_next: list[int] = []
        self.delay_s = 0.0
        """Seconds to wait before answering a chat request (timeouts)."""
        self.requests: list[tuple[str, str, dict | None, dict]] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def chat_requests(self) -> list[dict]:
        return [body for method, path, body, _ in self.requests if path.endswith("/chat/completions")]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args) -> None:  # keep test output clean
                return

            def do_GET(self) -> None:
                self._record(None)
                if self._failed():
                    return
                if self.path.rstrip("/") == "/v1/models":
                    self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in server.models]})
                else:
                    self._json(404, {"error": {"message": "Not Found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._record(body)
                if self._failed():
                    return
                time.sleep(server.delay_s)
                model = body.get("model")
                if model not in server.models:
                    message = f"The model `{model}` does not exist."
                    self._json(404, {"error": {"message": message, "type": "NotFoundError", "code": 404}})
                    return
                if body.get("tools") and not server.tools_enabled:
                    self._json(400, {"error": {"message": TOOLS_DISABLED, "type": "BadRequestError", "code": 400}})
                    return
                out = server.reply(model, body["messages"], body["tools"]) if body.get("tools") else \
                    server.reply(model, body["messages"])
                text, calls = (out, []) if isinstance(out, str) else (out.get("content") or "", out.get("tool_calls") or [])
                wire = [{"id": f"chatcmpl-tool-{i}", "type": "function",
                         "function": {"name": c["name"], "arguments": c["arguments"] if isinstance(c["arguments"], str)
                                      else json.dumps(c["arguments"], ensure_ascii=False)}} for i, c in enumerate(calls)]
                usage = {"prompt_tokens": len(json.dumps(body["messages"])) // 4, "completion_tokens": len(text) + 7 * len(calls)}
                if body.get("stream"):
                    self._stream(model, text, wire, usage if (body.get("stream_options") or {}).get("include_usage") else None)
                else:
                    message: dict = {"role": "assistant", "content": text or (None if wire else "")}
                    if wire:
                        message["tool_calls"] = wire
                    choice = {"index": 0, "message": message, "finish_reason": "tool_calls" if wire else "stop"}
                    self._json(200, {"id": "x", "object": "chat.completion", "model": model, "choices": [choice],
                                     "usage": usage})

            def _record(self, body: dict | None) -> None:
                with server._lock:
                    server.requests.append((self.command, self.path, body, dict(self.headers)))

            def _failed(self) -> bool:
                with server._lock:
                    status = server.fail_next.pop(0) if server.fail_next else None
                if status is None:
                    return False
                self._json(status, {"error": {"message": f"scripted failure {status}"}})
                return True

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, model: str, text: str, calls: list[dict] | None = None, usage: dict | None = None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for start in range(0, len(text), 2):
                    self._chunk(model, [{"index": 0, "delta": {"content": text[start:start + 2]}}])
                for index, call in enumerate(calls or []):
                    head = {"index": index, "id": call["id"], "type": "function",
                            "function": {"name": call["function"]["name"], "arguments": ""}}
                    self._chunk(model, [{"index": 0, "delta": {"tool_calls": [head]}}])
                    arguments = call["function"]["arguments"]
                    for start in range(0, len(arguments), 5):
                        piece = {"index": index, "function": {"arguments": arguments[start:start + 5]}}
                        self._chunk(model, [{"index": 0, "delta": {"tool_calls": [piece]}}])
                finish = "tool_calls" if calls else "stop"
                self._chunk(model, [{"index": 0, "delta": {}, "finish_reason": finish}])
                if usage is not None:
                    self._chunk(model, [], usage)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _chunk(self, model: str, choices: list[dict], usage: dict | None = None) -> None:
                chunk: dict = {"object": "chat.completion.chunk", "model": model, "choices": choices}
                if usage is not None:
                    chunk["usage"] = usage
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

        return Handler
