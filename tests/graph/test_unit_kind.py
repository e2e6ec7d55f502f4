"""Unit kinds read from structure (graph/unit_kind.py) and what they decide: a spec table or an overview's
"如何选择" section does not answer a reported problem when a problem page covering it is at hand
(graph/symptom_page.reference_yields in the evidence, graph/problem_pool.problem_page_first in selection).
Made-up pages. Run: pytest tests/graph/test_unit_kind.py"""

from __future__ import annotations

from graph.evidence import build_evidence
from graph.passages import to_state
from graph.problem_pool import problem_page_first
from graph.relevance import QuestionTerms
from graph.unit_kind import is_problem_page, is_reference_unit
from tests.graph.fakes import FakeKnowledge, Passage, page_chunk

SPECS = Passage(chunk_id="s-0", source="tables/specs.xlsx", title="实例规格一览", heading_path=[], kind="table",
                kb="demo", text="实例规格一览（表头：规格 | vCPU | 内存GiB | 适用场景）\nM5.large；vCPU 2；内存GiB 16；适用场景 内存数据库",
                meta={"indexed_text": "实例规格一览"})
CODES = Passage(chunk_id="e-0", source="tables/codes.csv", title="错误码", heading_path=[], kind="table", kb="demo",
                text="错误码（表头：错误码 | 错误信息 | 可能原因 | 解决方法）\n1040；Too many connections；连接数满；清理连接",
                meta={"indexed_text": "错误码"})
OVERVIEW = [
    page_chunk("docs/db/overview.md", "数据库概述与规格", "o-0", ["基本概念"], "实例是运行数据库的单位。"),
    page_chunk("docs/db/overview.md", "数据库概述与规格", "o-1", ["如何选择规格"],
               "数据库 CPU 长期高而内存宽裕时选计算型规格，先看业务曲线。"),
]
SLOW = [
    page_chunk("docs/db/slow.md", "慢查询分析与优化", "q-0", ["第一步：发现慢查询"],
               "控制台监控中 CPU 使用率持续偏高，慢查询数上升。"),
    page_chunk("docs/db/slow.md", "慢查询分析与优化", "q-1", ["第四步：优化"], "CPU 持续偏高的数据库补充合适的索引，用 EXPLAIN 确认。"),
    page_chunk("docs/db/slow.md", "慢查询分析与优化", "q-2", ["优化后验证"], "观察 CPU 使用率是否回落。"),
]
KB = FakeKnowledge([SPECS, CODES, *OVERVIEW, *SLOW])
TERMS = QuestionTerms({"数据库": 1.7, "cpu": 2.6, "100": 2.5})


def _chunks(p) -> list[dict]:
    return KB.document_chunks("demo", p.get("source") or "")


def test_spec_tables_and_choice_sections_are_reference_units():
    assert is_reference_unit(to_state(SPECS))
    assert is_reference_unit(to_state(OVERVIEW[1]))
    assert not is_reference_unit(to_state(CODES))  # its columns say what went wrong and what to do
    assert not is_reference_unit(to_state(SLOW[0]))


def test_a_page_with_symptom_check_and_fix_sections_is_a_problem_page():
    assert is_problem_page(to_state(SLOW[0]), _chunks(to_state(SLOW[0])))
    assert not is_problem_page(to_state(OVERVIEW[1]), _chunks(to_state(OVERVIEW[1])))


def test_a_reference_unit_does_not_anchor_a_problem_report():
    # "数据库 cpu 一直高": the overview's "如何选择规格" and the slow-query page's fix both name all of it
    chosen = [to_state(p) for p in (SLOW[1], OVERVIEW[1])]  # most relevant last
    evidence = build_evidence(chosen, KB.document_chunks, "symptom", QuestionTerms({"数据库": 1.7, "cpu": 2.6}))
    assert evidence[-1]["source"] == "docs/db/slow.md"


def test_a_value_question_keeps_the_reference_unit():
    chosen = [to_state(p) for p in (SLOW[1], OVERVIEW[1])]
    evidence = build_evidence(chosen, KB.document_chunks, "value", QuestionTerms({"数据库": 1.7, "cpu": 2.6}))
    assert evidence[-1]["source"] == "docs/db/overview.md"


def test_selection_gets_back_the_retrieved_problem_page():
    chosen = [to_state(SPECS), to_state(OVERVIEW[1])]
    pool = [to_state(p) for p in (OVERVIEW[1], SPECS, SLOW[0])]
    picked = problem_page_first(chosen, pool, TERMS, "symptom", _chunks, 4)
    assert picked[-1]["source"] == "docs/db/slow.md"
    assert problem_page_first(chosen, pool, TERMS, "value", _chunks, 4) == chosen


def test_a_problem_page_covering_too_little_stays_out():
    chosen = [to_state(OVERVIEW[1])]
    pool = [to_state(SLOW[1])]
    terms = QuestionTerms({"数据库": 1.0, "cpu": 1.0, "100": 1.0, "内存": 3.0, "计算型": 3.0})
    assert problem_page_first(chosen, pool, terms, "symptom", _chunks, 4) == chosen


def test_a_faq_entry_heading_is_no_reference_kind():
    entry = page_chunk("docs/db/faq.md", "同步常见问题", "f-0", ["为什么时间类型字段默认值不一致？"], "下游多了默认值。")
    assert not is_reference_unit(to_state(entry))


def test_a_how_to_asking_what_to_do_about_a_fault_is_a_problem_question():
    from graph.problem_pool import answers_problem

    assert answers_problem("howto", "数据库 cpu 一直 100% 怎么办")
    assert answers_problem("howto", "老被 oom kill 咋整")
    assert not answers_problem("howto", "云盘怎么扩容")
    assert not answers_problem("value", "规格最大多少")
    chosen = [to_state(SPECS), to_state(OVERVIEW[1])]
    pool = [to_state(p) for p in (OVERVIEW[1], SPECS, SLOW[0])]
    assert problem_page_first(chosen, pool, TERMS, "howto", _chunks, 4, "数据库 cpu 一直 100% 怎么办")[-1]["source"] \
        == "docs/db/slow.md"
    assert problem_page_first(chosen, pool, TERMS, "howto", _chunks, 4, "数据库规格怎么变更") == chosen


def test_a_fault_answered_by_spec_rows_is_hedged():
    from graph.problem_pool import table_led

    assert table_led("symptom", "m5 内存一直不够", [{"n": 1, **to_state(SPECS)}])
    assert not table_led("value", "m5 内存多大", [{"n": 1, **to_state(SPECS)}])
    assert not table_led("symptom", "报 1040", [{"n": 1, **to_state(CODES)}])
