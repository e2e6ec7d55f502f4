"""Where scenario turns run: a wired Copilot in this process, or a server through gradio_client.

Both return the TurnResult JSON of each turn, so the same expectations apply. The server
driver uses the app's named endpoints `/chat` (streamed; its final event carries the
result) and `/resume` (docs/readme-app.md).
"""

from __future__ import annotations

from typing import Any, Protocol

from app.evaluation.errors import EvalError


class Driver(Protocol):
    """Runs one turn and returns the TurnResult JSON."""

    name: str

    def ask(self, message: str, session: str, kb: str | None = None) -> dict[str, Any]: ...

    def resume(self, session: str, reply: str) -> dict[str, Any]: ...


class InProcessDriver:
    """Turns through `graph.service.Copilot` (ask / resume) in this process."""

    name = "in-process"

    def __init__(self, copilot: Any, user: str = "local") -> None:
        self.copilot = copilot
        self.user = user

    def ask(self, message: str, session: str, kb: str | None = None) -> dict[str, Any]:
        return self.copilot.ask(message, session, user=self.user, kb=kb).to_json()

    def resume(self, session: str, reply: str) -> dict[str, Any]:
        return self.copilot.resume(session, reply, user=self.user).to_json()


class ServerDriver:
    """Turns through a running Smart Copilot app's API (`smart-copilot serve`)."""

    name = "server"

    def __init__(self, url: str, auth: tuple[str, str] | None = None, client: Any = None) -> None:
        self.url = url
        self._client = client
        self._auth = auth

    @property
    def client(self) -> Any:
        if self._client is None:
            try:
                from gradio_client import Client
            except ImportError:
                raise EvalError("服务器模式需要 gradio_client：pip install gradio_client") from None
            try:
                self._client = Client(self.url, auth=self._auth, verbose=False, download_files=False,
                                      analytics_enabled=False)
            except Exception as exc:  # connection refused, not a Gradio app, bad auth: all reach the user
                raise EvalError(f"无法连接服务器 {self.url}：{exc}") from None
        return self._client

    def _call(self, *args: Any, api_name: str) -> dict[str, Any]:
        try:
            payload = self.client.predict(*args, api_name=api_name)
        except EvalError:
            raise
        except Exception as exc:  # gradio_client raises AppError with the app's Chinese message
            raise TurnFailed(str(exc)) from None
        if not isinstance(payload, dict) or not isinstance(payload.get("result"), dict):
            raise TurnFailed(f"服务器 {api_name} 返回的不是 TurnResult：{str(payload)[:200]}")
        return payload["result"]

    def ask(self, message: str, session: str, kb: str | None = None) -> dict[str, Any]:
        return self._call(message, session, api_name="/chat")

    def resume(self, session: str, reply: str) -> dict[str, Any]:
        return self._call(session, reply, api_name="/resume")


class TurnFailed(Exception):
    """The copilot answered a turn with an error (reported as a failed check, the run goes on)."""
