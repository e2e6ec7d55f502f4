"""What a command prints is a sample, not the answer to a how-to or a fault (issue #21, #12):
graph/sample_output.py, read by graph/section_answer.from_section."""

from __future__ import annotations

from dataclasses import asdict

from graph.doc_units import parse_units
from graph.paragraphs import opens_with_error
from graph.relevance import question_terms
from graph.sample_output import samples, without_samples
from graph.section_answer import from_section
from knowledge.types import Passage

OUTPUT = "\n".join(f"web-{n}    0/1     CrashLoopBackOff   {n}   {n}m" for n in range(1, 9))
NODE_CHECK = (
    "先列出节点，找到状态异常的那一台：\n\n```shell\nmonctl get nodes\n```\n\n"
    "输出类似于：\n\n```\nNAME   STATUS     ROLES\nnode-1 NotReady   worker\n```\n\n"
    "然后查看这台节点的详情，重点看 Conditions 一栏：\n\n```shell\nmonctl describe node node-1\n```\n\n"
    "```none\n" + OUTPUT + "\n```\n\n"
    "如果详情显示节点代理停止上报，登录节点执行 `journalctl -u nodeagent` 查看代理日志。\n")


def _doc(heads: list[str], text: str) -> dict:
    return asdict(Passage(chunk_id="ops/nodes.md#1", source="ops/nodes.md", title="节点排查", heading_path=heads,
                          text=text, kind="doc", kb="k", meta={"indexed_text": "节点排查\n"}))


def test_samples_are_the_output_blocks_and_their_lead_ins_not_the_commands() -> None:
    units = parse_units(NODE_CHECK)
    found = [units[i].text.split("\n", 1)[0] for i in sorted(samples(units))]
    assert found == ["输出类似于：", "```", "```none"]
    kept = [u.text for u in without_samples(units)]
    assert any("monctl get nodes" in t for t in kept) and any("monctl describe node" in t for t in kept)
    assert not any("CrashLoopBackOff" in t or "NotReady   worker" in t for t in kept)


def test_an_unmarked_block_right_under_a_shell_command_is_its_output() -> None:
    units = parse_units("也可以直接执行：\n\n```shell\nmonctl version\n```\n```\nClient: v1.2\nServer: v1.2\n```\n")
    assert [units[i].text.split("\n", 1)[0] for i in sorted(samples(units))] == ["```"]


def test_a_config_block_is_no_sample() -> None:
    units = parse_units("在配置文件中加入：\n\n```yaml\nagent:\n  report: 10s\n```\n\n修改后重启代理。\n")
    assert samples(units) == set()


def test_a_howto_answer_gives_the_commands_not_what_they_print() -> None:
    question = "节点 NotReady 了接下来该怎么查"
    terms = question_terms(question, "", None, [NODE_CHECK])
    shown = "\n".join(u.text for u in from_section(_doc(["示例：排查无法访问的节点"], NODE_CHECK), "howto", terms, 600,
                                                   question))
    assert "monctl describe node node-1" in shown and "journalctl -u nodeagent" in shown
    assert "CrashLoopBackOff" not in shown and "输出类似于" not in shown


def test_a_section_that_is_only_a_sample_gives_nothing() -> None:
    text = "```none\n" + OUTPUT + "\n```\n"
    question = "节点 NotReady 了接下来该怎么查"
    terms = question_terms(question, "", None, [text])
    assert from_section(_doc(["示例：排查无法访问的节点"], text), "howto", terms, 600, question) == []


def test_the_entry_of_a_pasted_error_that_is_only_its_sample_gives_nothing() -> None:
    text = "```none\nnode-1   NotReady   Unknown   NodeStatusUnknown   Kubelet stopped posting node status.\n```\n"
    question = "节点 NotReady，message 写着 Kubelet stopped posting node status，接下来该怎么查"
    terms = question_terms(question, "", None, [text])
    assert opens_with_error(parse_units(text), question)  # the entry of the very error pasted
    assert from_section(_doc(["示例：排查无法访问的节点"], text), "howto", terms, 600, question) == []
