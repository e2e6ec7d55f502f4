"""HTTP to an OpenAI-compatible server: retries with exponential backoff on connection
errors, 429 and 5xx; server-sent-event streams; failed responses turned into one clear
Chinese `ModelError` naming the setting that fixes it.
"""

from __future__ import annotations

import json
import time
from typing import Iterator

import httpx

from models.errors import ModelError

RETRY_STATUS = {429, 500, 502, 503, 504}
CONNECT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)
NOT_FOUND_WORDS = ("does not exist", "not found", "not exist", "unknown model", "no such model")


class OpenAIHTTP:
    """One pooled client for one server (thread-safe; shared by concurrent sessions)."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        timeout_s: float = 120.0,
        connect_timeout_s: float = 5.0,
        max_retries: int = 3,
        retry_backoff_s: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key_env = api_key_env
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.retry_backoff_s = retry_backoff_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # trust_env=False: a proxy set for the internet must not capture the (usually internal) model server.
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
            trust_env=False,
        )

    def request(self, method: str, path: str, body: dict | None, model: str) -> httpx.Response:
        """A successful response, after retries; `model` names the model in error messages."""
        for attempt in range(self.max_retries + 1):
            try:
                response = self._client.request(method, path, json=body)
            except CONNECT_ERRORS as exc:
                self._backoff(attempt, exc)
                continue
            except httpx.TimeoutException:
                raise self._timeout() from None
            if response.status_code in RETRY_STATUS and attempt < self.max_retries:
                self._backoff(attempt, None)
                continue
            if response.status_code >= 400:
                raise self.error_for(response, model, attempt)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def stream_deltas(self, path: str, body: dict) -> Iterator[str]:
        """Text deltas of a streamed chat completion; retried only before the first byte."""
        for event in self.stream_events(path, body):
            for choice in event.get("choices") or []:
                content = (choice.get("delta") or {}).get("content")
                if content:
                    yield content

    def stream_events(self, path: str, body: dict) -> Iterator[dict]:
        """The server-sent events (chunks) of a streamed completion; retried only before the first byte."""
        started = False
        for attempt in range(self.max_retries + 1):
            try:
                with self._client.stream("POST", path, json=body) as response:
                    if response.status_code in RETRY_STATUS and attempt < self.max_retries:
                        response.read()
                        self._backoff(attempt, None)
                        continue
                    if response.status_code >= 400:
                        response.read()
                        raise self.error_for(response, body.get("model", ""), attempt)
                    started = True
                    yield from self._sse_events(response.iter_lines())
                    return
            except CONNECT_ERRORS as exc:
                if started:
                    raise ModelError(f"模型服务 {self.base_url} 在流式输出中断开了连接：{type(exc).__name__}") from None
                self._backoff(attempt, exc)
            except httpx.TimeoutException:
                raise self._timeout() from None

    def close(self) -> None:
        self._client.close()

    def error_for(self, response: httpx.Response, model: str, retries: int) -> ModelError:
        """One clear message for a failed request."""
        status = response.status_code
        message = _server_message(response)
        lowered = message.lower()
        if status == 404 or (400 <= status < 500 and "model" in lowered and any(w in lowered for w in NOT_FOUND_WORDS)):
            return ModelError(
                f"模型服务 {self.base_url} 上没有名为 {model} 的模型（HTTP {status}：{message}）。"
                f"请检查设置项 models.llm.model_name 或 models.adapters.served_names"
            )
        if status in (401, 403):
            return ModelError(
                f"模型服务 {self.base_url} 拒绝访问（HTTP {status}）：请在环境变量 {self.api_key_env} 中设置正确的 API 密钥"
                f"（设置项 models.llm.api_key_env）"
            )
        if status >= 500 or status == 429:
            return ModelError(f"模型服务 {self.base_url} 出错（HTTP {status}，已重试 {retries} 次）：{message}")
        return ModelError(f"模型服务 {self.base_url} 拒绝了请求（HTTP {status}）：{message}")

    def _sse_events(self, lines: Iterator[str]) -> Iterator[dict]:
        for line in lines:
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                event = json.loads(data)
            except ValueError:
                raise ModelError(f"模型服务 {self.base_url} 的流式响应无法解析：{data[:200]}") from None
            if not isinstance(event, dict):
                continue
            if "error" in event:
                raise ModelError(f"模型服务 {self.base_url} 在生成中出错：{event['error']}")
            yield event

    def _backoff(self, attempt: int, exc: Exception | None) -> None:
        if attempt >= self.max_retries and exc is not None:
            raise ModelError(
                f"无法连接模型服务 {self.base_url}（已重试 {self.max_retries} 次：{type(exc).__name__}）。"
                f"请确认服务已启动，或检查设置项 models.llm.base_url"
            ) from None
        time.sleep(self.retry_backoff_s * (2**attempt))

    def _timeout(self) -> ModelError:
        return ModelError(f"模型服务 {self.base_url} 在 {self.timeout_s:g} 秒内没有响应（设置项 models.llm.timeout_s）")


def _server_message(response: httpx.Response) -> str:
    """The error text a server put in its body (OpenAI shape or plain text)."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if not isinstance(data, dict):
        return str(data)[:300]
    error = data.get("error")
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    return str(error or data.get("message") or data.get("detail") or data)[:300]
