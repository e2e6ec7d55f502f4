"""What the network tools share: a checked TCP connect and resolving a target under the policy."""

from __future__ import annotations

import socket
import ssl
import time
from functools import lru_cache
from typing import Any

from tools.safety import NameNotResolved, Target, TargetPolicy

HOST_PATTERN = r"^[A-Za-z0-9_.:\[\]%-]{1,255}$"


def connect(target: Target, port: int, timeout: float) -> tuple[socket.socket | None, float, str | None]:
    """Connect to the checked address; (socket or None, milliseconds, error kind in Chinese)."""
    start = time.monotonic()
    try:
        sock = socket.create_connection((target.address, port), timeout=timeout)
    except ConnectionRefusedError:
        return None, _ms(start), "连接被拒绝（端口未监听或被防火墙拒绝）"
    except (TimeoutError, socket.timeout):
        return None, _ms(start), f"连接超时（{timeout:g} 秒内无响应，可能被安全组或防火墙丢弃）"
    except OSError as exc:
        return None, _ms(start), f"连接失败：{exc.strerror or exc}"
    return sock, _ms(start), None


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 2)


def target_json(target: Target) -> dict[str, Any]:
    return {"host": target.host, "address": target.address, "addresses": list(target.addresses)}


def resolve_or_report(policy: TargetPolicy, host: str, port: int, what: str) -> tuple[Target | None, dict[str, Any]]:
    """The checked target, or (None, the finding "name does not resolve") for the tool to return."""
    try:
        return policy.resolve(host, port), {}
    except NameNotResolved as exc:
        return None, {"host": host, "port": port, "resolved": False, "healthy": False, "error": str(exc),
                      "summary": f"{host} 无法解析，未能{what}"}


@lru_cache(maxsize=2)
def client_ssl_context(verify: bool) -> ssl.SSLContext:
    """Built once per process (loading the trust store costs tens of milliseconds), then shared."""
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
