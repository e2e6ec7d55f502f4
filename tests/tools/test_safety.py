"""Target policy: disallowed targets in every spelling are refused; the allow list opens exactly what it names."""

from __future__ import annotations

import ipaddress

import pytest

from tools.base import ToolRefused
from tools.errors import ToolsError
from tools.safety import TargetPolicy, address_problem, parse_ip

DISALLOWED = [
    "127.0.0.1", "127.8.9.10", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "017700000001",
    "localhost", "localhost.", "[::1]", "::1", "0.0.0.0", "0", "10.0.0.8", "172.16.5.4", "192.168.1.1",
    "100.64.0.1", "100.100.100.200", "169.254.169.254", "169.254.170.2", "2852039166", "fd00:ec2::254",
    "fc00::1", "fe80::1", "fe80::1%eth0", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
    "::127.0.0.1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe", "224.0.0.1", "ff02::1", "240.0.0.1",
    "255.255.255.255", "198.18.0.1", "metadata.google.internal", "METADATA.google.internal.",
]


@pytest.mark.parametrize("host", DISALLOWED)
def test_default_policy_refuses(host: str) -> None:
    with pytest.raises(ToolRefused) as refused:
        TargetPolicy().resolve(host, 80)
    assert "不允许" in str(refused.value)


def test_at_least_twenty_disallowed_targets() -> None:
    assert len(DISALLOWED) >= 20


@pytest.mark.parametrize("host", DISALLOWED[:12])
def test_network_tools_refuse_through_registry(make_registry, host: str) -> None:
    registry = make_registry(allow_targets=[])
    for name, args in (("tcp_port_check", {"host": host.strip("[]"), "port": 22}),
                       ("http_check", {"url": f"http://{host if ':' not in host.strip('[]') else '[' + host.strip('[]') + ']'}/"}),
                       ("tls_check", {"host": host.strip("[]")}), ("ping", {"host": host.strip("[]"), "count": 1})):
        result = registry.invoke(name, args, session="s", user="u")
        assert result.status == "refused", (name, host, result)
        assert result.error


@pytest.mark.parametrize("form", ["2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "0x7f000001"])
def test_odd_ipv4_forms_mean_loopback(form: str) -> None:
    assert parse_ip(form) == ipaddress.ip_address("127.0.0.1")


def test_public_addresses_pass() -> None:
    for address in ("203.0.113.10", "8.8.8.8", "2606:4700::1111"):
        ip = ipaddress.ip_address(address)
        if address.startswith("203.0.113"):
            assert address_problem(ip) is not None  # TEST-NET documentation range is reserved
        else:
            assert address_problem(ip) is None
    TargetPolicy().check_address("dns.google", ipaddress.ip_address("8.8.8.8"), 443)


def test_allow_list_opens_exact_entries_only() -> None:
    policy = TargetPolicy(allow=["127.0.0.1:8080", "10.1.0.0/16", "intranet.test"])
    assert policy.resolve("127.0.0.1", 8080).address == "127.0.0.1"
    with pytest.raises(ToolRefused):
        policy.resolve("127.0.0.1", 9090)
    policy.check_address("x", ipaddress.ip_address("10.1.2.3"), 22)
    with pytest.raises(ToolRefused):
        policy.check_address("x", ipaddress.ip_address("10.2.0.1"), 22)
    policy.check_address("intranet.test", ipaddress.ip_address("192.168.0.9"), 80)


def test_metadata_needs_its_exact_address_in_the_allow_list() -> None:
    wide = TargetPolicy(allow=["169.254.0.0/16", "0.0.0.0/0"])
    with pytest.raises(ToolRefused):
        wide.resolve("169.254.169.254", 80)
    assert TargetPolicy(allow=["169.254.169.254"]).resolve("169.254.169.254", 80).address == "169.254.169.254"


def test_deny_list_beats_allow_list() -> None:
    policy = TargetPolicy(allow=["127.0.0.1"], deny=["127.0.0.1"])
    with pytest.raises(ToolRefused):
        policy.resolve("127.0.0.1", 80)


def test_redirect_to_metadata_is_refused(make_registry, web) -> None:
    registry = make_registry(allow_targets=[f"127.0.0.1:{web.port}"])
    result = registry.invoke("http_check", {"url": web.url("/to-metadata")}, session="s", user="u")
    assert result.status == "refused"
    assert "169.254.169.254" in result.error


def test_redirect_to_port_not_allow_listed_is_refused(make_registry, web) -> None:
    registry = make_registry(allow_targets=[f"127.0.0.1:{web.port}"])
    result = registry.invoke("http_check", {"url": web.url("/to-port")}, session="s", user="u")
    assert result.status == "refused"


def test_redirect_to_a_name_resolving_to_loopback_is_refused(make_registry, web) -> None:
    registry = make_registry(allow_targets=[f"127.0.0.1:{web.port}"])
    result = registry.invoke("http_check", {"url": web.url("/to-localhost-name")}, session="s", user="u")
    assert result.status == "refused"
    assert "localhost" in result.error


def test_allowed_redirect_is_followed_and_every_hop_recorded(registry, web) -> None:
    result = registry.invoke("http_check", {"url": web.url("/hop")}, session="s", user="u")
    assert result.status == "ok"
    assert [h["status_code"] for h in result.data["hops"]] == [301, 200]
    assert result.data["status_code"] == 200


def test_malformed_allow_entries_are_a_clear_settings_error() -> None:
    with pytest.raises(ToolsError, match="tools.allow_targets"):
        TargetPolicy(allow=["intranet:http"])
    with pytest.raises(ToolsError, match="tools.deny_targets"):
        TargetPolicy(deny=["10.0.0.0/8:99999x"])
    with pytest.raises(ToolsError):
        TargetPolicy(allow=["127.0.0.1:70000"])


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://example.com/", "http://",
                                 "http://127.0.0.1:99999/"])
def test_http_check_only_speaks_http_to_real_hosts(registry, url: str) -> None:
    result = registry.invoke("http_check", {"url": url}, session="s", user="u")
    assert result.status == "error" and result.error


def test_settings_reject_malformed_targets_at_load() -> None:
    from app.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="tools.allow_targets"):
        load_settings(env={"SMART_COPILOT__TOOLS__ALLOW_TARGETS": "[intranet:http]"})


@pytest.mark.parametrize("address, reason", [
    ("203.0.113.10", "文档示例地址（203.0.113.0/24，TEST-NET-3）"),
    ("198.51.100.23", "TEST-NET-2"),
    ("192.0.2.1", "TEST-NET-1"),
    ("2001:db8::10", "文档示例地址（2001:db8::/32）"),
    ("10.0.1.8", "私有网络地址（10.0.0.0/8"),
    ("172.20.0.1", "私有网络地址（172.16.0.0/12"),
    ("192.168.1.1", "私有网络地址（192.168.0.0/16"),
    ("127.0.0.1", "回环地址"),
    ("169.254.169.254", "云元数据服务地址"),
    ("169.254.10.10", "链路本地地址"),
    ("100.64.0.1", "运营商级 NAT"),
    ("198.18.0.1", "基准测试"),
    ("240.0.0.1", "保留地址"),
])
def test_refusals_name_the_real_reason(address: str, reason: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem and reason in problem
    if "文档示例" in reason or "TEST-NET" in reason:
        assert "私有" not in problem


def test_a_documentation_address_asks_for_the_real_one() -> None:
    from tools.base import ToolRefused

    with pytest.raises(ToolRefused) as refused:
        TargetPolicy().check_address("203.0.113.10", ipaddress.ip_address("203.0.113.10"), 22)
    assert "TEST-NET-3" in str(refused.value) and "真实的公网 IP" in str(refused.value)
    with pytest.raises(ToolRefused) as private:
        TargetPolicy().check_address("10.0.0.5", ipaddress.ip_address("10.0.0.5"), 22)
    assert "私有网络地址" in str(private.value) and "tools.allow_targets" in str(private.value)
