"""Local test servers on 127.0.0.1 for the tool tests: HTTP (scripted routes), TLS with
generated certificates (expired, wrong name), a tiny authoritative DNS server over UDP,
and a closed port. Everything binds to loopback on a free port and stops at teardown.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import socketserver
import ssl
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

Route = Callable[["BaseHTTPRequestHandler"], tuple[int, dict[str, str], bytes]]


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HttpServer:
    """Threaded HTTP server answering from a dict of path -> (status, headers, body); records POSTs."""

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]], tls: ssl.SSLContext | None = None):
        self.routes = routes
        self.posts: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                return None

            def _answer(self) -> None:
                status, headers, body = owner.routes.get(self.path.split("?")[0], (404, {}, b"not found"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value.replace("{port}", str(owner.port)))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = _answer
            do_HEAD = _answer

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                owner.posts.append({"path": self.path, "body": json.loads(self.rfile.read(length) or b"{}"),
                                    "host": self.headers.get("Host")})
                self._answer()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.handle_error = lambda request, address: None  # clients here hang up mid-handshake on purpose
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def make_certificate(folder: Path, name: str, *, days_valid: tuple[int, int], ip: str | None = None) -> ssl.SSLContext:
    """Self-signed cert for `name` valid from now+days_valid[0] to now+days_valid[1]; a server context."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    alt: list[x509.GeneralName] = [x509.DNSName(name)]
    if ip:
        alt.append(x509.IPAddress(ipaddress.ip_address(ip)))
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=days_valid[0]))
            .not_valid_after(now + dt.timedelta(days=days_valid[1]))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


class DnsServer:
    """Answers A/AAAA/CNAME from a zone dict {name: [(type, value)]}; NXDOMAIN otherwise."""

    def __init__(self, zone: dict[str, list[tuple[str, str]]]):
        self.zone = {k.lower().rstrip("."): v for k, v in zone.items()}
        self.queries: list[tuple[str, int]] = []
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data, sock = self.request
                sock.sendto(owner.answer(data), self.client_address)

        self.server = socketserver.ThreadingUDPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, data: bytes) -> bytes:
        qid = struct.unpack("!H", data[:2])[0]
        offset, labels = 12, []
        while data[offset]:
            length = data[offset]
            labels.append(data[offset + 1:offset + 1 + length].decode())
            offset += 1 + length
        question = data[12:offset + 5]
        qtype = struct.unpack("!H", data[offset + 1:offset + 3])[0]
        name = ".".join(labels).lower()
        self.queries.append((name, qtype))
        records = self.zone.get(name)
        if records is None:
            return struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question
        answers = b""
        count = 0
        for rtype, value in records:
            code = {"A": 1, "AAAA": 28, "CNAME": 5}[rtype]
            if code != qtype and rtype != "CNAME":
                continue
            if rtype == "CNAME":
                rdata = b"".join(bytes([len(p)]) + p.encode() for p in value.split(".")) + b"\x00"
            else:
                rdata = ipaddress.ip_address(value).packed
            answers += b"\xc0\x0c" + struct.pack("!HHIH", code, 1, 300, len(rdata)) + rdata
            count += 1
        return struct.pack("!HHHHHH", qid, 0x8180, 1, count, 0, 0) + question + answers

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
