"""The network tools against real servers on 127.0.0.1 started by the fixtures."""

from __future__ import annotations

import struct

import pytest

from tests.tools.servers import closed_port
from tools.network.dnswire import DnsWireError, build_query, parse_response
from tools.network.tls import hostname_matches


def call(registry, tool, **args):
    return registry.invoke(tool, args, session="net", user="tester")


def test_tcp_closed_and_open_ports(registry, web) -> None:
    closed = call(registry, "tcp_port_check", host="127.0.0.1", port=closed_port())
    assert closed.status == "ok" and closed.data["open"] is False and closed.data["healthy"] is False
    assert "拒绝" in closed.data["error"]
    opened = call(registry, "tcp_port_check", host="127.0.0.1", port=web.port)
    assert opened.data["open"] is True and opened.data["latency_ms"] >= 0


def test_tcp_unresolvable_name_is_a_finding(registry) -> None:
    result = call(registry, "tcp_port_check", host="nonexistent.invalid", port=22)
    assert result.status == "ok"
    assert result.data["resolved"] is False and result.data["open"] is False


def test_http_502_reports_status_headers_and_body(registry, web) -> None:
    result = call(registry, "http_check", url=web.url("/"))
    assert result.status == "ok"
    assert result.data["status_code"] == 502 and result.data["healthy"] is False
    assert "test-lb" in result.data["server"]
    assert "502" in result.data["body_preview"]
    assert result.data["hops"][0]["address"] == "127.0.0.1"


def test_http_504_and_200(registry, web) -> None:
    assert call(registry, "http_check", url=web.url("/gw")).data["status_code"] == 504
    ok = call(registry, "http_check", url=web.url("/ok"), method="HEAD")
    assert ok.data["status_code"] == 200 and ok.data["healthy"] is True
    assert ok.data["headers"]["x-test"] == "yes"


def test_http_unreachable_port_and_name(registry) -> None:
    refused = call(registry, "http_check", url=f"http://127.0.0.1:{closed_port()}/")
    assert refused.status == "ok" and refused.data["reachable"] is False and refused.data["error_kind"] == "connect"
    missing = call(registry, "http_check", url="http://nonexistent.invalid/")
    assert missing.data["reachable"] is False and missing.data["error_kind"] == "dns"


def test_http_tls_failure_is_reported(registry, expired_tls) -> None:
    result = call(registry, "http_check", url=expired_tls.url("/", scheme="https"))
    assert result.data["reachable"] is False and result.data["error_kind"] == "tls"


def test_http_by_name_keeps_host_header_and_sni(registry, valid_tls) -> None:
    strict = call(registry, "http_check", url=f"https://localhost:{valid_tls.port}/")
    assert strict.data["reachable"] is False and strict.data["error_kind"] == "tls"
    relaxed = call(registry, "http_check", url=f"https://localhost:{valid_tls.port}/", verify_tls=False)
    assert relaxed.data["status_code"] == 200 and relaxed.data["hops"][0]["address"] == "127.0.0.1"


def test_tls_expired_self_signed_certificate(registry, expired_tls) -> None:
    result = call(registry, "tls_check", host="127.0.0.1", port=expired_tls.port, servername="expired.test")
    data = result.data
    assert result.status == "ok"
    assert data["expired"] is True and data["days_left"] < 0
    assert data["self_signed"] is True and data["trusted"] is False
    assert data["hostname_match"] is True and data["san"] == ["expired.test"]
    assert len(data["chain"]) == 1 and "expired.test" in data["chain"][0]["subject"]
    assert data["healthy"] is False and "过期" in data["summary"]


def test_tls_name_mismatch_and_untrusted(registry, valid_tls) -> None:
    result = call(registry, "tls_check", host="127.0.0.1", port=valid_tls.port, servername="shop.example.com")
    assert result.data["expired"] is False and result.data["days_left"] >= 88
    assert result.data["hostname_match"] is False
    assert result.data["trusted"] is False and result.data["verify_error"]
    by_ip = call(registry, "tls_check", host="127.0.0.1", port=valid_tls.port)
    assert by_ip.data["hostname_match"] is True


def test_tls_on_a_plain_port_fails_cleanly(registry, web) -> None:
    result = call(registry, "tls_check", host="127.0.0.1", port=web.port)
    assert result.status == "ok" and result.data["healthy"] is False and result.data["error"]


def test_hostname_matching_rules() -> None:
    assert hostname_matches("www.example.com", ["*.example.com"], None)
    assert not hostname_matches("a.b.example.com", ["*.example.com"], None)
    assert not hostname_matches("example.com", ["*.example.com"], None)
    assert hostname_matches("Example.COM.", ["example.com"], None)
    assert hostname_matches("legacy.test", [], "legacy.test")
    assert not hostname_matches("legacy.test", ["other.test"], "legacy.test")


def test_dns_lookup_against_local_resolver(make_registry, dns_server) -> None:
    registry = make_registry(dns_servers=[f"127.0.0.1:{dns_server.port}"])
    result = call(registry, "dns_lookup", name="www.example.test")
    assert result.status == "ok"
    data = result.data
    assert data["resolved"] is True and "203.0.113.10" in data["addresses"]
    assert data["cname"] == ["app.example.test"]
    assert f"udp 127.0.0.1:{dns_server.port}" in data["answered_by"]
    six = call(registry, "dns_lookup", name="app.example.test", record_types=["AAAA"])
    assert six.data["addresses"] == ["2001:db8::10"]


def test_dns_nxdomain_and_private_answers(make_registry, dns_server) -> None:
    registry = make_registry(dns_servers=[f"127.0.0.1:{dns_server.port}"])
    missing = call(registry, "dns_lookup", name="nonexistent.invalid")
    assert missing.data["resolved"] is False and missing.data["nxdomain"] is True
    assert "NXDOMAIN" in missing.data["summary"]
    internal = call(registry, "dns_lookup", name="internal.example.test")
    assert internal.data["non_public"] == {"10.0.0.5": "私有网络地址（10.0.0.0/8，内网）"}


def test_dns_server_argument_goes_through_the_policy(make_registry, dns_server) -> None:
    registry = make_registry(allow_targets=[])
    result = call(registry, "dns_lookup", name="www.example.test", server=f"127.0.0.1:{dns_server.port}")
    assert result.status == "refused"
    refused = call(registry, "dns_lookup", name="metadata.google.internal")
    assert refused.status == "refused"


def test_dns_wire_rejects_mismatched_ids() -> None:
    packet = build_query("a.test", "A", 7)
    try:
        parse_response(packet[:2] + b"\x81\x80" + packet[4:], 8)
    except DnsWireError as exc:
        assert "does not match" in str(exc)
    else:
        raise AssertionError("mismatched id accepted")


def test_dns_wire_turns_any_malformed_packet_into_its_error(dns_server) -> None:
    good = dns_server.answer(build_query("www.example.test", "A", 99))
    assert [r["value"] for r in parse_response(good, 99).records] == ["app.example.test", "203.0.113.10"]
    for cut in range(len(good)):
        try:
            parse_response(good[:cut], 99)
        except DnsWireError:
            continue
    looped = struct.pack("!HHHHHH", 99, 0x8180, 1, 0, 0, 0) + b"\xc0\x0c" + b"\x00\x01\x00\x01"
    with pytest.raises(DnsWireError, match="loop"):
        parse_response(looped, 99)


def test_ping_falls_back_to_tcp_when_icmp_is_unavailable(registry, web) -> None:
    result = call(registry, "ping", host="127.0.0.1", count=2, port=web.port)
    assert result.status == "ok"
    assert result.data["method"] in ("icmp", "tcp")
    if result.data["method"] == "tcp":
        assert result.data["received"] == 2 and result.data["avg_ms"] >= 0
