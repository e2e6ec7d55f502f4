"""Composition on the real demo KB: the part of a causes section the question names (a closing
summary table does not make every part match), and the reply as a whole — the runbook offer
included — kept to the question type's budget."""

from __future__ import annotations

import re

import pytest

from graph.extractive import BUDGET
from graph.service import Copilot
from tests.graph.conftest import make_context


@pytest.fixture(scope="module")
def ask(demo_knowledge, tmp_path_factory):
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    registry = build_registry(ToolSettings(), tmp_path_factory.mktemp("tools"), knowledge=demo_knowledge)
    context = make_context(demo_knowledge)
    context.runbooks = RunbookEngine(load_runbooks(), registry, knowledge=demo_knowledge)  # the shipped runbooks
    copilot = Copilot(context)
    counter = iter(range(1000))
    return lambda message: copilot.ask(message, f"parts-{next(counter)}", kb="demo").to_json()


def body(result: dict) -> str:
    return result["answer"].split("**参考来源**")[0].strip()


def test_only_the_causes_part_the_question_names_with_its_summary_row(ask):
    """The 502/504 page's causes: "502" picks the 502 part; the 504 part stays out even though the
    table closing it names 502 too, and that table's 502 row stays."""
    text = body(ask("偶发 502 低峰过后特别多"))
    assert "keepalive" in text, text
    assert "接口本身处理时间长" not in text, text  # a 504 cause
    assert re.search(r"502：.*健康检查", text), text


def test_the_runbook_offer_counts_in_the_answers_budget(ask):
    result = ask("解析记录加了 ping 域名还是 Name or service not known")
    text = body(result)
    assert "帮我排查" in text, text  # the offer is there
    plain = re.sub(r"\[\d+\]", "", text)  # citation marks are not in the budget
    plain = re.sub(r"^\s+", "", plain, flags=re.M)  # nor list indentation
    assert len(plain) <= BUDGET["symptom"], (len(plain), text)
