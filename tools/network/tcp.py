"""tcp_port_check: can a TCP connection to host:port be opened, and how fast."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall
from tools.deadline import time_left
from tools.network.common import HOST_PATTERN, connect, resolve_or_report, target_json


class TcpArgs(ToolArgs):
    host: str = Field(pattern=HOST_PATTERN, description="域名或 IP")
    port: int = Field(ge=1, le=65535, description="TCP 端口")


class TcpPortCheck(Tool):
    name = "tcp_port_check"
    description = "检查 TCP 端口是否可以连接（如 SSH 22、RDP 3389、MySQL 3306、HTTPS 443），并测量连接耗时"
    Args = TcpArgs
    network = True

    def run(self, args: TcpArgs, call: ToolCall) -> dict[str, Any]:
        target, missing = resolve_or_report(self.deps.policy, args.host, args.port, f"检查端口 {args.port}")
        if target is None:
            return {**missing, "open": False}
        sock, ms, error = connect(target, args.port, time_left(call, self.deps.settings.connect_timeout_s))
        if sock is not None:
            sock.close()
        where = f"{args.host}:{args.port}" + (f"（{target.address}）" if target.address != target.host else "")
        summary = f"{where} 端口开放，连接耗时 {ms} ms" if error is None else f"{where} 端口不通：{error}"
        return {**target_json(target), "port": args.port, "open": error is None, "resolved": True,
                "latency_ms": ms, "error": error, "healthy": error is None, "summary": summary}
