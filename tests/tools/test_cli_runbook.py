"""`smart-copilot runbook list|validate|run` through the real CLI entry point."""

from __future__ import annotations

import json

import yaml

from app.cli import main
from tests.tools.servers import closed_port


def test_list_and_validate(capsys) -> None:
    assert main(["runbook", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"ssh-rdp-cannot-connect", "disk-full"} <= {r["id"] for r in rows}
    assert main(["runbook", "validate"]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_validate_a_broken_file_exits_2_naming_the_field(tmp_path, capsys) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"id": "bad", "title": "t", "description": "d",
                                    "steps": [{"id": "x", "kind": "link", "runbook": "ghost"}]}), encoding="utf-8")
    assert main(["runbook", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "steps[0](x).runbook" in err and "ghost" in err


def test_run_with_scripted_answers(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SMART_COPILOT__TOOLS__ALLOW_TARGETS", "[127.0.0.1]")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(["Linux", "否"], allow_unicode=True), encoding="utf-8")
    port = closed_port()
    code = main(["runbook", "run", "ssh-rdp-cannot-connect", "--question", f"ssh 连不上 127.0.0.1 端口 {port}",
                 "--answers", str(answers), "--no-kb", "--user", "cli-agent", "--session", "cli-1", "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["status"] == "escalated" and payload["session"] == "cli-1"
    assert [o["kind"] for o in payload["outputs"]][-2:] == ["escalate", "summary"]
    assert "cli-agent" in payload["summary"] and "远程桌面端口" not in payload["summary"]
    assert main(["runbook", "audit", "--session", "cli-1", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["tool"], r["user"], r["status"]) for r in records] == [("tcp_port_check", "cli-agent", "ok")]


def test_run_stops_when_answers_run_out_and_refuses_unknown_ids(tmp_path, capsys) -> None:
    answers = tmp_path / "answers.txt"
    answers.write_text("", encoding="utf-8")
    assert main(["runbook", "run", "disk-full", "--question", "磁盘满了", "--answers", str(answers), "--no-kb"]) == 0
    out = capsys.readouterr().out
    assert "报错信息" in out and "答案已用完" in out
    assert main(["runbook", "run", "no-such-runbook", "--question", "x", "--answers", str(answers), "--no-kb"]) == 2
    assert "no-such-runbook" in capsys.readouterr().err


def test_run_pauses_into_a_state_file_and_continues(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SMART_COPILOT__TOOLS__ALLOW_TARGETS", "[127.0.0.1]")
    state_file, first, second = tmp_path / "state.json", tmp_path / "a1.txt", tmp_path / "a2.txt"
    first.write_text("Linux\n", encoding="utf-8")
    second.write_text("否\n", encoding="utf-8")
    question = f"ssh 连不上 127.0.0.1 端口 {closed_port()}"
    base = ["runbook", "run", "ssh-rdp-cannot-connect", "--no-kb", "--state", str(state_file), "--json"]
    assert main(base + ["--question", question, "--answers", str(first)]) == 0
    paused = json.loads(capsys.readouterr().out)
    assert paused["status"] == "waiting" and paused["waiting"]["slot"] == "resolved" and state_file.is_file()
    assert main(base + ["--answers", str(second)]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["status"] == "escalated" and done["session"] == paused["session"]
    assert main(["runbook", "run", "disk-full", "--no-kb", "--state", str(state_file), "--answers", str(second)]) == 2
    assert "ssh-rdp-cannot-connect" in capsys.readouterr().err
