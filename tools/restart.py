"""restart_service (changes_something): restart a service through the configured command or webhook.

Runs only with the agent's approval (the registry enforces it); a dry run describes the
action. The command is an argument list with `{service}` substituted — never a shell —
and the webhook gets a JSON POST without following redirects.
"""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall, ToolFailed, ToolRefused
from tools.config import ToolSettings

OUTPUT_TAIL = 2000


class RestartArgs(ToolArgs):
    service: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$", description="服务名，如 nginx、mysqld")
    reason: str = Field("", max_length=500, description="重启原因（写入审计）")


class RestartService(Tool):
    name = "restart_service"
    description = "重启服务（通过管理员配置的命令或 Webhook；需要坐席批准，可先演练）"
    risk = "changes_something"
    Args = RestartArgs

    @property
    def settings(self) -> ToolSettings:
        return self.deps.settings

    def describe_effect(self, args: RestartArgs) -> str:
        if self.settings.restart_command:
            argv = " ".join(self._argv(args.service))
            return f"在 Copilot 服务器上运行命令 `{argv}` 重启服务 {args.service}"
        if self.settings.restart_webhook:
            return f"向 {self.settings.restart_webhook} 发送 POST 请求，要求重启服务 {args.service}"
        return f"未配置重启方式（tools.restart_command 或 tools.restart_webhook），不会对 {args.service} 做任何操作"

    def _argv(self, service: str) -> list[str]:
        return [part.replace("{service}", service) for part in self.settings.restart_command]

    def run(self, args: RestartArgs, call: ToolCall) -> dict[str, Any]:
        if self.settings.restart_services and args.service not in self.settings.restart_services:
            raise ToolRefused(f"服务 {args.service} 不在允许重启的列表中（tools.restart_services）")
        if self.settings.restart_command:
            return self._command(args)
        if self.settings.restart_webhook:
            return self._webhook(args, call)
        raise ToolFailed("未配置重启方式：请管理员设置 tools.restart_command 或 tools.restart_webhook")

    def _command(self, args: RestartArgs) -> dict[str, Any]:
        argv = self._argv(args.service)
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.settings.timeout_s, check=False)
        except FileNotFoundError:
            raise ToolFailed(f"重启命令不存在：{argv[0]}") from None
        except subprocess.TimeoutExpired:
            raise ToolFailed(f"重启命令超过 {self.settings.timeout_s:g} 秒未结束") from None
        ok = done.returncode == 0
        return {"method": "command", "argv": argv, "exit_code": done.returncode, "stdout": done.stdout[-OUTPUT_TAIL:],
                "stderr": done.stderr[-OUTPUT_TAIL:], "healthy": ok,
                "summary": f"已重启 {args.service}" if ok else f"重启 {args.service} 失败（退出码 {done.returncode}）"}

    def _webhook(self, args: RestartArgs, call: ToolCall) -> dict[str, Any]:
        payload = {"service": args.service, "reason": args.reason, "user": call.user, "session": call.session}
        try:
            response = httpx.post(self.settings.restart_webhook, json=payload, timeout=self.settings.timeout_s,
                                  follow_redirects=False, trust_env=False)
        except httpx.HTTPError as exc:
            raise ToolFailed(f"调用重启 Webhook 失败：{exc}") from None
        ok = 200 <= response.status_code < 300
        return {"method": "webhook", "status_code": response.status_code, "response": response.text[:OUTPUT_TAIL],
                "healthy": ok,
                "summary": f"已请求重启 {args.service}（Webhook 返回 {response.status_code}）" if ok
                else f"重启 {args.service} 的 Webhook 返回 {response.status_code}"}
