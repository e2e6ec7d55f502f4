"""The message of `ask`/`analyze` from stdin (`-`) and the one over-long notice, as subprocesses.

A pasted GBK error text piped to `smart-copilot ask -` is answered like the same text given
as an argument; an over-long message (argument or a pipe far beyond any limit) exits 2 with
the graph's Chinese notice before anything loads (no knowledge base is created); binary
stdin is refused in Chinese. The web app shows the same notice.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.message_input import MAX_STDIN_BYTES, read_message, too_long
from graph.errors import GraphError

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], data_dir: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, SMART_COPILOT__DATA_DIR=str(data_dir), SMART_COPILOT__MODELS__EMBEDDER__BACKEND="hash",
               SMART_COPILOT__KNOWLEDGE__DENSE="off")
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=str(ROOT), env=env, input=stdin,
                          capture_output=True, timeout=600)


def test_ask_reads_the_message_from_stdin_as_from_the_argument(tmp_path):
    question = "云服务器 SSH 默认端口是多少？"
    piped = run(["ask", "-", "--json"], tmp_path / "data", stdin=question.encode("gbk"))
    assert piped.returncode == 0, piped.stderr.decode()
    given = run(["ask", question, "--json"], tmp_path / "data")
    out, expected = json.loads(piped.stdout), json.loads(given.stdout)
    assert out["sub_questions"] == expected["sub_questions"] and out["answer"] == expected["answer"]
    assert "22" in out["answer"]


@pytest.mark.parametrize("args, stdin", [
    (["ask", "日志" * 1500], None),
    (["ask", "-"], "数据库连接报错：too many connections\n".encode("utf-8") * 100_000),  # ~4 MB pipe
    (["analyze", "-"], ("错误 " * 3000).encode("utf-8")),
])
def test_an_over_long_message_gets_the_notice_before_anything_loads(tmp_path, args, stdin):
    done = run(args, tmp_path / "data", stdin=stdin)
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "消息太长" in err and "请精简到 2000 字以内" in err and "Traceback" not in err
    assert not (tmp_path / "data" / "kb").exists()  # refused before the knowledge bases were opened


def test_an_over_long_search_query_gets_the_same_notice(tmp_path):
    done = run(["search", "日志" * 1500], tmp_path / "data")
    assert done.returncode == 2
    assert too_long("日志" * 1500, 2000) in done.stderr.decode() and "Traceback" not in done.stderr.decode()


def test_binary_stdin_is_refused_in_chinese(tmp_path):
    done = run(["ask", "-"], tmp_path / "data", stdin=b"\x00\x01\x02\xff")
    assert done.returncode == 2 and "不是文本" in done.stderr.decode()


def test_a_pipe_beyond_the_kept_bytes_is_counted_not_kept():
    huge = io.BytesIO(b"a" * (MAX_STDIN_BYTES * 3))
    with pytest.raises(GraphError) as caught:
        read_message("-", 2000, stdin=huge)
    assert str(caught.value) == too_long("a" * 100, 2000, MAX_STDIN_BYTES * 3)  # the exact count


def test_a_broken_history_file_is_named_with_the_fix_and_a_gbk_one_is_read(tmp_path):
    broken = tmp_path / "h.json"
    broken.write_text('[{"role": "user", "content": "hi"},,]', encoding="utf-8")
    done = run(["analyze", "那它呢", "--history", str(broken)], tmp_path / "data")
    err = done.stderr.decode()
    assert done.returncode == 2 and "第 1 行第 36 列附近" in err and "Expecting" not in err and "请修正" in err
    gbk = tmp_path / "gbk.json"
    gbk.write_bytes(json.dumps([{"role": "user", "content": "SSH 连不上"}], ensure_ascii=False).encode("gbk"))
    done = run(["analyze", "那它的端口呢", "--history", str(gbk), "--json"], tmp_path / "data")
    assert done.returncode == 0, done.stderr.decode()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`smart-copilot kb show … --json | head -c 100`: the command stops quietly when the pipe closes."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(700):  # `kb show` lists each: far more JSON than a pipe holds (64 KiB)
        (docs / f"valve-{i:04d}-inspection-notes.md").write_text(f"# 阀门 {i}\n\n阀门 {i} 每季度巡检。\n",
                                                                 encoding="utf-8")
    assert run(["ingest", str(docs), "--kb", "big"], tmp_path / "data").returncode == 0
    env = dict(os.environ, SMART_COPILOT__DATA_DIR=str(tmp_path / "data"), SMART_COPILOT__KNOWLEDGE__DENSE="off",
               SMART_COPILOT__MODELS__EMBEDDER__BACKEND="hash")
    proc = subprocess.Popen([sys.executable, "-m", "app", "kb", "show", "big", "--json"], cwd=str(ROOT), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()  # the writer is blocked on the full pipe: its next write fails
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 1 and "Traceback" not in err and "BrokenPipe" not in err, err
