"""A tool step must handle the tool not running (refused / error / timeout) before any conclusion:
the validator rule, the shipped runbooks, and the SSH flow whose port check is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.tools.flows import drive, kinds
from tools.errors import ToolsError
from tools.runbooks import RunbookEngine, load_runbooks
from tools.runbooks.checks import unhandled_result_problem
from tools.runbooks.loader import load_file

REPO = Path(__file__).resolve().parents[2]


def _runbook(cases: list[dict], after_tool: dict | None = None) -> dict:
    steps = [{"id": "ask", "kind": "ask", "slot": "host"},
             {"id": "check", "kind": "tool", "tool": "tcp_port_check", "args": {"host": "{{slots.host}}", "port": 22}}]
    if after_tool:
        steps.append(after_tool)
    steps += [{"id": "b", "kind": "branch", "cases": cases, "default": "ok"},
              {"id": "ok", "kind": "advise", "text": "端口是通的。", "next": "end"},
              {"id": "closed", "kind": "advise", "text": "端口不通。", "next": "end"},
              {"id": "unknown", "kind": "advise", "text": "检查没有执行。"}]
    return {"id": "port", "title": "端口", "description": "d", "slots": {"host": {"prompt": "主机？", "type": "host"}},
            "steps": steps}


CLOSED = {"when": "tool.check.data.open == false", "goto": "closed"}
NOT_RUN = {"when": 'tool.check.status != "ok"', "goto": "unknown"}


def _write(folder: Path, data: dict) -> Path:
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_runbook_without_the_not_run_branch_is_rejected(tmp_path) -> None:
    path = _write(tmp_path, _runbook([CLOSED]))
    with pytest.raises(ToolsError) as error:
        load_runbooks(tmp_path)
    message = str(error.value)
    assert str(path) in message and "steps[1](check)" in message and "refused" in message
    assert 'tool.check.status != "ok"' in message and "默认分支 'ok'" in message


def test_the_branch_must_come_first_and_follow_the_tool(tmp_path) -> None:
    # a case that holds for a check that never ran ("open" is missing, so `open != true` holds) comes first
    early = {"when": "tool.check.data.open != true", "goto": "closed"}
    assert "tool.check.data.open != true" in unhandled_result_problem(load_file(_write(tmp_path, _runbook([early, NOT_RUN]))))
    advise = {"id": "say", "kind": "advise", "text": "结果：{{tool.check.data.summary}}"}
    problem = unhandled_result_problem(load_file(_write(tmp_path, _runbook([NOT_RUN, CLOSED], after_tool=advise))))
    assert problem and "之后必须有一个 branch 步骤" in problem
    assert unhandled_result_problem(load_file(_write(tmp_path, _runbook([NOT_RUN, CLOSED])))) is None


def test_runbook_validate_command_rejects_it(tmp_path) -> None:
    bad = _write(tmp_path, _runbook([CLOSED]))
    done = subprocess.run([sys.executable, "-m", "app", "runbook", "validate", str(bad)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "refused" in done.stderr and "steps[1](check)" in done.stderr
    good = tmp_path / "good"
    good.mkdir()
    fixed = _write(good, _runbook([NOT_RUN, CLOSED]))
    done = subprocess.run([sys.executable, "-m", "app", "runbook", "validate", str(fixed)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_every_shipped_runbook_handles_tools_that_did_not_run() -> None:
    for runbook in load_runbooks().values():
        assert unhandled_result_problem(runbook) is None, runbook.id


def test_a_refused_port_check_is_not_read_as_an_open_port(make_registry) -> None:
    registry = make_registry(allow_targets=[])  # the documentation address is refused by the target policy
    engine = RunbookEngine(load_runbooks(), registry)
    state = engine.start("ssh-rdp-cannot-connect", "ssh 连不上 203.0.113.10", "s-doc", "agent")
    state, outputs = drive(engine, state, ["Linux"])
    check = next(o for o in outputs if o.kind == "tool")
    assert check.tool_result["status"] == "refused"
    assert "文档示例地址" in check.tool_result["error"] and "TEST-NET-3" in check.tool_result["error"]
    assert "私有网络地址" not in check.tool_result["error"]
    text = "\n".join(o.text for o in outputs)
    assert "端口是通的" not in text and "没有执行" in text
    assert state.waiting["slot"] == "manual_port" and "symptom" not in state.slots
    state, outputs = engine.advance(state, "连接超时")  # the agent's own test decides, not the refused check
    assert kinds(outputs)[0] == "advise" and "安全组" in outputs[0].text
    state, outputs = engine.advance(state, "否")
    assert state.status == "escalated" and "refused" in outputs[-1].text


def test_host_validation_stays_linear_on_a_long_word() -> None:
    from tools.runbooks.schema import Slot
    from tools.runbooks.slots import validate

    # the old pattern "(?:label\.?)+$" backtracked exponentially here (minutes for 40 characters)
    word = "SQLNonTransientConnectionExceptionDataSourceRejected" * 2 + ":"
    assert validate(Slot(prompt="主机？", type="host"), word)[0] is False
    assert validate(Slot(prompt="主机？", type="host"), "db-1.internal.example.com")[1] == "db-1.internal.example.com"
