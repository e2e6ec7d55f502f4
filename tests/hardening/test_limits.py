"""The same message limit on every entry point, bounded API fields, login throttling, a real
password for a public listener, and `SMART_COPILOT__KNOWLEDGE__DENSE=off`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from gradio_client.exceptions import AppError

from tests.app.ui_server import USERS, client, launch_small_app

REPO = Path(__file__).resolve().parents[2]
TOO_LONG = "端" * 2001


def test_every_copilot_entry_point_refuses_the_same_overlong_text():
    from graph.errors import GraphError
    from graph.service import Copilot
    from tests.graph.conftest import make_context
    from tests.graph.fakes import FakeKnowledge

    copilot = Copilot(make_context(FakeKnowledge()))
    calls = {"ask": lambda: copilot.ask(TOO_LONG, "s"), "stream": lambda: list(copilot.stream(TOO_LONG, "s")),
             "analyze": lambda: copilot.analyze(TOO_LONG), "resume": lambda: copilot.resume("s", TOO_LONG)}
    messages = set()
    for name, call in calls.items():
        with pytest.raises(GraphError, match="2001") as caught:
            call()
        messages.add(str(caught.value))
    assert len(messages) == 1 and "2000" in messages.pop()
    with pytest.raises(GraphError, match="历史记录第 1 条"):
        copilot.analyze("那它呢", history=[{"role": "assistant", "content": "长" * 9000}])


def test_cli_search_has_the_message_limit_and_public_serve_needs_a_real_password(tmp_path):
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=120)
    search = run("search", TOO_LONG)
    assert search.returncode == 2 and "2001" in search.stderr and "Traceback" not in search.stderr
    public = run("serve", "--host", "0.0.0.0", "--auth", "admin:1")
    assert public.returncode == 2 and "至少需要 8" in public.stderr


def test_dense_off_from_the_environment_is_accepted():
    from app.settings import load_settings

    assert load_settings(env={"SMART_COPILOT__KNOWLEDGE__DENSE": "off"}).knowledge.dense == "off"
    assert load_settings(env={"SMART_COPILOT__KNOWLEDGE__DENSE": "sync"}).knowledge.dense == "sync"


def test_failed_logins_are_throttled_per_user():
    from app.ui.auth import LoginThrottle, build_authenticator

    now = [0.0]
    check = build_authenticator("agent:pw12345678", None, LoginThrottle(free=5, base_s=1.0, clock=lambda: now[0]))
    assert [check("agent", f"wrong{i}") for i in range(30)] == [False] * 30
    assert check("agent", "pw12345678") is False  # locked: even the right password waits
    now[0] += 1.0
    assert check("agent", "pw12345678") is True  # 30 tries in a row: locked 1 s after the 5th, reset on success
    for _ in range(5):
        check("agent", "wrong")
    now[0] += 1.0
    assert check("agent", "wrong") is False  # the 6th tried failure locks for 2 s: the lockout doubles
    now[0] += 1.5
    assert check("agent", "pw12345678") is False
    now[0] += 0.5
    assert check("agent", "pw12345678") is True
    assert check("nobody", "x") is False and check("ghost", "y") is False


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from app.ui.auth import LoginThrottle

    # a lockout that outlasts the burst however slow the machine (the default's first ones last 1 s, 2 s ...)
    running = launch_small_app(tmp_path_factory.mktemp("limits"), throttle=LoginThrottle(base_s=3600, max_s=3600))
    yield running
    running.close()


@pytest.mark.slow
def test_api_endpoints_refuse_overlong_fields_with_a_message(app):
    alice = client(app.url, "alice")
    cases = [(lambda: alice.predict(TOO_LONG, "", api_name="/chat"), "太长"),
             (lambda: alice.predict("s1", TOO_LONG, api_name="/resume"), "太长"),
             (lambda: alice.predict(TOO_LONG, "", 8, api_name="/search"), "太长"),
             (lambda: alice.predict("s1", -1, "理" * 100_000, 0, "", None, api_name="/feedback"), "太长"),
             (lambda: alice.predict("s" * 500, api_name="/history"), "session_id"),
             (lambda: alice.predict("你好", "s" * 500, api_name="/chat"), "session_id")]
    for call, expected in cases:
        with pytest.raises(AppError, match=expected):
            call()
    feedback = app.blocks.services.feedback.list()
    assert not [row for row in feedback if len(row["reason"]) > 2000]


@pytest.mark.slow
def test_a_burst_of_wrong_passwords_locks_the_login(app):
    login = app.url + "login"
    codes = [httpx.post(login, data={"username": "bob", "password": f"guess{i}"}, timeout=10).status_code
             for i in range(30)]
    assert all(code >= 400 for code in codes)
    right = httpx.post(login, data={"username": "bob", "password": USERS["bob"]}, timeout=10)
    assert right.status_code >= 400  # locked out for now, though the password is right
