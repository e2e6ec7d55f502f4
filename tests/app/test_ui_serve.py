"""`smart-copilot serve` as a subprocess: access rules, --add-user, and a real start with /healthz.

The share test routes every outbound connection to a closed loopback proxy, so the share
tunnel fails at once (as without internet) and the local server must keep running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from app.settings import Settings
from tests.app.ui_server import free_port, ingest_small_demo

CLI = [sys.executable, "-m", "app"]


def run(args, env=None, stdin=""):
    return subprocess.run(CLI + args, input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_share_or_public_host_without_auth_is_refused():
    shared = run(["serve", "--share"])
    assert shared.returncode == 2 and "必须开启登录认证" in shared.stderr and "--auth" in shared.stderr
    public = run(["serve", "--host", "0.0.0.0"])
    assert public.returncode == 2 and "0.0.0.0" in public.stderr
    bad = run(["serve", "--auth", "nopassword"])
    assert bad.returncode == 2 and "用户名:密码" in bad.stderr
    assert "Traceback" not in shared.stderr + public.stderr + bad.stderr


def test_add_user_writes_a_hashed_line(tmp_path):
    path = tmp_path / "users.txt"
    done = run(["serve", "--auth-file", str(path), "--add-user", "agent1"], stdin="long-enough-pw\n")
    assert done.returncode == 0, done.stderr
    line = path.read_text(encoding="utf-8").strip()
    assert line.startswith("agent1:scrypt$") and "long-enough-pw" not in line


@pytest.mark.slow
def test_serve_starts_with_share_fallback_and_answers_healthz(tmp_path):
    data = tmp_path / "data"
    ingest_small_demo(Settings.model_validate({"data_dir": str(data), "models": {"embedder": {"backend": "hash"}},
                                               "knowledge": {"dense": "sync"}}))
    port = free_port()
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(data), "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash",
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    proc = subprocess.Popen(CLI + ["serve", "--port", str(port), "--share", "--auth", "agent:pw-12345678"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    seen: list[tuple[int, str]] = []  # every answer of /healthz from the first moment the port is open
    try:
        deadline = time.time() + 90
        health = None
        while time.time() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2, trust_env=False)
                seen.append((health.status_code, health.json().get("status")))
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        assert health is not None and health.status_code == 200, proc.stderr.read() if proc.poll() else "no answer"
        assert health.json()["status"] == "ok" and health.json()["jobs"] == []
        time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert f"http://127.0.0.1:{port}" in out
    assert "无法创建公网分享链接" in err and "本地服务仍在运行" in err
    # a load balancer sees "starting" (503) while knowledge and models load, then ok — never a 404
    assert seen[0] == (503, "starting") and seen[-1] == (200, "ok"), seen
    assert {code for code, _ in seen} <= {200, 503} and all(s == "starting" for c, s in seen if c == 503), seen


def test_serve_reports_a_taken_port_before_loading_anything(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run(["serve", "--port", str(port)], env={"SMART_COPILOT__DATA_DIR": str(tmp_path / "data")})
    assert done.returncode == 2 and "端口可能已被占用" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "kb").exists(), "nothing was loaded or ingested for a port that is taken"
