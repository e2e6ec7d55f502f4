"""`openai`: any OpenAI-compatible chat server (vLLM with --enable-lora, SGLang, Ollama,
llama.cpp server) — the way past one machine.

Each adapter is a separate served model name (vLLM `--lora-modules NAME=PATH`), mapped by
`models.adapters.served_names`; the base model is `models.llm.model_name`. A weighted
combination cannot be served per request, so the adapter with the largest weight is used.
Connection errors, 429 and 5xx are retried with exponential backoff; everything a user
can fix becomes a Chinese `ModelError` naming the setting. Tests run against a local
server: `pytest tests/models/test_openai_backend.py`.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal, Sequence

from pydantic import Field

from models.errors import ModelError
from models.llm.adapters import adapter_dir, scan_adapters
from models.llm.base import AdapterChoice, ChatMessage, CommonLLMSettings, GenerationOptions, LLMBackend
from models.llm.decoding import StopFilter, cut_at_stop

if TYPE_CHECKING:  # httpx is imported with the backend, not with the settings
    from models.config import ModelSettings
    from models.llm.openai_http import OpenAIHTTP


class OpenAISettings(CommonLLMSettings):
    """`models.llm` with `backend: openai`: an OpenAI-compatible server (vLLM, SGLang, Ollama)."""

    backend: Literal["openai"] = "openai"
    base_url: str | None = None
    """Server URL including /v1, e.g. http://127.0.0.1:8000/v1."""
    model_name: str | None = None
    """Served model name of the base model (adapters: see models.adapters.served_names)."""
    api_key_env: str = "OPENAI_API_KEY"
    """Name of the environment variable holding the API key (optional for local servers)."""
    timeout_s: float = Field(default=120.0, gt=0)
    """Seconds to wait for a response (and between streamed pieces)."""
    connect_timeout_s: float = Field(default=5.0, gt=0)
    """Seconds to wait for a connection."""
    max_retries: int = Field(default=3, ge=0)
    """Retries on connection errors and 5xx / 429 responses, with exponential backoff."""
    retry_backoff_s: float = Field(default=0.5, ge=0)
    """First backoff delay; doubles on each retry."""
    sampling_extras: bool = True
    """Send top_k and repetition_penalty (vLLM / SGLang accept them; turn off for strict servers)."""
    check_on_start: bool = True
    """Ask the server for its model list at startup (fails early when it is down)."""

    def base_model_name(self) -> str | None:
        return super().base_model_name() or self.model_name

    def build(self, models: ModelSettings, data_dir: Path) -> LLMBackend:
        return OpenAILLM.from_settings(models, data_dir)


class OpenAILLM:
    """Chat completions over HTTP; `adapters` are the adapter names this server serves."""

    name = "openai"
    generative = True

    def __init__(
        self,
        http: OpenAIHTTP,
        model_name: str,
        served_names: dict[str, str] | None = None,
        sampling_extras: bool = True,
    ) -> None:
        self.http = http
        self.base_url = http.base_url
        self.model_name = model_name
        self.served_names = dict(served_names or {})
        self.sampling_extras = sampling_extras
        self.adapter_info: list[dict] = []
        """meta.json of adapters also found in the local adapter directory (domains for the router)."""

    @classmethod
    def from_settings(cls, settings: ModelSettings, data_dir: Path) -> "OpenAILLM":
        from models.llm.openai_http import OpenAIHTTP

        llm = settings.llm
        if not isinstance(llm, OpenAISettings):
            raise TypeError(f"models.llm is {llm.backend!r} settings, not openai")
        if not llm.base_url:
            raise ModelError("openai 后端需要服务地址：请设置 models.llm.base_url（例如 http://127.0.0.1:8000/v1）")
        if not llm.model_name:
            raise ModelError("openai 后端需要基座模型在服务上的名称：请设置 models.llm.model_name")
        local = scan_adapters(adapter_dir(settings, data_dir))
        served = {a.name: a.name for a in local} | dict(settings.adapters.served_names)
        http = OpenAIHTTP(
            llm.base_url,
            api_key=os.environ.get(llm.api_key_env) or None,
            api_key_env=llm.api_key_env,
            timeout_s=llm.timeout_s,
            connect_timeout_s=llm.connect_timeout_s,
            max_retries=llm.max_retries,
            retry_backoff_s=llm.retry_backoff_s,
        )
        backend = cls(http, llm.model_name, served, sampling_extras=llm.sampling_extras)
        backend.adapter_info = [a.to_json() for a in local]
        if llm.check_on_start:
            backend.check_server(required_adapters=list(settings.adapters.served_names))
        return backend

    @property
    def adapters(self) -> list[str]:
        return sorted(self.served_names)

    def check_server(self, required_adapters: Sequence[str] = ()) -> list[str]:
        """Ask the server for its models; drop adapters it does not serve unless they are required."""
        response = self.http.request("GET", "/models", None, self.model_name)
        served = {str(m.get("id")) for m in response.json().get("data", []) if isinstance(m, dict)}
        if self.model_name not in served:
            raise ModelError(
                f"模型服务 {self.base_url} 上没有模型 {self.model_name}（设置项 models.llm.model_name）；"
                f"服务上的模型：{', '.join(sorted(served)) or '无'}"
            )
        missing = [n for n in required_adapters if self.served_names[n] not in served]
        if missing:
            raise ModelError(
                f"模型服务 {self.base_url} 上没有适配器 {', '.join(self.served_names[n] for n in missing)}"
                f"（设置项 models.adapters.served_names；vLLM 需以 --enable-lora --lora-modules 名称=路径 启动）"
            )
        self.served_names = {n: s for n, s in self.served_names.items() if s in served}
        return sorted(served)

    def served_model(self, choice: AdapterChoice) -> str:
        """The model name to request for an adapter choice."""
        if choice.is_base:
            return self.model_name
        name = choice.name or max((w, n) for n, w in choice.weights.items() if w)[1]
        if name not in self.served_names:
            raise ModelError(
                f"适配器 {name} 没有对应的服务模型名（设置项 models.adapters.served_names）；"
                f"可用：{', '.join(self.adapters) or '无'}"
            )
        return self.served_names[name]

    def chat(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        body = self._body(messages, options, stream=False)
        data = self.http.request("POST", "/chat/completions", body, body["model"]).json()
        try:
            text = data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"模型服务 {self.base_url} 返回了无法识别的响应：{str(data)[:200]}") from None
        return cut_at_stop(text, options.stop)

    def chat_batch(self, conversations: list[list[ChatMessage]], options: GenerationOptions) -> list[str]:
        """Concurrent requests; the server batches them."""
        with ThreadPoolExecutor(max_workers=max(1, min(8, len(conversations)))) as pool:
            return list(pool.map(lambda messages: self.chat(messages, options), conversations))

    def stream(self, messages: list[ChatMessage], options: GenerationOptions) -> Iterator[str]:
        body = self._body(messages, options, stream=True)
        stops = StopFilter(options.stop)
        for piece in self.http.stream_deltas("/chat/completions", body):
            text = stops.feed(piece)
            if text:
                yield text
            if stops.stopped:
                return
        rest = stops.flush()
        if rest:
            yield rest

    def describe(self) -> dict:
        return {
            "backend": self.name,
            "model": self.model_name,
            "base_url": self.base_url,
            "generative": True,
            "device": "remote",
            "adapters": self.adapters,
            "served_names": dict(self.served_names),
            "adapter_info": [a for a in self.adapter_info if a.get("name") in self.served_names],
            "description": f"远程模型服务 {self.base_url}（{self.model_name}），适配器：{'、'.join(self.adapters) or '无'}",
        }

    def close(self) -> None:
        self.http.close()

    def _body(self, messages: list[ChatMessage], options: GenerationOptions, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.served_model(options.adapter),
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "top_p": options.top_p,
            "stream": stream,
        }
        if options.stop:
            body["stop"] = list(options.stop)
        if self.sampling_extras:
            body["repetition_penalty"] = options.repetition_penalty
            if options.top_k > 0:
                body["top_k"] = options.top_k
            if options.min_tokens > 0:
                body["min_tokens"] = options.min_tokens
        return body
