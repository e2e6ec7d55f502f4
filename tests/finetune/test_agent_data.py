"""`data agent`: tool-use trajectories from the shipped runbooks, in the served chat format,
masked so only assistant turns and tool calls are trained, mixed by `data mix`, recorded in
the adapter's meta.json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.finetune.encoding import IGNORE, encode_records, tool_render_mode
from models.finetune.records import Record, read_records
from tests.fixtures.tiny_lm import QWEN25_TOOL_TEMPLATE, build_tokenizer

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SMART_COPILOT__DATA_DIR=str(data_dir))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def agent_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("agent") / "agent.jsonl"
    proc = cli("data", "agent", "--out", str(out), "--per-runbook", "4", "--json", data_dir=out.parent / "data")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["agent"]["trajectories"] == len(read_records(out))
    return out


def test_trajectories_follow_the_served_format(agent_file):
    from graph.prompts import load_prompt
    from tools.config import ToolSettings
    from tools.registry import build_registry

    records = read_records(agent_file)
    manifest = json.loads(agent_file.with_name("agent.manifest.json").read_text(encoding="utf-8"))
    from tools.runbooks import load_runbooks

    assert manifest["agent"]["runbooks"] == sorted(load_runbooks())
    assert manifest["counts"]["generator"] == {"agent": len(records)}
    results = manifest["agent"]["results"]
    assert results["ok"] and results["refused"] and results["timeout"]  # failures are part of the data
    schemas = {s["name"]: s["parameters"] for s in build_registry(ToolSettings(), None).specs()}
    system = load_prompt("investigate").system.strip()
    from jsonschema import Draft202012Validator

    for record in records:
        messages = record.messages
        assert messages[0] == {"role": "system", "content": system}
        assert messages[1]["role"] == "user" and messages[1]["content"].startswith(f"问题：{record.instruction}")
        assert messages[-1]["role"] == "assistant" and messages[-1]["content"] == record.output
        assert "[T1]" in record.output and record.tools
        calls = [c for m in messages for c in m.get("tool_calls") or []]
        answers = [m["tool_call_id"] for m in messages if m["role"] == "tool"]
        assert sorted(c["id"] for c in calls) == sorted(answers)  # every call gets exactly one result
        for c in calls:
            Draft202012Validator(schemas[c["function"]["name"]]).validate(c["function"]["arguments"])


def test_only_assistant_turns_and_tool_calls_are_trained(agent_file, tmp_path):
    record = next(r for r in read_records(agent_file) if sum(m["role"] == "tool" for m in r.messages) >= 2)
    for template in (QWEN25_TOOL_TEMPLATE, None):  # the model's own tool template, and the built-in format
        tokenizer = build_tokenizer(tmp_path / str(bool(template)), **({"chat_template": template} if template else {}))
        assert tool_render_mode(tokenizer) == ("template" if template else "builtin")
        [example] = encode_records(tokenizer, [record], "sft", "系统", 100_000)  # tiny vocabulary: long sequences
        trained = tokenizer.decode([t for t, label in zip(example.input_ids, example.labels) if label != IGNORE])
        masked = tokenizer.decode([t for t, label in zip(example.input_ids, example.labels) if label == IGNORE])
        assert trained.count("<tool_call>") == sum(len(m.get("tool_calls") or []) for m in record.messages)
        assert record.output in trained and trained.count("<|im_end|>") == sum(
            m["role"] == "assistant" for m in record.messages)
        assert "<tool_response>" not in trained and record.instruction not in trained and "# Tools" not in trained
        assert "<tool_response>" in masked and record.instruction in masked and "# Tools" in masked


def test_a_trajectory_cut_before_its_first_answer_is_reported(agent_file, tmp_path):
    record = read_records(agent_file)[0]
    tokenizer = build_tokenizer(tmp_path, chat_template=QWEN25_TOOL_TEMPLATE)
    unusable: list = []
    assert encode_records(tokenizer, [record], "sft", "系统", 256, unusable) == [] and unusable == [record]


def test_mix_keeps_trajectories_whole(agent_file, tmp_path):
    out = tmp_path / "train.jsonl"
    proc = cli("data", "mix", "--domain", str(agent_file), "--ratio", "0.5", "--out", str(out), "--json",
               data_dir=tmp_path / "data")
    assert proc.returncode == 0, proc.stderr
    mixed = read_records(out)
    agent = [r for r in mixed if r.generator == "agent"]
    assert agent and len(agent) < len(mixed)
    assert all(r.messages and r.tools and r.origin == "domain" for r in agent)
    assert not any(r.messages for r in mixed if r.generator != "agent")  # plain pairs stay instruction -> output


def test_plain_chat_pairs_are_not_conversations():
    pair = Record.from_json({"messages": [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]})
    assert pair.messages == [] and pair.instruction == "你好" and pair.output == "您好"


def test_meta_records_the_tool_use_data(agent_file):
    from models.finetune.adapter_output import agent_data

    info = agent_data(agent_file)
    assert info is not None and info["trajectories"] == len(read_records(agent_file))
    assert "restart_service" in info["tools"] and "ssh-rdp-cannot-connect" in info["runbooks"]


def test_unknown_tool_is_a_clear_error(tmp_path):
    proc = cli("data", "agent", "--out", str(tmp_path / "a.jsonl"), "--tools", "tcp_check", data_dir=tmp_path)
    assert proc.returncode == 2 and "tcp_check" in proc.stderr and "tcp_port_check" in proc.stderr
