"""Upload checks (names, types, sizes, counts, zips) and overlap flags against a real knowledge base."""

from __future__ import annotations

import zipfile

import pytest

from app.settings import AppSettings, Settings
from app.ui.errors import UIError
from app.ui.overlap import compare, find_overlaps
from app.ui.uploads import sanitize_name, stage_upload


def test_sanitize_name():
    assert sanitize_name("../../etc/passwd") == "passwd"
    assert sanitize_name("C:\\Users\\x\\报告 v2.MD") == "报告 v2.md"
    assert sanitize_name("a;rm -rf $HOME|.txt") == "a_rm -rf _HOME.txt"
    assert sanitize_name(".hidden") == "hidden"
    assert sanitize_name("bad\x00name\n.md") == "badname.md"
    assert len(sanitize_name("长" * 300 + ".pdf")) <= 120


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_stage_upload_checks_types_sizes_counts(tmp_path):
    settings = AppSettings(max_upload_mb=0.001, max_upload_files=3)
    ok = write(tmp_path / "ok.md", "# 标题\n\n内容。")
    exe = write(tmp_path / "x.exe", "MZ")
    big = write(tmp_path / "big.md", "大" * 2000)
    staged = stage_upload([("ok.md", ok), ("x.exe", exe), ("big.md", big)], "kb", "alice", settings, tmp_path / "st")
    assert staged.names == ["ok.md"]
    errors = {r["source"]: r["error"] for r in staged.rejected}
    assert "不支持的文件类型" in errors["x.exe"] and "太大" in errors["big.md"]
    staged.discard()
    assert not staged.folder.exists()
    with pytest.raises(UIError, match="最多上传 3"):
        stage_upload([("ok.md", ok)] * 4, "kb", "alice", settings, tmp_path / "st")
    with pytest.raises(UIError, match="没有可导入"):
        stage_upload([("x.exe", exe)], "kb", "alice", settings, tmp_path / "st")


def test_zip_is_expanded_without_escaping(tmp_path):
    archive = tmp_path / "kb.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("docs/a.md", "# A\n\n甲。")
        zf.writestr("../../escape.md", "# B")
    staged = stage_upload([("kb.zip", archive)], "kb", "u", AppSettings(), tmp_path / "st")
    assert staged.names == ["docs/a.md"]
    assert not (tmp_path / "escape.md").exists()
    assert any("不安全" in r["error"] for r in staged.rejected)


def test_compare_tells_duplicates_conflicts_and_unrelated():
    assert compare("安全组规则修改后立即生效。", "安全组规则修改后立即生效。")["kind"] == "duplicate"
    found = compare("连接数上限：1核2GB 为 1500。", "连接数上限：1核2GB 为 1000。")
    assert found["kind"] == "conflict" and found["changes"] == [("1000", "1500")]
    assert compare("自动续费默认开启。", "自动续费默认关闭。")["kind"] == "conflict"
    assert compare("CPU 使用率高先用 top 查看。", "对象存储的生命周期规则按前缀匹配。") is None


def test_find_overlaps_against_a_real_kb(tmp_path):
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    settings = Settings.model_validate({"data_dir": str(tmp_path / "data"),
                                        "models": {"embedder": {"backend": "hash"}}})
    existing = tmp_path / "existing"
    existing.mkdir()
    write(existing / "mysql.md", "# MySQL 连接数\n\n连接数上限由规格决定：1核2GB 为 1000，2核4GB 为 2000，4核8GB 为 4000。\n\n"
          "## 慢查询\n\n慢查询日志默认记录执行超过 1 秒的语句。\n")
    ks = KnowledgeService(settings.knowledge, settings.data_dir, create_embedder(settings.models.embedder))
    try:
        ks.ingest([existing], kb="demo")
        upload = tmp_path / "upload"
        upload.mkdir()
        write(upload / "new.md", "# 连接数\n\n连接数上限由规格决定：1核2GB 为 1000，2核4GB 为 3000，4核8GB 为 4000。\n\n"
              "## 其他\n\n对象存储的跨域规则在存储桶权限中配置。\n")
        chunks = ks.preview([upload]).chunks
        flags = find_overlaps(ks, "demo", chunks)
        assert [f["kind"] for f in flags] == ["conflict"]
        assert flags[0]["existing_source"] == "mysql.md" and ("2000", "3000") in flags[0]["changes"]
        assert find_overlaps(ks, "no-such-kb", chunks) == []
        same = ks.preview([existing]).chunks
        assert find_overlaps(ks, "demo", same) == [], "re-uploading an unchanged document is not a finding"
    finally:
        ks.close()
