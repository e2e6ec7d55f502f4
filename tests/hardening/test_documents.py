"""Hostile and odd documents: long lines, zip bombs, text only in <div>, empty files, symlinks
out of the folder, devices and FIFOs, undecodable names, clashing relative paths."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.knowledge.conftest import write

REPO = Path(__file__).resolve().parents[2]


def files_by_source(report) -> dict[str, dict]:
    return {f["source"]: f for f in report.files}


def test_a_long_line_without_punctuation_is_chunked_completely():
    from knowledge.chunking import chunk_document
    from knowledge.document import Block, ParsedDocument

    text = "字" * 8_000_000  # 21 s before the cut by offset; a 48 MB line never finished
    drafts = chunk_document(ParsedDocument(title="t", blocks=[Block("text", [], text=text)]), 480, 60)
    assert sum(len(d.text) for d in drafts) == len(text) and max(len(d.text) for d in drafts) <= 960


def test_a_file_over_the_chunk_cap_is_refused_with_a_message(make_service, tmp_path):
    ks = make_service(max_chunks_per_file=20)
    folder = tmp_path / "docs"
    write(folder, "big.txt", "标题\n\n" + "很长的一行没有标点" * 3000)
    write(folder, "small.md", "# 小文件\n\n正常的内容。")
    report = ks.ingest([folder], kb="k")
    big = files_by_source(report)["big.txt"]
    assert big["status"] == "failed" and "max_chunks_per_file" in big["error"] and "上限" in big["error"]
    assert files_by_source(report)["small.md"]["status"] == "added"


def test_a_small_zip_that_expands_to_thousands_of_chunks_is_refused(make_service):
    ks = make_service()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", "标题\n\n" + "a" * 8_000_000)
        archive.writestr("ok.md", "# 正常\n\n一段正常的文字。")
    assert len(buffer.getvalue()) < 64_000
    report = ks.ingest_uploads([("upload.zip", buffer.getvalue())], kb="k")
    files = files_by_source(report)
    assert files["bomb.txt"]["status"] == "failed" and "max_chunks_per_file" in files["bomb.txt"]["error"]
    assert files["ok.md"]["status"] == "added" and ks.show_kb("k")["chunks"] == 1


def test_html_text_in_div_span_section_and_bare_body_is_kept(make_service, tmp_path):
    from knowledge.loaders.html import parse_html

    page = ("<html><head><title>运维手册</title></head><body>正文开头的裸文字。<div>只在 div 里：重启前先备份。"
            "<span>span 里的提示。</span></div><section><h2>网络</h2>section 里的说明：检查安全组。</section>"
            "<nav>导航不要</nav><script>var x = 1;</script></body></html>")
    doc = parse_html(page, "f")
    text = "\n".join(b.text for b in doc.blocks)
    for kept in ("正文开头的裸文字", "只在 div 里", "span 里的提示", "section 里的说明"):
        assert kept in text
    assert "导航不要" not in text and "var x" not in text and doc.title == "运维手册"
    assert [b.heading_path for b in doc.blocks] == [[], ["网络"]]
    ks = make_service()
    write(tmp_path / "h", "only-div.html", "<html><body><div>这个页面只有 div 里的文字。</div></body></html>")
    report = ks.ingest([tmp_path / "h"], kb="k")
    assert report.files[0]["status"] == "added"  # was "没有可索引的文字内容"


def test_empty_files_are_refused_alike_whatever_their_type(make_service, tmp_path):
    ks = make_service()
    for name in ("empty.md", "empty.txt", "blank.html"):
        write(tmp_path / "e", name, "  \n" if name.startswith("blank") else "")
    files = files_by_source(ks.ingest([tmp_path / "e"], kb="k"))
    assert {f["status"] for f in files.values()} == {"failed"}
    assert all("文件是空的" in f["error"] for f in files.values())


def test_symlinks_out_of_the_folder_devices_and_fifos_are_skipped_with_a_reason(make_service, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "real.md", "# 真文件\n\n内容。")
    outside = write(tmp_path / "secret", "passwd.md", "# 机密\n\nroot:x:0:0")
    (folder / "leak.md").symlink_to(outside)
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "inside.md").symlink_to(folder / "real.md")
    os.mkfifo(folder / "pipe.txt")
    ks = make_service()
    files = files_by_source(ks.ingest([folder], kb="k"))  # must return: a FIFO once hung it, /dev/zero filled memory
    assert files["leak.md"]["status"] == "failed" and "之外" in files["leak.md"]["error"]
    assert files["zero.txt"]["status"] == "failed" and "之外" in files["zero.txt"]["error"]  # /dev/zero: never read
    assert files["pipe.txt"]["status"] == "failed" and "不是普通文件" in files["pipe.txt"]["error"]
    assert files["real.md"]["status"] == "added" and files["inside.md"]["status"] == "added"
    assert not [p for p in ks.search("root", kb="k") if "机密" in p.text]
    from knowledge.config import KnowledgeSettings
    from knowledge.preview import preview_files

    previewed = {d.source: d.error for d in preview_files([folder], KnowledgeSettings()).documents}
    assert "之外" in previewed["leak.md"] and "不是普通文件" in previewed["pipe.txt"] and previewed["real.md"] is None


def test_ingesting_a_device_directly_is_a_clear_cli_error(tmp_path):
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO),
           "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash"}
    done = subprocess.run([sys.executable, "-m", "app", "ingest", "/dev/zero", "--kb", "k"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "不是普通文件或文件夹" in done.stderr and "Traceback" not in done.stderr


def test_a_file_name_with_undecodable_bytes_is_indexed_under_a_readable_name(make_service, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"caf\xe9-\xff.md")
    with open(raw, "wb") as handle:
        handle.write("# 咖啡\n\n内容。".encode("utf-8"))
    report = make_service().ingest([folder], kb="k")
    assert report.files[0]["status"] == "added" and report.files[0]["source"] == "caf\ufffd-\ufffd.md"


def test_two_folders_with_the_same_relative_path_are_reported_not_silently_replaced(make_service, tmp_path):
    write(tmp_path / "a", "guide.md", "# A 的指南\n\n来自 A。")
    write(tmp_path / "b", "guide.md", "# B 的指南\n\n来自 B。")
    ks = make_service()
    report = ks.ingest([tmp_path / "a", tmp_path / "b"], kb="k")
    assert [f["status"] for f in report.files] == ["added", "failed"]
    assert "相对路径相同" in report.files[1]["error"] and str(tmp_path / "a") in report.files[1]["error"]
    later = ks.ingest([tmp_path / "b"], kb="k")  # a later run from another folder: replaced, and said so
    assert later.files[0]["status"] == "updated" and "另一个文件夹" in later.files[0]["warning"]
    assert later.to_json()["warnings"][0]["source"] == "guide.md"
    again = ks.ingest([tmp_path / "b"], kb="k")
    assert "warnings" not in again.to_json()


@pytest.mark.parametrize("name, kept", [("../../etc/x.md", None), ("a/\u202egnp.md", "a/gnp.md"),
                                        ("dir\\sub\\f.md", "dir/sub/f.md"), ("x\x01y\n.md", "xy.md"),
                                        ("/abs/f.md", "abs/f.md"), ("a/" + "n" * 300 + ".md", None)])
def test_zip_entry_names_are_sanitised(tmp_path, name, kept):
    from knowledge.uploads import unpack_uploads

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), "# 标题\n\n内容。")
    target = tmp_path / "out"
    target.mkdir()
    problems = unpack_uploads([("u.zip", buffer.getvalue())], target)
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert written == ([kept] if kept else []) and bool(problems) == (kept is None)
