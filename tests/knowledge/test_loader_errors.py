"""Broken files of every loader format, as a user brings them: one Chinese line each, nothing else lost.

`smart-copilot ingest` (a subprocess) of a folder with a damaged PDF/DOCX/XLSX, an encrypted
PDF, zero-byte and binary files, bad JSON/JSONL/YAML/CSV, a huge file, GBK text and good
files: the good ones (GBK included) are indexed, each bad one is reported by its file name
with a Chinese message that says what is wrong and what to do, with no English parser text
and no path; nothing is printed by the parsers themselves. Uploads (ingest_uploads, the UI's
path through a temp folder) never show the temp path.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError
from knowledge.loaders import LOADERS, load_file
from knowledge.loaders.encoding import decode_text
from tests.knowledge.conftest import write

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")  # a phrase of a parser's English message


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    writer.write(str(path))


def _bad_files(folder: Path) -> dict[str, str]:
    """file name -> a word its message must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.pdf").write_bytes(b"garbage, not a pdf")
    _encrypted_pdf(folder / "locked.pdf")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    with zipfile.ZipFile(folder / "hollow.docx", "w") as archive:  # a zip, but no Word package inside
        archive.writestr("x.txt", "y")
    (folder / "broken.xlsx").write_bytes(b"nonsense")
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "empty.md").write_bytes(b"")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "bad.json").write_text("{bad json", encoding="utf-8")
    (folder / "bad.jsonl").write_text('{"question": "a", "answer": "b"}\n{oops\n', encoding="utf-8")
    (folder / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    (folder / "huge.md").write_text("# 大文件\n\n" + "很长的内容。" * 200_000, encoding="utf-8")  # > 1 MB
    return {"broken.pdf": "PDF", "locked.pdf": "加密", "broken.docx": "docx", "hollow.docx": "docx",
            "broken.xlsx": "xlsx", "zero.pdf": "空", "empty.md": "空", "photo.txt": "不是文本",
            "bad.json": "JSON", "bad.jsonl": "第 2 行", "bad.yaml": "YAML", "huge.md": "过大"}


def test_every_bad_file_gets_a_chinese_line_with_the_fix_and_the_good_ones_are_indexed(tmp_path):
    folder = tmp_path / "upload"
    expected = _bad_files(folder)
    write(folder, "good.md", "# 安全组\n\n连接超时先检查安全组是否放行 22 端口。\n")
    (folder / "gbk.txt").write_bytes("服务器磁盘满了怎么办：先清理日志目录。\n".encode("gbk"))
    (folder / "gbk.csv").write_bytes("问题,答案\n怎么扩容云盘？,在控制台选择扩容。\n".encode("gbk"))
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(tmp_path / "data"),
           "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash", "SMART_COPILOT__KNOWLEDGE__MAX_FILE_MB": "1"}
    done = subprocess.run([sys.executable, "-m", "app", "ingest", str(folder), "--kb", "t", "--json"], cwd=str(ROOT),
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["added"] == 3  # good.md and both GBK files
    errors = {e["source"]: e["error"] for e in data["errors"]}
    assert set(errors) == set(expected)
    for name, word in expected.items():
        message = errors[name]
        assert word in message, (name, message)
        assert "请" in message, (name, message)  # what to do
        assert str(tmp_path) not in message and "/" not in message.replace("OCR", ""), (name, message)
        assert not ENGLISH.search(message), (name, message)
    assert "pdf header" not in done.stderr and "EOF marker" not in done.stderr  # pypdf kept quiet

    search = subprocess.run([sys.executable, "-m", "app", "search", "磁盘满了清理日志", "--kb", "t", "--json"],
                            cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300)
    assert json.loads(search.stdout)[0]["source"] == "gbk.txt"


def test_uploads_name_the_file_never_the_temp_folder(make_service, tmp_path):
    ks = make_service()
    _bad_files(tmp_path / "src")
    files = [(p.name, p.read_bytes()) for p in sorted((tmp_path / "src").iterdir()) if p.name != "huge.md"]
    files.append(("good.md", "# 端口\n\n默认端口是 22。\n".encode("utf-8")))
    report = ks.ingest_uploads(files, kb="u")
    failed = {f["source"]: f["error"] for f in report.files if f["status"] == "failed"}
    assert len(failed) == len(files) - 1 and report.to_json()["added"] == 1
    for source, message in failed.items():
        assert "sc-upload-" not in message and "/tmp" not in message and not ENGLISH.search(message), message


@pytest.mark.parametrize("data, text", [
    ("中文".encode("utf-8-sig"), "中文"), ("中文".encode("gbk"), "中文"), ("中文".encode("utf-16"), "中文")])
def test_text_in_the_encodings_people_save(data, text):
    assert decode_text(data) == text


def test_utf8_with_a_damaged_byte_stays_utf8_not_gbk_nonsense():
    damaged = "安全组入方向放通 22 端口，然后重启实例。".encode("utf-8") * 3 + b"\xff"
    text = decode_text(damaged)
    assert text.startswith("安全组入方向放通 22 端口") and text.endswith("\ufffd")


def test_every_registered_format_refuses_a_damaged_file_in_chinese(tmp_path):
    for spec in LOADERS:
        path = tmp_path / f"damaged{spec.suffixes[0]}"
        path.write_bytes(b"\x00\x01\x02 damaged \xff\xfe")
        with pytest.raises(KnowledgeError) as caught:
            load_file(path)
        assert "请" in str(caught.value) and not ENGLISH.search(str(caught.value)), (spec.suffixes, caught.value)


def _zip_with_a_locked_entry() -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docs/good.md", "# 端口\n\n默认端口是 22。\n")
        archive.writestr("docs/locked.md", "# 机密\n\n不应读到。\n")
    data = bytearray(buffer.getvalue())
    central = data.rfind(b"PK\x01\x02")  # the last entry's central directory record: mark it encrypted
    data[central + 8] |= 0x1
    return bytes(data)


def test_a_zip_entry_that_cannot_be_unpacked_is_reported_and_the_rest_kept(make_service):
    ks = make_service()
    report = ks.ingest_uploads([("docs.zip", _zip_with_a_locked_entry()), ("notes.zip", b"PK not a zip")], kb="z")
    files = {f["source"]: f for f in report.files}
    assert files["docs/good.md"]["status"] == "added"
    assert "设有密码" in files["docs.zip:docs/locked.md"]["error"] and "请" in files["docs.zip:docs/locked.md"]["error"]
    assert "不是有效的 zip" in files["notes.zip"]["error"]
