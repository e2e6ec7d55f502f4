"""HTTP error responses of OpenAI-compatible servers -> user-facing `ModelError`s."""

from __future__ import annotations

import httpx

from models.errors import ModelError

RETRY_STATUS = {429, 500, 502, 503, 504}
NOT_FOUND_WORDS = ("does not exist", "not found", "not exist", "unknown model", "no such model")


def server_message(response: httpx.Response) -> str:
    """The error text a server put in its body (OpenAI shape or plain text)."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error)[:300]
    if error:
        return str(error)[:300]
    return str(data.get("message") or data.get("detail") or data)[:300] if isinstance(data, dict) else str(data)[:300]


def error_for_response(response: httpx.Response, base_url: str, model: str, api_key_env: str, retries: int) -> ModelError:
    """One clear message for a failed request; names the setting that fixes it."""
    status = response.status_code
    message = server_message(response)
    lowered = message.lower()
    if status == 404 or (400 <= status < 500 and "model" in lowered and any(w in lowered for w in NOT_FOUND_WORDS)):
        return ModelError(
            f"模型服务 {base_url} 上没有名为 {model} 的模型（HTTP {status}：{message}）。"
            f"请检查设置项 models.llm.model_name 或 models.adapters.served_names"
        )
    if status in (401, 403):
        return ModelError(
            f"模型服务 {base_url} 拒绝访问（HTTP {status}）：请在环境变量 {api_key_env} 中设置正确的 API 密钥"
            f"（设置项 models.llm.api_key_env）"
        )
    if status >= 500 or status == 429:
        return ModelError(f"模型服务 {base_url} 出错（HTTP {status}，已重试 {retries} 次）：{message}")
    return ModelError(f"模型服务 {base_url} 拒绝了请求（HTTP {status}）：{message}")
