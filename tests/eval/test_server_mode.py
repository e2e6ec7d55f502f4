"""Server mode: the same scenarios run through gradio_client against the Gradio app (launched
here on a free loopback port around the shared copilot) give the same checks and actual values
as the in-process run; scenarios the server cannot run are skipped with the reason."""

from __future__ import annotations

import socket

import pytest

from app.evaluation.drivers import InProcessDriver, ServerDriver
from app.evaluation.errors import EvalError
from app.evaluation.pool import ServerPool
from app.evaluation.runner import format_report, run_scenarios
from app.evaluation.scenario import Scenario, load_scenarios
from tests.eval.conftest import CONVERSATIONS

pytestmark = pytest.mark.slow  # launches the Gradio app (about 20 s on 2 cores)

SAME = ("knowledge-ssh-default-port", "rewrite-followup-port", "guard-refuse-weather", "split-two-disk-questions")
RUNBOOK = Scenario.model_validate({
    "name": "server-runbook-1040", "turns": [
        {"user": "数据库报 1040 连接数满了，帮我排查", "expect": {"runbook": "mysql-too-many-connections", "waiting": "ask"}},
        {"reply": "ERROR 1040 (HY000): Too many connections",
         "expect": {"tools_called": [{"name": "error_code_lookup", "args": {"code": "1040"}}], "runbook_step": "ask_app"}},
        # no restart method is configured here: nothing to approve, the step is skipped with the reason
        {"reply": "java-app", "expect": {"waiting": "ask", "answer_contains": ["没有配置重启方式"],
                                         "tools_not_called": ["restart_service"]}},
        {"action": "reject", "expect": {"tools_not_called": ["restart_service"]}},
    ]})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(copilot, eval_settings):
    pytest.importorskip("gradio_client")
    from app.ui import build_app, launch_app

    blocks = build_app(copilot, eval_settings)
    served = launch_app(blocks, eval_settings, host="127.0.0.1", port=free_port(), auth=None)
    yield served.local_url
    blocks.close()


def comparable(report) -> list:
    return [(s.name, s.status, [(t.kind, [(c.name, c.passed, str(c.actual)) for c in t.checks]) for t in s.turns])
            for s in report.scenarios]


def test_server_run_matches_in_process_run(copilot, server_url):
    scenarios = [s for s in load_scenarios([CONVERSATIONS]) if s.name in SAME] + [RUNBOOK]
    assert len(scenarios) == len(SAME) + 1
    local = run_scenarios(scenarios, lambda s: InProcessDriver(copilot))
    remote = run_scenarios(scenarios, ServerPool(ServerDriver(server_url)))
    assert remote.driver == "server" and local.driver == "in-process"
    assert local.ok, format_report(local, verbose=False)
    assert comparable(remote) == comparable(local), format_report(remote, verbose=False)
    assert remote.to_json()["passed"] == local.to_json()["passed"] > 20


def test_server_skips_what_it_cannot_apply(server_url):
    overrides = Scenario.model_validate({"name": "o", "settings": {"graph": {"max_sub_questions": 1}},
                                         "turns": [{"user": "你好"}]})
    other_kb = Scenario.model_validate({"name": "k", "kb": "other", "turns": [{"user": "你好"}]})
    report = run_scenarios([overrides, other_kb], ServerPool(ServerDriver(server_url)))
    assert [s.status for s in report.scenarios] == ["SKIP", "SKIP"]
    assert "settings" in report.scenarios[0].skipped and "kb" in report.scenarios[1].skipped


def test_server_errors_are_failed_checks_and_bad_url_is_a_user_error(server_url):
    stray = Scenario.model_validate({"name": "stray-reply", "turns": [{"reply": "Linux"}]})
    report = run_scenarios([stray], ServerPool(ServerDriver(server_url)))
    check = report.scenarios[0].turns[0].checks[0]
    assert check.name == "error" and not check.passed and "没有等待回复" in check.actual
    with pytest.raises(EvalError, match="无法连接服务器"):
        ServerDriver(f"http://127.0.0.1:{free_port()}/").ask("你好", "s")


def test_cli_server_mode(server_url, tmp_path, capsys):
    import json

    from app.cli import main

    path = tmp_path / "s.yaml"
    path.write_text("name: server-cli\nturns:\n  - user: 你好\n    expect: {route: greet, refused: false}\n"
                    "  - user: 今天天气怎么样\n    expect: {refused: false}\n", encoding="utf-8")
    assert main(["eval", str(path), "--server", server_url, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["driver"] == "server" and (data["passed"], data["failed"]) == (2, 1)
    assert main(["eval", str(path), "--server", server_url, "--auth", "nocolon"]) == 2
