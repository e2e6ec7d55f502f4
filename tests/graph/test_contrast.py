"""A comparison question is answered from the table whose rows contrast its sides (graph/contrast.py).

The rule on hand-made chunks, and the whole graph on the demo base with a question written for this
test (not taken from any evaluation set).
"""

from __future__ import annotations

from graph.contrast import contrast_table, contrasting_rows, sides
from graph.service import Copilot
from tests.graph.conftest import make_context

TABLE = {"chunk_id": "t", "kind": "table", "heading_path": ["原因"], "text": "（表头：状态码 | 判断）\n"
         "状态码: 502；判断: 连不上后端\n状态码: 504；判断: 后端太慢"}


def test_only_a_table_naming_each_side_in_its_own_row_contrasts_them():
    assert sides("502 和 504 有什么区别", ["502", "504", "区别"]) == ["502", "504"]
    assert sides("负载均衡的 502 与 504 有何区别", ["负载均衡", "502", "504"]) == ["502", "504"]
    assert sides("502 有什么区别", ["502", "区别"]) == []
    assert contrasting_rows(TABLE, ["502", "504"])
    assert not contrasting_rows(TABLE, ["502", "503"])  # a side the rows never name
    assert not contrasting_rows(TABLE, ["50", "504"])  # "50" is not a side named inside "502"
    assert not contrasting_rows({**TABLE, "kind": "doc"}, ["502", "504"])  # prose, not rows
    one_row = {**TABLE, "text": "表头\n状态码: 502 或 504；判断: 看日志"}
    assert not contrasting_rows(one_row, ["502", "504"])  # both in one row contrast nothing
    assert not contrasting_rows(TABLE, ["502"])


def test_the_table_of_the_best_retrieved_page_becomes_a_passage_of_its_page():
    pages = {"a.md": [{"chunk_id": "x", "kind": "doc", "text": "502 504", "heading_path": []}], "b.md": [TABLE]}
    retrieved = [{"kb": "k", "source": "a.md", "kind": "doc", "title": "A", "chunk_id": "a1"},
                 {"kb": "k", "source": "b.md", "kind": "doc", "title": "B", "chunk_id": "b1"}]
    table = contrast_table(["502", "504"], retrieved, lambda kb, source: pages[source])
    assert table is not None and table["chunk_id"] == "t" and table["source"] == "b.md" and table["title"] == "B"
    assert table["meta"]["match"] == "strong"
    assert contrast_table(["502", "504"], retrieved[:1], lambda kb, source: pages[source]) is None


def test_a_status_code_comparison_on_the_demo_base_gets_both_rows(demo_knowledge):
    text = Copilot(make_context(demo_knowledge)).ask("负载均衡的 502 与 504 有何区别", "c").answer
    assert "连不上后端" in text and "太慢" in text and "部分相关" not in text, text
