"""Queue isolation: an upload stuck in ingest holds only the ingest slot; chat turns still finish.

A scripted embedder (registered by name like any backend) blocks while embedding the
uploaded passages until the test releases it, so the ordering is forced by events,
not by timing.
"""

from __future__ import annotations

import threading

import pytest
from gradio_client import handle_file

from models.embeddings.hash import HashEmbedder
from models.embeddings.registry import EMBEDDERS
from tests.app.ui_server import client, launch_small_app

MARK = "阻塞标记ZX9"


class GatedEmbedder(HashEmbedder):
    """The hash embedder, except that passages containing MARK wait for `release`."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def embed_passages(self, texts):
        if any(MARK in t for t in texts):
            self.entered.set()
            self.release.wait(120)
        return super().embed_passages(texts)


@pytest.fixture
def gated(tmp_path, monkeypatch):
    embedder = GatedEmbedder()
    monkeypatch.setitem(EMBEDDERS, "gated", lambda settings: embedder)
    app = launch_small_app(tmp_path, with_auth=False, embedder="gated", concurrency_limit=1)
    yield app.url, embedder
    embedder.release.set()
    app.close()


def test_a_stuck_upload_does_not_block_chat(gated, tmp_path):
    url, embedder = gated
    doc = tmp_path / "slow.md"
    doc.write_text(f"# 慢文档\n\n{MARK} 这份文档的向量化会被测试卡住。\n", encoding="utf-8")
    uploader, agent = client(url), client(url)
    upload = uploader.submit([handle_file(str(doc))], "slow-kb", True, api_name="/ingest")
    assert embedder.entered.wait(120), "the upload should reach the embedder"
    final = agent.predict("SSH 连接超时怎么办？", "", api_name="/chat")
    assert final["type"] == "final" and final["result"]["answer"]
    assert not upload.done(), "the upload is still held by the gated embedder"
    embedder.release.set()
    report = upload.result(timeout=120)
    assert report["added"] == 1 and report["kb"] == "slow-kb"
