"""The conversation-script format: validation errors name the file and the field; the shipped
scenarios load, cover every graph node and every shipped runbook, and reference real runbooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation.errors import EvalError
from app.evaluation.scenario import NODES, load_file, load_scenarios
from tests.eval.conftest import CONVERSATIONS


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_single_and_multiple_scenarios_per_file(tmp_path):
    one = write(tmp_path, "name: a\nturns:\n  - user: 你好\n    expect: {route: greet}\n", "one.yaml")
    many = write(tmp_path, "scenarios:\n  - name: b\n    turns: [{user: x}]\n  - name: c\n    turns: [{action: approve}]\n",
                 "many.yaml")
    listed = write(tmp_path, "- name: d\n  turns: [{reply: Linux}]\n", "list.yaml")
    assert [s.name for s in load_file(one)] == ["a"]
    assert [s.turns[0].kind for s in load_file(many)] == ["user", "action"]
    assert load_file(listed)[0].turns[0].text == "Linux"
    assert [s.name for s in load_scenarios([tmp_path])] == ["d", "b", "c", "a"]


def test_unknown_field_names_file_and_field(tmp_path):
    path = write(tmp_path, "scenarios:\n  - name: ok\n    turns: [{user: x}]\n"
                           "  - name: bad\n    turns:\n      - user: x\n        expect: {answer_contain: [y]}\n")
    with pytest.raises(EvalError) as err:
        load_file(path)
    message = str(err.value)
    assert str(path) in message
    assert "scenarios[1].turns[0].expect.answer_contain" in message


@pytest.mark.parametrize("text, field", [
    ("name: x\nturns:\n  - user: hi\n    expect: {route: nowhere}\n", r"turns\[0\]\.expect\.route"),
    ("name: x\nturns:\n  - user: hi\n    expect: {sub_questions: many}\n", r"turns\[0\]\.expect\.sub_questions"),
    ("name: x\nturns:\n  - user: hi\n    reply: \"yes\"\n", "user、reply、action"),
    ("name: x\nturns:\n  - expect: {refused: true}\n", r"turns\[0\]：.*user、reply、action"),
    ("name: x\nturns: []\n", "字段 turns"),
])
def test_bad_values_name_the_field(tmp_path, text, field):
    with pytest.raises(EvalError, match=field):
        load_file(write(tmp_path, text))


def test_invalid_yaml_and_missing_paths(tmp_path):
    path = write(tmp_path, "name: x\nturns: [user: hi\n")
    with pytest.raises(EvalError, match="不是合法的 YAML"):
        load_file(path)
    with pytest.raises(EvalError, match="找不到场景文件"):
        load_scenarios([tmp_path / "nope.yaml"])
    with pytest.raises(EvalError, match="顶层"):
        load_file(write(tmp_path, "just text\n", "text.yaml"))


def test_duplicate_names_rejected(tmp_path):
    write(tmp_path, "name: same\nturns: [{user: a}]\n", "a.yaml")
    write(tmp_path, "name: same\nturns: [{user: b}]\n", "b.yaml")
    with pytest.raises(EvalError, match="场景名称重复"):
        load_scenarios([tmp_path])


def test_shipped_scenarios_cover_every_node_and_runbook():
    from tools.runbooks import load_runbooks

    scenarios = load_scenarios([CONVERSATIONS])
    assert len(scenarios) >= 30
    covered = {node for s in scenarios for node in s.covers}
    assert covered == set(NODES), f"nodes without a scenario: {set(NODES) - covered}"
    runbooks = set(load_runbooks())
    referenced = {t.expect.runbook for s in scenarios for t in s.turns if t.expect.runbook}
    assert referenced <= runbooks, f"scenarios name unknown runbooks: {referenced - runbooks}"
    assert runbooks <= referenced, f"runbooks without a scenario: {runbooks - referenced}"
    for scenario in scenarios:
        for turn in scenario.turns:
            for step in [turn.expect.runbook_step] if turn.expect.runbook_step else []:
                rb_ids = [t.expect.runbook for t in scenario.turns if t.expect.runbook]
                steps = {s.id for rb in rb_ids for s in load_runbooks()[rb].steps}
                assert step in steps, f"{scenario.name}: step {step} not in {rb_ids}"
