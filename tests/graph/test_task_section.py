"""A how-to met by a page's intro gets the page's own task steps (graph/howto_steps.steps_section,
put first by graph/evidence.build_evidence), not the definition. Run: pytest tests/graph/test_task_section.py"""

from __future__ import annotations

from graph.howto_steps import steps_section
from graph.evidence import build_evidence
from graph.passages import to_state
from graph.relevance import question_terms
from knowledge.types import Passage
from tests.graph.fakes import FakeKnowledge, extractive_answer, page_chunk

TITLE = "创建与删除定期快照策略"


def _chunk(chunk_id: str, heads: list[str], text: str) -> Passage:
    return page_chunk("docs/disk/snapshot-policy.md", TITLE, chunk_id, heads, text)


PAGE = [
    _chunk("p-0", [], "定期快照策略让平台按你设定的时间点自动给云盘做备份，误删数据后可以回滚到任意一个备份点。"
                     "本文介绍如何创建和删除策略。"),
    _chunk("p-1", ["使用限制"], "- 每个地域最多 30 个策略；\n- 每块云盘只能关联一个策略。"),
    _chunk("p-2", ["创建前须知"], "1. 策略按 UTC+8 执行。\n2. 快照按容量收费。"),
    _chunk("p-3", ["创建定期快照策略"],
           "1. 进入 **云服务器 > 快照 > 定期策略**，点击 **新建**。\n2. 选择每周的执行日和每天的时间点。\n"
           "3. 在 **关联云盘** 中勾选云盘。\n\n命令行：\n\n```bash\nsscli disk create-auto-snapshot-policy --time 02:00\n```"),
    _chunk("p-4", ["删除定期快照策略"], "1. 在策略列表中点击 **删除**。\n2. 确认解除关联。"),
]


def test_the_title_names_the_task_section_with_numbered_steps():
    found = steps_section(to_state(PAGE[0]), [to_state(p) for p in PAGE], "", set())
    assert found is not None and found["heading_path"] == ["创建定期快照策略"]  # not 创建前须知 (the title never names it)


def test_a_how_to_met_by_the_intro_gets_the_task_steps():
    text = extractive_answer(PAGE, "想让系统每天半夜自动给盘备份一份，这个咋设置", "howto")
    assert "云服务器 > 快照 > 定期策略" in text and "sscli disk create-auto-snapshot-policy" in text
    assert "在策略列表中点击" not in text


def test_a_how_to_about_a_part_of_the_page_keeps_that_part():
    question = "一块盘能挂几个快照策略"
    chosen = [to_state(PAGE[1])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(PAGE).document_chunks, "howto", terms)
    assert "sscli disk" not in " ".join(p["text"] for p in evidence)
