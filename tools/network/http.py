"""http_check: status, latency, redirects and headers of a URL.

Redirects are followed by hand so every hop passes the target policy, and each request
goes to the address the policy checked (Host header and TLS SNI keep the name). Every
socket read and write obeys the call's deadline (tools.deadline), so a server that drips
its response cannot hold the worker past it.
"""

from __future__ import annotations

import time
from typing import Any, Literal
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import httpx
from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall, ToolFailed
from tools.network.common import client_ssl_context
from tools.network.deadline_http import DeadlineTransport
from tools.safety import NameNotResolved, Target, parse_ip

BODY_PREVIEW = 500


class HttpArgs(ToolArgs):
    url: str = Field(min_length=4, max_length=2000, description="http:// 或 https:// 开头的网址")
    method: Literal["GET", "HEAD"] = Field("GET", description="请求方法")
    verify_tls: bool = Field(True, description="校验 HTTPS 证书")


class HttpCheck(Tool):
    name = "http_check"
    description = "访问网址，返回状态码、耗时、每一跳重定向和响应头（用于排查网站打不开、502/504）"
    Args = HttpArgs
    network = True

    def run(self, args: HttpArgs, call: ToolCall) -> dict[str, Any]:
        settings = self.deps.settings
        url = args.url if "://" in args.url else "https://" + args.url
        hops: list[dict[str, Any]] = []
        timeout = httpx.Timeout(settings.connect_timeout_s, read=max(settings.connect_timeout_s, settings.timeout_s / 2))
        context = client_ssl_context(args.verify_tls)
        transport = DeadlineTransport(context, call.deadline) if call.deadline is not None else None
        with httpx.Client(verify=context, follow_redirects=False, timeout=timeout, trust_env=False,
                          transport=transport) as client:
            for _ in range(settings.max_redirects + 1):
                parsed = urlsplit(url)
                try:
                    port = parsed.port or (443 if parsed.scheme == "https" else 80)
                except ValueError:
                    raise ToolFailed(f"网址中的端口无效：{url}") from None
                if parsed.scheme not in ("http", "https") or not parsed.hostname:
                    raise ToolFailed(f"只支持 http/https 网址：{url}")
                try:
                    target = self.deps.policy.resolve(parsed.hostname, port)
                except NameNotResolved as exc:
                    return _unreachable(args.url, hops, "dns", str(exc))
                hop, response_or_error = _request(client, args.method, parsed, port, target)
                hops.append(hop)
                if isinstance(response_or_error, str):
                    return _unreachable(args.url, hops, hop["error_kind"], response_or_error)
                location = hop.get("location")
                if hop["status_code"] in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    continue
                return _final(args.url, hops, response_or_error)
        return {"url": args.url, "reachable": True, "healthy": False, "hops": hops, "status_code": hops[-1]["status_code"],
                "error": "重定向次数过多", "summary": f"{args.url} 重定向超过 {settings.max_redirects} 次"}


def _request(client: httpx.Client, method: str, url: SplitResult, port: int,
             target: Target) -> tuple[dict[str, Any], Any]:
    """One request to the checked address; the Host header and SNI carry the name."""
    name = url.hostname or ""
    bracket = (lambda h: f"[{h}]" if ":" in h else h)
    host_header = bracket(name) if url.port is None else f"{bracket(name)}:{url.port}"
    path = (url.path or "/") + (f"?{url.query}" if url.query else "")
    direct = f"{url.scheme}://{bracket(target.address)}:{port}{path}"
    extensions = {"sni_hostname": name} if url.scheme == "https" and parse_ip(name) is None else {}
    hop: dict[str, Any] = {"url": urlunsplit(url), "address": target.address}
    start = time.monotonic()
    try:
        with client.stream(method, direct, headers={"Host": host_header, "User-Agent": "smart-copilot-http-check"},
                           extensions=extensions) as response:
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= BODY_PREVIEW:
                    break
    except httpx.ConnectError as exc:
        kind = "tls" if "SSL" in str(exc) or "certificate" in str(exc).lower() else "connect"
        hop.update(latency_ms=_ms(start), error_kind=kind)
        return hop, f"{'TLS 握手或证书校验失败' if kind == 'tls' else '无法连接'}：{exc}"
    except httpx.TimeoutException:
        hop.update(latency_ms=_ms(start), error_kind="timeout")
        return hop, "请求超时"
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        hop.update(latency_ms=_ms(start), error_kind="protocol")
        return hop, f"HTTP 请求失败：{exc}"
    hop.update(status_code=response.status_code, latency_ms=_ms(start), location=response.headers.get("location"))
    return hop, {"response": response, "body": body[:BODY_PREVIEW].decode("utf-8", "replace")}


def _ms(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 2)


def _unreachable(url: str, hops: list[dict[str, Any]], kind: str, error: str) -> dict[str, Any]:
    return {"url": url, "reachable": False, "healthy": False, "status_code": None, "error_kind": kind, "error": error,
            "hops": hops, "summary": f"{url} 无法访问：{error}"}


def _final(url: str, hops: list[dict[str, Any]], got: dict[str, Any]) -> dict[str, Any]:
    response: httpx.Response = got["response"]
    code = response.status_code
    total = round(sum(h.get("latency_ms", 0) for h in hops), 2)
    redirects = f"，经过 {len(hops) - 1} 次重定向" if len(hops) > 1 else ""
    return {"url": url, "final_url": hops[-1]["url"], "reachable": True, "status_code": code, "healthy": code < 400,
            "reason": response.reason_phrase, "latency_ms": total, "hops": hops, "headers": dict(response.headers),
            "server": response.headers.get("server"), "body_preview": got["body"],
            "summary": f"{url} 返回 HTTP {code} {response.reason_phrase}，耗时 {total} ms{redirects}"}
