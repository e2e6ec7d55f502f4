"""`preview` gives exactly the documents and chunks ingest would store, and writes nothing."""

from __future__ import annotations

import json

from knowledge.config import KnowledgeSettings
from knowledge.demo_kb import DEMO_DIR
from knowledge.preview import preview_files
from tests.knowledge.conftest import write


def test_preview_of_the_demo_folder_matches_what_ingest_stores(make_service):
    ks = make_service(dense="off")
    preview = ks.preview([DEMO_DIR])
    assert ks.list_kbs() == [], "preview indexes nothing"
    ks.ingest([DEMO_DIR], kb="demo")
    stored = list(ks.iter_chunks("demo"))
    assert len(preview.chunks) == len(stored) > 300
    for new, old in zip(preview.chunks, stored):
        assert (new.source, new.title, new.heading_path, new.text, new.kind) == \
               (old.source, old.title, old.heading_path, old.text, old.kind)
        assert {k: v for k, v in old.meta.items()}.items() <= new.meta.items()
    shown = {d["source"]: d["chunks"] for d in ks.show_kb("demo")["documents"]}
    assert {d.source: d.chunks for d in preview.documents} == shown
    assert "README.md" not in shown, ".kbignore is respected"


def test_preview_chunks_carry_front_matter_and_report_bad_files(tmp_path):
    root = tmp_path / "kb"
    write(root, "ssh.md", "---\ntitle: SSH 无法登录\nproduct: 云服务器\n---\n## 现象\n\n连接超时。\n")
    write(root, "faq.jsonl", json.dumps({"question": "默认端口？", "answer": "22。"}, ensure_ascii=False) + "\n{broken\n")
    write(root, "notes.rtf", "{\\rtf1 x}")
    write(root, "empty.txt", "\n")
    preview = preview_files([root], KnowledgeSettings())
    assert [d.source for d in preview.documents] == ["empty.txt", "faq.jsonl", "notes.rtf", "ssh.md"]
    errors = {e["source"]: e["error"] for e in preview.errors}
    assert set(errors) == {"faq.jsonl", "notes.rtf", "empty.txt"}
    assert "第 2 行" in errors["faq.jsonl"] and "不支持的文件类型 .rtf" in errors["notes.rtf"]
    (chunk,) = preview.chunks
    assert chunk.meta["product"] == "云服务器" and chunk.heading_path == ["现象"] and chunk.title == "SSH 无法登录"
    assert chunk.meta["indexed_text"].startswith("云服务器 > SSH 无法登录 > 现象")
