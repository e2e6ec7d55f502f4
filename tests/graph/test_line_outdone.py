"""A one-line source (an error-code row, a FAQ entry) gives way to the section the selection found that
covers the code's case clearly better (graph/line_outdone.py)."""

from __future__ import annotations

from graph.line_outdone import LINE_MARGIN, is_line, pages_lead
from graph.relevance import QuestionTerms

TERMS = QuestionTerms({"invalidobjectstate": 6.0, "归档": 4.0, "读取": 4.0, "解冻": 3.0, "日志": 3.0})
ROW = {"kind": "table", "source": "tables/error-codes.csv", "heading_path": [],
       "text": "InvalidObjectState：产品 对象存储；可能原因 归档对象未解冻"}
PAGE = {"kind": "doc", "source": "docs/lifecycle.md", "title": "生命周期规则", "heading_path": ["注意事项"],
        "text": "归档对象读取前需要解冻，直接读取会返回 InvalidObjectState；日志归档后 restore-object"}
PAGE_ROW = {"kind": "table", "source": "docs/403.md", "heading_path": ["现象"], "text": "InvalidObjectState | 归档"}


def test_a_row_and_an_entry_are_lines_a_page_row_is_not():
    assert is_line(ROW) and is_line({"kind": "faq", "text": "x"})
    assert not is_line(PAGE) and not is_line(PAGE_ROW)


def test_a_found_section_covering_more_leads_over_the_row():
    assert pages_lead([PAGE, ROW], [PAGE], TERMS)[-1] is PAGE
    assert pages_lead([PAGE, ROW], [PAGE], TERMS) == [ROW, PAGE]


def test_a_unit_cut_for_the_code_does_not_count_as_a_found_section():
    # the page's own unit was not in the selection's evidence: the line keeps its lead
    assert pages_lead([PAGE, ROW], [], TERMS)[-1] is ROW


def test_a_section_covering_about_as_much_leads_not():
    near = {**PAGE, "title": "", "heading_path": [], "text": "InvalidObjectState 归档 日志"}  # 13/20 vs the row's 13/20
    assert pages_lead([near, ROW], [near], TERMS)[-1] is ROW
    assert LINE_MARGIN > 1.0
    assert pages_lead([PAGE, ROW], [PAGE], QuestionTerms())[-1] is ROW  # no weighted terms: unchanged
