"""Target policy of the network tools: which hosts, addresses and ports they may reach.

Refuses by default loopback, private (RFC 1918, CGNAT, IPv6 ULA), documentation, link-local, cloud
metadata, unspecified, multicast and reserved addresses, in every spelling the C
resolver accepts (2130706433, 0177.0.0.1, 0x7f.0.0.1, 127.1), IPv4 embedded in IPv6,
and names that resolve to any of them. `resolve` returns the checked address so the
caller connects to exactly that IP (no second lookup, no DNS rebinding). The allow list
(`tools.allow_targets`: names, IPs, CIDRs, each optionally with `:port`) opens targets.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from tools.base import ToolFailed, ToolRefused
from tools.errors import ToolsError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_IPS = {
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "169.254.169.253")
}
METADATA_NAMES = {"metadata.google.internal", "metadata", "metadata.internal", "instance-data.ec2.internal"}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class NameNotResolved(ToolFailed):
    """The host name has no address (a finding for diagnostic tools, not a crash)."""


@dataclass(frozen=True)
class AllowEntry:
    """One allow/deny list item: a name or a network, optionally one port."""

    name: str | None
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None
    port: int | None

    def matches(self, host: str, ip: IPAddress | None, port: int | None) -> bool:
        if self.port is not None and port is not None and self.port != port:
            return False
        if self.name is not None:
            return normalise_host(host) == self.name
        return ip is not None and self.network is not None and ip.version == self.network.version and ip in self.network


@dataclass(frozen=True)
class Target:
    """A host that passed the policy, with the address to connect to."""

    host: str
    port: int | None
    address: str
    addresses: tuple[str, ...]


def normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.split("%", 1)[0]


def parse_ip(host: str) -> IPAddress | None:
    """The address a literal means, in every form the system resolver would accept."""
    host = normalise_host(host)
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """IPv4 hidden in an IPv6 address (mapped, compatible, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


# Special-purpose ranges, most specific reason first (RFC 6890 registry); each names itself so a
# refusal says why: a documentation example (203.0.113.0/24) is not a private address.
SPECIAL_RANGES: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "“本网络”地址（0.0.0.0/8），不是可访问的主机"),
    ("127.0.0.0/8", "回环地址（127.0.0.0/8，指向本机）"),
    ("169.254.0.0/16", "链路本地地址（169.254.0.0/16，只在本机所在网段有效）"),
    ("100.64.0.0/10", "运营商级 NAT 共享地址（100.64.0.0/10）"),
    ("192.0.2.0/24", "文档示例地址（192.0.2.0/24，TEST-NET-1），只用于文档和示例，不是真实主机"),
    ("198.51.100.0/24", "文档示例地址（198.51.100.0/24，TEST-NET-2），只用于文档和示例，不是真实主机"),
    ("203.0.113.0/24", "文档示例地址（203.0.113.0/24，TEST-NET-3），只用于文档和示例，不是真实主机"),
    ("198.18.0.0/15", "网络基准测试地址（198.18.0.0/15），不是真实主机"),
    ("192.0.0.0/24", "IETF 协议分配地址（192.0.0.0/24）"),
    ("10.0.0.0/8", "私有网络地址（10.0.0.0/8，内网）"),
    ("172.16.0.0/12", "私有网络地址（172.16.0.0/12，内网）"),
    ("192.168.0.0/16", "私有网络地址（192.168.0.0/16，内网）"),
    ("224.0.0.0/4", "组播地址（224.0.0.0/4）"),
    ("255.255.255.255/32", "广播地址"),
    ("240.0.0.0/4", "保留地址（240.0.0.0/4）"),
    ("::/128", "未指定地址"),
    ("::1/128", "回环地址（::1，指向本机）"),
    ("fe80::/10", "链路本地地址（fe80::/10）"),
    ("fc00::/7", "私有网络地址（IPv6 唯一本地地址 fc00::/7，内网）"),
    ("2001:db8::/32", "文档示例地址（2001:db8::/32），只用于文档和示例，不是真实主机"),
    ("ff00::/8", "组播地址（ff00::/8）"),
)
_SPECIAL = tuple((ipaddress.ip_network(net), reason) for net, reason in SPECIAL_RANGES)
DOCUMENTATION = tuple(ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
                                                        "198.18.0.0/15", "2001:db8::/32"))
"""Example and test ranges: no real host to open up, so the refusal asks for the real address."""


def is_example_address(ip: IPAddress) -> bool:
    inner = embedded_ipv4(ip) or ip
    return any(inner.version == n.version and inner in n for n in DOCUMENTATION)


def address_problem(ip: IPAddress) -> str | None:
    """Why an address is off limits by default (Chinese, naming the range), or None if it is public."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        problem = address_problem(inner)
        return f"{problem}（IPv6 内嵌的 IPv4 {inner}）" if problem else None
    if ip in METADATA_IPS:
        return "云元数据服务地址"
    for network, reason in _SPECIAL:
        if ip.version == network.version and ip in network:
            return reason
    checks = (
        (ip.is_unspecified, "未指定地址"),
        (ip.is_loopback, "回环地址"),
        (ip.is_link_local, "链路本地地址"),
        (ip.is_multicast, "组播地址"),
        (ip.is_private, "非公网的专用地址"),
        (ip.is_reserved, "保留地址"),
        (not ip.is_global, "非公网地址"),
    )
    for hit, reason in checks:
        if hit:
            return reason
    return None


def parse_entry(text: str) -> AllowEntry:
    """`10.0.0.0/8`, `127.0.0.1:8080`, `[::1]:443`, `example.com`, `example.com:443`."""
    raw = text.strip()
    port: int | None = None
    if raw.startswith("["):
        inner, _, rest = raw[1:].partition("]")
        raw, port = inner, int(rest[1:]) if rest.startswith(":") else None
    elif raw.count(":") == 1:
        raw, port_text = raw.split(":")
        port = int(port_text)
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"port out of range: {port}")
    try:
        return AllowEntry(None, ipaddress.ip_network(raw, strict=False), port)
    except ValueError:
        ip = parse_ip(raw)
        if ip is not None:
            return AllowEntry(None, ipaddress.ip_network(ip), port)
        return AllowEntry(normalise_host(raw), None, port)


def _entry(text: str, setting: str) -> AllowEntry:
    try:
        return parse_entry(text)
    except ValueError:
        raise ToolsError(f"设置项 {setting} 中的 {text!r} 无效：应为域名、IP 或网段，可带端口（如 10.0.0.0/8、127.0.0.1:8080）") from None


class TargetPolicy:
    """Decides whether a network tool may reach host:port; resolves names once."""

    def __init__(self, allow: list[str] | None = None, deny: list[str] | None = None,
                 allowed_ports: list[int] | None = None) -> None:
        self.allow = [_entry(e, "tools.allow_targets") for e in allow or []]
        self.deny = [_entry(e, "tools.deny_targets") for e in deny or []]
        self.allowed_ports = set(allowed_ports or [])

    def _allowed(self, host: str, ip: IPAddress | None, port: int | None) -> bool:
        if ip is not None and ip in METADATA_IPS:
            # Metadata opens only by its exact address, never through a name or a wide CIDR.
            return any(e.network is not None and e.network.num_addresses == 1 and e.matches(host, ip, port)
                       for e in self.allow)
        return any(e.matches(host, ip, port) for e in self.allow)

    def check_address(self, host: str, ip: IPAddress, port: int | None) -> None:
        """Raise ToolRefused unless host/ip/port may be reached."""
        if any(e.matches(host, ip, port) for e in self.deny):
            raise ToolRefused(f"目标 {host} 在禁止列表中")
        problem = address_problem(ip)
        allowed = self._allowed(host, ip, port)
        if problem and not allowed:
            where = host if normalise_host(host) == str(ip) else f"{host}（解析为 {ip}）"
            hint = ("请换成实例真实的公网 IP 或域名" if is_example_address(ip)
                    else "如确需访问，请管理员把它加入 tools.allow_targets")
            raise ToolRefused(f"出于安全策略，不允许访问 {where}：{problem}。{hint}")
        if not problem and self.allowed_ports and port is not None and port not in self.allowed_ports and not allowed:
            raise ToolRefused(f"出于安全策略，不允许访问端口 {port}（允许的端口：{sorted(self.allowed_ports)}）")

    def check_name(self, host: str, port: int | None = None) -> None:
        name = normalise_host(host)
        if not name:
            raise ToolFailed("目标地址为空")
        if any(e.name == name and (e.port is None or port is None or e.port == port) for e in self.deny):
            raise ToolRefused(f"目标 {host} 在禁止列表中")
        if name in METADATA_NAMES and not self._allowed(name, None, port):
            raise ToolRefused(f"出于安全策略，不允许访问云元数据服务 {host}")

    def resolve(self, host: str, port: int | None = None) -> Target:
        """Check the name and every address it resolves to; return the address to connect to."""
        self.check_name(host, port)
        literal = parse_ip(host)
        if literal is not None:
            self.check_address(host, literal, port)
            return Target(normalise_host(host), port, str(literal), (str(literal),))
        try:
            infos = socket.getaddrinfo(normalise_host(host), port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise NameNotResolved(f"域名 {host} 无法解析：{exc}") from None
        addresses: list[str] = []
        for info in infos:
            addr = str(info[4][0]).split("%", 1)[0]
            if addr not in addresses:
                addresses.append(addr)
        for addr in addresses:
            self.check_address(host, ipaddress.ip_address(addr), port)
        if not addresses:
            raise NameNotResolved(f"域名 {host} 没有解析到地址")
        return Target(normalise_host(host), port, addresses[0], tuple(addresses))
