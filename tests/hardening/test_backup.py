"""`smart-copilot backup PATH` while the server runs and ingests, `restore` of that snapshot,
and /healthz turning 503 when a store of the running server is damaged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tests.app.ui_server import launch_small_app
from tests.hardening.ingest_rounds import check_consistent, write_folder

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO),
           "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash"}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = launch_small_app(tmp_path_factory.mktemp("backup"), with_auth=False)
    yield running
    running.close()


def test_backup_while_serving_and_ingesting_then_restore_elsewhere(app, tmp_path):
    data_dir = Path(app.settings.data_dir)
    app.copilot.ask("SSH 连接超时怎么办？", "kept-session")
    knowledge = app.copilot.context.knowledge
    folder = write_folder(tmp_path / "work", "alpha", 0, 8)
    ingest = threading.Thread(target=knowledge.ingest, args=([folder],), kwargs={"kb": "extra"})
    ingest.start()  # an ingest in flight: the backup waits for its writer lock, then copies a quiet store
    done = cli(data_dir, "backup", str(tmp_path / "snap"), "--json")
    ingest.join()
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert "demo" in summary["kbs"] and summary["files"] > 3
    manifest = json.loads((tmp_path / "snap" / "manifest.json").read_text(encoding="utf-8"))
    assert "kb/catalog.sqlite" in {f["path"] for f in manifest["files"]}

    elsewhere = tmp_path / "restored"
    restored = cli(elsewhere, "restore", str(tmp_path / "snap"), "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["problems"] == []
    for kb in summary["kbs"]:
        assert check_consistent(elsewhere, kb, "hash")["consistent"], kb
    found = cli(elsewhere, "search", "SSH 连接超时", "--kb", "demo", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)
    import sqlite3

    sessions = sqlite3.connect(str(elsewhere / "conversations.sqlite")).execute(
        "SELECT session_id FROM copilot_sessions").fetchall()
    assert ("kept-session",) in sessions


def test_restore_keeps_what_it_replaces_and_refuses_a_damaged_backup_or_a_running_server(app, tmp_path):
    from knowledge.locks import StoreLocks

    data_dir = Path(app.settings.data_dir)
    assert cli(data_dir, "backup", str(tmp_path / "snap")).returncode == 0
    target = tmp_path / "target"
    assert cli(target, "restore", str(tmp_path / "snap")).returncode == 0
    again = cli(target, "restore", str(tmp_path / "snap"), "--json")
    replaced = Path(json.loads(again.stdout)["replaced"])
    assert (replaced / "kb" / "catalog.sqlite").is_file()  # the previous data moved aside, not deleted
    with StoreLocks(target / "kb").serving():
        busy = cli(target, "restore", str(tmp_path / "snap"))
    assert busy.returncode == 2 and "请先停止" in busy.stderr
    catalog = tmp_path / "snap" / "kb" / "catalog.sqlite"
    catalog.write_bytes(catalog.read_bytes()[:-10] + b"0123456789")
    damaged = cli(target, "restore", str(tmp_path / "snap"))
    assert damaged.returncode == 2 and "备份已损坏" in damaged.stderr


def test_healthz_turns_503_when_a_store_is_damaged_under_the_running_server(app):
    ok = httpx.get(app.url + "healthz", timeout=10)
    assert ok.status_code == 200 and ok.json()["status"] == "ok"
    feedback = Path(app.settings.data_dir) / "feedback.sqlite"
    feedback.write_bytes(b"")  # what the probe did to a running server
    bad = httpx.get(app.url + "healthz", timeout=10)
    assert bad.status_code == 503 and bad.json()["status"] == "error"
    assert any("反馈记录" in p for p in bad.json()["problems"])
