"""A minimal DNS client over UDP (RFC 1035): one question, A / AAAA / CNAME answers.

Enough to ask a specific resolver directly and say which one answered; no recursion
of our own, no EDNS. `query(server, port, name, rtype, timeout)`.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import struct
import time
from dataclasses import dataclass, field

TYPES = {"A": 1, "AAAA": 28, "CNAME": 5}
TYPE_NAMES = {v: k for k, v in TYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


class DnsWireError(Exception):
    """A malformed or mismatched response."""


@dataclass
class DnsAnswer:
    rcode: str
    records: list[dict] = field(default_factory=list)
    """`{"type", "name", "value", "ttl"}`."""


def encode_name(name: str) -> bytes:
    out = b""
    for label in name.rstrip(".").split("."):
        raw = label.encode("idna")
        if not 0 < len(raw) < 64:
            raise DnsWireError(f"bad label in {name!r}")
        out += bytes([len(raw)]) + raw
    return out + b"\x00"


def build_query(name: str, rtype: str, query_id: int) -> bytes:
    header = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0)
    return header + encode_name(name) + struct.pack("!HH", TYPES[rtype], 1)


def read_name(packet: bytes, offset: int) -> tuple[str, int]:
    labels: list[str] = []
    jumps, end = 0, None
    while True:
        if offset >= len(packet):
            raise DnsWireError("name runs past the packet")
        length = packet[offset]
        if length & 0xC0 == 0xC0:
            if jumps > 20:
                raise DnsWireError("compression loop")
            pointer = struct.unpack("!H", packet[offset:offset + 2])[0] & 0x3FFF
            end = offset + 2 if end is None else end
            offset, jumps = pointer, jumps + 1
            continue
        if length == 0:
            return ".".join(labels), (offset + 1 if end is None else end)
        labels.append(packet[offset + 1:offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length


def parse_response(packet: bytes, query_id: int) -> DnsAnswer:
    """Decode a response; anything malformed becomes DnsWireError."""
    try:
        return _parse(packet, query_id)
    except (struct.error, IndexError, ValueError, UnicodeError) as exc:
        raise DnsWireError(f"malformed response: {exc}") from None


def _parse(packet: bytes, query_id: int) -> DnsAnswer:
    if len(packet) < 12:
        raise DnsWireError("short response")
    rid, flags, qd, an, _, _ = struct.unpack("!HHHHHH", packet[:12])
    if rid != query_id:
        raise DnsWireError("response id does not match the query")
    offset = 12
    for _ in range(qd):
        _, offset = read_name(packet, offset)
        offset += 4
    answer = DnsAnswer(rcode=RCODES.get(flags & 0xF, str(flags & 0xF)))
    for _ in range(an):
        name, offset = read_name(packet, offset)
        rtype, _, ttl, size = struct.unpack("!HHIH", packet[offset:offset + 10])
        offset += 10
        rdata = packet[offset:offset + size]
        if rtype == 1 and size == 4:
            value = str(ipaddress.IPv4Address(rdata))
        elif rtype == 28 and size == 16:
            value = str(ipaddress.IPv6Address(rdata))
        elif rtype == 5:
            value, _ = read_name(packet, offset)
        else:
            offset += size
            continue
        offset += size
        answer.records.append({"type": TYPE_NAMES[rtype], "name": name, "value": value, "ttl": ttl})
    return answer


def query(server: str, port: int, name: str, rtype: str, timeout: float, deadline: float | None = None) -> DnsAnswer:
    """Ask `server` one question; raises OSError/TimeoutError/DnsWireError.

    The whole exchange ends by `timeout` (or `deadline`, a monotonic time, if sooner): stray
    packets from other sources do not restart the wait.
    """
    query_id = secrets.randbelow(0xFFFF)
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    end = time.monotonic() + timeout if deadline is None else min(deadline, time.monotonic() + timeout)
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.sendto(build_query(name, rtype, query_id), (server, port))
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("DNS 查询超时")
            sock.settimeout(left)
            packet, source = sock.recvfrom(4096)
            if source[0] != server or source[1] != port:
                continue  # not from the resolver we asked
            try:
                return parse_response(packet, query_id)
            except DnsWireError as exc:
                if "id does not match" not in str(exc):
                    raise
