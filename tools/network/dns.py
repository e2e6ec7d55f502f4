"""dns_lookup: what a name resolves to (A/AAAA/CNAME), and which resolver said so.

Two views: the system resolver (`getaddrinfo`, what applications on this host see) and
a direct UDP query to a resolver (settings.dns_servers, the `server` argument, or the
first nameserver of /etc/resolv.conf). Non-public answers are flagged, not hidden:
a public name resolving to a private address is itself a finding.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from pathlib import Path
from typing import Any

from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall
from tools.network.dnswire import TYPES, DnsWireError, query
from tools.safety import address_problem, parse_ip

NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}(?:\.[A-Za-z0-9_-]{1,63})*\.?$"


class DnsArgs(ToolArgs):
    name: str = Field(pattern=NAME_PATTERN, max_length=253, description="要解析的域名")
    record_types: list[str] = Field(default=["A", "AAAA", "CNAME"], description="A / AAAA / CNAME")
    server: str | None = Field(None, description="直接询问的 DNS 服务器 IP（可选）")


def system_resolvers(path: Path = Path("/etc/resolv.conf")) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return re.findall(r"^\s*nameserver\s+(\S+)", text, re.M)


def split_server(text: str) -> tuple[str, int]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else 53
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port)
    return text, 53


class DnsLookup(Tool):
    name = "dns_lookup"
    description = "解析域名的 A/AAAA/CNAME 记录，对比系统解析器与指定 DNS 服务器的结果"
    Args = DnsArgs
    network = True

    def run(self, args: DnsArgs, call: ToolCall) -> dict[str, Any]:
        policy, settings = self.deps.policy, self.deps.settings
        policy.check_name(args.name)
        types = [t.upper() for t in args.record_types if t.upper() in TYPES] or ["A", "AAAA", "CNAME"]
        system = _system(args.name)
        if args.server:
            host, port = split_server(args.server)
            ip = parse_ip(host)
            if ip is None:
                policy.resolve(host, port)
            else:
                policy.check_address(host, ip, port)
            servers = [(str(ip or host), port)]
        else:
            servers = [split_server(s) for s in (settings.dns_servers or system_resolvers()[:1])]
        udp = [_udp(server, port, args.name, types, settings.connect_timeout_s, call.deadline) for server, port in servers]
        addresses = list(system["addresses"])
        for answer in udp:
            for rec in answer.get("records", []):
                if rec["type"] in ("A", "AAAA") and rec["value"] not in addresses:
                    addresses.append(rec["value"])
        flagged = {a: p for a in addresses if (p := address_problem(ipaddress.ip_address(a)))}
        answered_by = (["system (getaddrinfo)"] if system["addresses"] else []) + [
            f"udp {a['server']}" for a in udp if a.get("records")]
        nxdomain = any(a.get("rcode") == "NXDOMAIN" for a in udp)
        resolved = bool(addresses)
        cnames = [r["value"] for a in udp for r in a.get("records", []) if r["type"] == "CNAME"]
        if resolved:
            summary = f"{args.name} 解析到 {', '.join(addresses[:6])}（应答：{'、'.join(answered_by)}）"
            if cnames:
                summary += f"，CNAME → {', '.join(dict.fromkeys(cnames))}"
            if flagged:
                summary += f"；注意：{', '.join(f'{a} 是{p}' for a, p in flagged.items())}"
        else:
            why = "域名不存在（NXDOMAIN）" if nxdomain else (system["error"] or "没有记录")
            summary = f"{args.name} 无法解析：{why}"
        return {"name": args.name, "resolved": resolved, "addresses": addresses, "cname": list(dict.fromkeys(cnames)),
                "nxdomain": nxdomain, "non_public": flagged, "answered_by": answered_by, "system": system, "udp": udp,
                "healthy": resolved, "summary": summary}


def _system(name: str) -> dict[str, Any]:
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return {"resolver": "system (getaddrinfo)", "addresses": [], "error": str(exc)}
    addresses = list(dict.fromkeys(str(i[4][0]).split("%", 1)[0] for i in infos))
    return {"resolver": "system (getaddrinfo)", "addresses": addresses, "error": None}


def _udp(server: str, port: int, name: str, types: list[str], timeout: float,
         deadline: float | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"server": f"{server}:{port}" if port != 53 else server, "records": [], "rcode": None,
                              "errors": []}
    for rtype in types:
        try:
            answer = query(server, port, name, rtype, timeout, deadline)
        except (OSError, DnsWireError) as exc:
            result["errors"].append(f"{rtype}: {type(exc).__name__}: {exc}")
            continue
        result["rcode"] = answer.rcode if result["rcode"] in (None, "NOERROR") else result["rcode"]
        for rec in answer.records:
            if rec not in result["records"]:
                result["records"].append(rec)
    return result
