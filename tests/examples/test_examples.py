"""CONTRIBUTING.md's recipes followed once: a loader and a tool, each registered by one entry.

Each test adds the example's one registry entry (as a real extension adds one line), then
uses it the way the product does: ingest, preview, search and the upload check for the
loader; the registry's `invoke` (validation, audit) for the tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import AppSettings
from app.ui.errors import UIError
from app.ui.uploads import stage_upload
from knowledge import loaders
from knowledge.config import KnowledgeSettings
from knowledge.errors import KnowledgeError
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder
from tests.examples.document_list_tool import DocumentList
from tests.examples.ini_loader import INI_LOADER
from tools import catalog
from tools.config import ToolSettings
from tools.registry import build_registry

MYSQL_INI = "[mysqld]\n# 连接数上限\nmax_connections = 1000\nslow_query_log = ON\n\n[client]\nport = 3306\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def service(tmp_path):
    ks = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path / "data", HashEmbedder(dim=64))
    yield ks
    ks.close()


def test_without_its_entry_the_format_is_unknown(tmp_path):
    assert ".ini" not in loaders.supported_suffixes() and ".ini" not in AppSettings().upload_types
    with pytest.raises(KnowledgeError, match="不支持的文件类型 .ini"):
        loaders.load_file(write(tmp_path / "my.ini", MYSQL_INI))


def test_a_loader_registered_by_one_entry(monkeypatch, tmp_path, service):
    monkeypatch.setattr(loaders, "LOADERS", [*loaders.LOADERS, INI_LOADER])  # the one entry
    assert {".ini", ".conf"} <= set(loaders.supported_suffixes()) and ".conf" in AppSettings().upload_types

    folder = tmp_path / "conf"
    write(folder / "mysql.ini", MYSQL_INI)
    write(folder / "broken.conf", "max_connections = 1000\n")  # no [section]
    preview = service.preview([folder])
    assert [e["source"] for e in preview.errors] == ["broken.conf"] and "INI 文件无法解析" in preview.errors[0]["error"]
    assert "配置项: max_connections；取值: 1000" in preview.chunks[0].text
    assert [c.heading_path for c in preview.chunks] == [["mysqld"], ["client"]]

    report = service.ingest([folder], kb="conf").to_json()
    assert (report["added"], [e["source"] for e in report["errors"]]) == (1, ["broken.conf"])
    assert service.search("max_connections 上限", kb="conf", k=1)[0].source == "mysql.ini"

    upload = tmp_path / "upload" / "my.ini"
    write(upload, MYSQL_INI)
    other = write(tmp_path / "upload" / "notes.rtf", "{\\rtf1}")
    staged = stage_upload([("my.ini", upload), ("notes.rtf", other)], "conf", "local", AppSettings(), tmp_path / "staging")
    assert staged.names == ["my.ini"] and staged.rejected[0]["source"] == "notes.rtf"


def test_a_tool_registered_by_one_entry(monkeypatch, tmp_path, service):
    monkeypatch.setattr(catalog, "SHIPPED_TOOLS", [*catalog.SHIPPED_TOOLS, DocumentList])  # the one entry
    folder = tmp_path / "kb"
    write(folder / "ssh.md", "# SSH 无法登录\n\n## 现象\n\n连接 22 端口超时。\n")
    write(folder / "mysql.md", "# MySQL 连接数\n\n报 ERROR 1040，SSH 隧道连接也会失败。\n")
    write(folder / "cdn.md", "# CDN 回源失败\n\n源站返回 502。\n")
    service.ingest([folder], kb="t")

    registry = build_registry(ToolSettings(), tmp_path / "tools", knowledge=service)
    try:
        spec = next(s for s in registry.specs() if s["name"] == "document_list")
        assert spec["risk"] == "read_only" and "keyword" in spec["args"]["properties"]
        result = registry.invoke("document_list", {"keyword": "ssh", "kb": "t"}, session="s1", user="agent")
        assert result.status == "ok" and result.data["total"] == 2
        assert {d["source"] for d in result.data["documents"]} == {"ssh.md", "mysql.md"}
        bad = registry.invoke("document_list", {"keyword": "", "kb": "t"}, session="s1", user="agent")
        assert bad.status == "error" and "keyword" in bad.error
        audited = registry.audit.records(session="s1")
        assert [(r["tool"], r["status"]) for r in audited] == [("document_list", "error"), ("document_list", "ok")]
    finally:
        registry.close()

    bare = build_registry(ToolSettings(), None)
    try:
        missing = bare.invoke("document_list", {"keyword": "ssh"}, session="s2", user="agent")
        assert missing.status == "error" and "未配置知识库" in missing.error
    finally:
        bare.close()


def test_upload_of_an_unregistered_format_is_refused(tmp_path):
    upload = write(tmp_path / "my.ini", MYSQL_INI)
    with pytest.raises(UIError, match="不支持的文件类型 .ini"):
        stage_upload([("my.ini", upload)], "conf", "local", AppSettings(), tmp_path / "staging")
