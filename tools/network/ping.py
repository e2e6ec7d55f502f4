"""ping: round-trip latency and loss with the system `ping`, else TCP connect latency.

`ping` runs from an argument list (never a shell) against the address the policy
checked. Where it is missing or not permitted (containers without raw sockets), the
tool falls back to timing TCP connects to a port and says so in `method`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall
from tools.deadline import time_left
from tools.network.common import HOST_PATTERN, connect, resolve_or_report, target_json
from tools.safety import Target

RTT = re.compile(r"=\s*([\d.]+)/([\d.]+)/([\d.]+)")
LOSS = re.compile(r"(?<!\d)(\d+) packets transmitted, (\d+) (?:packets )?received")


class PingArgs(ToolArgs):
    host: str = Field(pattern=HOST_PATTERN, description="域名或 IP")
    count: int = Field(3, ge=1, le=5, description="探测次数")
    port: int = Field(443, ge=1, le=65535, description="无法使用 ICMP 时改测的 TCP 端口")


class Ping(Tool):
    name = "ping"
    description = "测量到主机的延迟和丢包（系统 ping；不可用时改用 TCP 连接耗时）"
    Args = PingArgs
    network = True

    def run(self, args: PingArgs, call: ToolCall) -> dict[str, Any]:
        target, missing = resolve_or_report(self.deps.policy, args.host, args.port, "测量延迟")
        if target is None:
            return missing
        timeout = self.deps.settings.connect_timeout_s
        icmp = _system_ping(target, args.count, timeout, time_left(call, args.count * (timeout + 1) + 2))
        if icmp is not None:
            return {**target_json(target), **icmp}
        return {**target_json(target), **_tcp_latency(target, args.port, args.count, timeout, call)}


def _system_ping(target: Target, count: int, timeout: float, limit: float) -> dict[str, Any] | None:
    binary = shutil.which("ping")
    if binary is None:
        return None
    argv = [binary, "-n", "-c", str(count), "-W", str(max(1, int(timeout))), target.address]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=limit, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    output = done.stdout + done.stderr
    loss = LOSS.search(output)
    if loss is None:  # not permitted / unsupported here: let the caller fall back
        return None
    sent, received = int(loss.group(1)), int(loss.group(2))
    rtt = RTT.search(output)
    lost = round(100 * (sent - received) / sent, 1) if sent else 100.0
    data: dict[str, Any] = {"method": "icmp", "sent": sent, "received": received, "loss_percent": lost,
                            "healthy": received > 0}
    if rtt:
        data.update(min_ms=float(rtt.group(1)), avg_ms=float(rtt.group(2)), max_ms=float(rtt.group(3)))
    data["summary"] = (f"ping {target.host}：丢包 {lost}%" + (f"，平均 {data['avg_ms']} ms" if rtt else "")
                       + ("（ICMP 可能被安全组禁止，可再用 tcp_port_check 检查端口）" if received == 0 else ""))
    return data


def _tcp_latency(target: Target, port: int, count: int, timeout: float, call: ToolCall | None = None) -> dict[str, Any]:
    times, error = [], None
    for _ in range(count):
        sock, ms, error = connect(target, port, time_left(call, timeout))
        if sock is None:
            break
        sock.close()
        times.append(ms)
    data: dict[str, Any] = {"method": "tcp", "port": port, "sent": count, "received": len(times),
                            "note": "系统 ping 不可用或无权限，改用 TCP 连接耗时", "healthy": bool(times)}
    if times:
        data.update(min_ms=min(times), avg_ms=round(sum(times) / len(times), 2), max_ms=max(times))
        data["summary"] = f"TCP {target.host}:{port} 连接 {len(times)}/{count} 次成功，平均 {data['avg_ms']} ms（ping 不可用，改用 TCP）"
    else:
        data["error"] = error
        data["summary"] = f"TCP {target.host}:{port} 无法连接：{error}（ping 不可用，改用 TCP）"
    return data
