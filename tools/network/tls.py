"""tls_check: the certificate a server presents — expiry, days left, chain, host-name match.

The handshake is done without verification so expired, self-signed and mismatched
certificates can still be read; they are then evaluated here, and a second, verifying
handshake reports whether the system trust store accepts the chain.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from typing import TYPE_CHECKING, Any

from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall
from tools.deadline import time_left
from tools.network.common import (HOST_PATTERN, client_ssl_context, connect, resolve_or_report,
                                  target_json)
from tools.safety import parse_ip

if TYPE_CHECKING:  # cryptography is imported by a check that runs (0.02 s of CPU off every cold start)
    from cryptography import x509


class TlsArgs(ToolArgs):
    host: str = Field(pattern=HOST_PATTERN, description="域名或 IP")
    port: int = Field(443, ge=1, le=65535, description="TLS 端口")
    servername: str | None = Field(None, pattern=HOST_PATTERN, description="SNI 与证书匹配用的域名（默认同 host）")


class TlsCheck(Tool):
    name = "tls_check"
    description = "检查 HTTPS/TLS 证书：有效期与剩余天数、证书链、域名是否匹配、是否受信任"
    Args = TlsArgs
    network = True

    def run(self, args: TlsArgs, call: ToolCall) -> dict[str, Any]:
        name = args.servername or args.host
        target, missing = resolve_or_report(self.deps.policy, args.host, args.port, "检查证书")
        if target is None:
            return missing
        timeout = self.deps.settings.connect_timeout_s
        sni = None if parse_ip(name) else name
        raw = _handshake(target, args.port, time_left(call, timeout), sni, verify=False)
        if isinstance(raw, str):
            return {**target_json(target), "port": args.port, "resolved": True, "healthy": False, "error": raw,
                    "summary": f"{args.host}:{args.port} TLS 握手失败：{raw}"}
        chain_der, protocol, cipher = raw
        from cryptography import x509

        leaf = x509.load_der_x509_certificate(chain_der[0])
        verified = _handshake(target, args.port, time_left(call, timeout), sni or name, verify=True)
        trusted = not isinstance(verified, str)
        now = dt.datetime.now(dt.timezone.utc)
        not_after, not_before = leaf.not_valid_after_utc, leaf.not_valid_before_utc
        days_left = (not_after - now).days
        sans = _sans(leaf)
        match = hostname_matches(name, sans, _cn(leaf.subject))
        expired, early = now > not_after, now < not_before
        healthy = not expired and not early and match and trusted
        problems = [p for p, bad in (("证书已过期", expired), ("证书尚未生效", early), (f"证书与域名 {name} 不匹配", not match),
                                     ("证书链不受信任", not trusted)) if bad]
        summary = (f"{name} 的证书有效，剩余 {days_left} 天（到期 {not_after:%Y-%m-%d}）" if healthy
                   else f"{name} 的证书有问题：{'；'.join(problems)}（到期 {not_after:%Y-%m-%d}，剩余 {days_left} 天）")
        return {**target_json(target), "port": args.port, "resolved": True, "servername": name,
                "subject": leaf.subject.rfc4514_string(), "issuer": leaf.issuer.rfc4514_string(),
                "not_before": not_before.isoformat(), "not_after": not_after.isoformat(), "days_left": days_left,
                "expired": expired, "not_yet_valid": early, "self_signed": leaf.issuer == leaf.subject,
                "san": sans, "hostname_match": match, "trusted": trusted,
                "verify_error": None if trusted else verified, "protocol": protocol, "cipher": cipher,
                "chain": [_describe(x509.load_der_x509_certificate(der)) for der in chain_der],
                "healthy": healthy, "summary": summary}


def _handshake(target: Any, port: int, timeout: float, sni: str | None, verify: bool) -> tuple[list[bytes], str, str] | str:
    context = client_ssl_context(verify)
    sock, _, error = connect(target, port, timeout)
    if sock is None:
        return error or "连接失败"
    try:
        # the socket timeout bounds the whole handshake (CPython), so a dripping server ends with it
        with context.wrap_socket(sock, server_hostname=sni) as tls:
            chain = _chain(tls)
            return chain, tls.version() or "", (tls.cipher() or ("",))[0]
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_message or str(exc)
    except (ssl.SSLError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        sock.close()


def _chain(tls: ssl.SSLSocket) -> list[bytes]:
    getter = getattr(tls, "get_unverified_chain", None) or getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    if getter is not None:
        chain = getter() or []
        return [c if isinstance(c, bytes) else ssl.PEM_cert_to_DER_cert(c.public_bytes()) for c in chain]
    leaf = tls.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def _cn(name: x509.Name) -> str | None:
    from cryptography.x509.oid import NameOID

    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else None


def _sans(cert: x509.Certificate) -> list[str]:
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [*ext.get_values_for_type(x509.DNSName), *(str(ip) for ip in ext.get_values_for_type(x509.IPAddress))]


def hostname_matches(name: str, sans: list[str], cn: str | None) -> bool:
    """RFC 6125 style: SANs (CN only without SANs); a wildcard covers exactly one left-most label."""
    host = name.lower().rstrip(".")
    candidates = sans or ([cn] if cn else [])
    ip = parse_ip(host)
    for pattern in candidates:
        pattern = pattern.lower().rstrip(".")
        if ip is not None:
            try:
                if ipaddress.ip_address(pattern) == ip:
                    return True
            except ValueError:
                continue
        elif pattern.startswith("*."):
            head, _, rest = host.partition(".")
            if head and rest == pattern[2:] and rest.count(".") >= 1:
                return True
        elif pattern == host:
            return True
    return False


def _describe(cert: x509.Certificate) -> dict[str, Any]:
    return {"subject": cert.subject.rfc4514_string(), "issuer": cert.issuer.rfc4514_string(),
            "not_after": cert.not_valid_after_utc.isoformat()}
