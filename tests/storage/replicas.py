"""Start `smart-copilot serve` replicas as separate processes against one PostgreSQL + Chroma server.

Each replica has its own data_dir (nothing is shared through files) and port; they share
`storage:` (server mode). `start_replicas` launches them together — so they migrate and
ingest the demo KB at the same time, as a rolling start would — and waits for /healthz.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.fixtures.servers import free_port


@dataclass
class Replica:
    url: str
    proc: subprocess.Popen
    log: Path
    config: Path
    port: int

    def restart(self, timeout: float = 600.0) -> None:
        """Stop the process and start a new one with the same settings and port (a redeploy)."""
        self.stop()
        self.proc = _launch(self.config, self.port, self.log)
        _wait_healthy(self, time.monotonic() + timeout)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def replica_config(root: Path, name: str, storage: dict[str, Any]) -> Path:
    config = {
        "data_dir": str(root / name / "data"),
        "storage": storage,
        "models": {"embedder": {"backend": "hash"}},
        "knowledge": {"dense": "sync"},
        "tools": {"allow_targets": ["127.0.0.1"], "restart_command": ["true", "{service}"]},
    }
    path = root / name / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def start_replicas(root: Path, storage: dict[str, Any], count: int = 2, timeout: float = 600.0,
                   storages: list[dict[str, Any]] | None = None) -> list[Replica]:
    """`count` replicas on `storage` (or replica i on `storages[i]`: the same servers through another address)."""
    replicas = []
    for i in range(count):
        name = f"replica{i + 1}"
        config, port = replica_config(root, name, storages[i] if storages else storage), free_port()
        log = root / name / "serve.log"
        replicas.append(Replica(f"http://127.0.0.1:{port}/", _launch(config, port, log), log, config, port))
    deadline = time.monotonic() + timeout
    try:
        for replica in replicas:
            _wait_healthy(replica, deadline)
    except BaseException:
        for replica in replicas:
            replica.stop()
        raise
    return replicas


def _launch(config: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "SMART_COPILOT_CONFIG": str(config), "PYTHONUNBUFFERED": "1"}
    env.pop("SMART_COPILOT__DATA_DIR", None)  # the replica's config says where its files go
    # -X faulthandler: a replica that never gets healthy is sent SIGABRT, which writes every thread's stack to its log
    return subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "app", "serve", "--port", str(port)], env=env,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT, cwd=str(config.parent.parent))


def _wait_healthy(replica: Replica, deadline: float) -> None:
    last = ""
    while time.monotonic() < deadline:
        if replica.proc.poll() is not None:
            raise RuntimeError(f"replica exited ({replica.proc.returncode}):\n{replica.log.read_text()[-3000:]}")
        try:
            answer = httpx.get(replica.url + "healthz", timeout=5)
            if answer.status_code == 200:
                return
            last = f"{answer.status_code} {answer.text[:300]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.5)
    replica.proc.send_signal(signal.SIGABRT)  # faulthandler: every thread's stack into the log
    try:
        replica.proc.wait(10)
    except subprocess.TimeoutExpired:
        pass
    raise RuntimeError(f"replica {replica.url} not healthy in time (last /healthz: {last}):\n"
                       f"{replica.log.read_text(errors='replace')[-6000:]}")
