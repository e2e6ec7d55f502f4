"""A comparison question is answered from the table whose rows contrast its sides (graph/contrast.py).

The rule on hand-made chunks, and the whole graph on the demo base with a question written for this
test (not taken from any evaluation set).
"""

from __future__ import annotations

from graph.contrast import contrast_table, contrasting_rows, side_rows, sides
from graph.question_type import question_type
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


def test_a_table_contrasts_sides_its_rows_are_about_not_sides_a_row_mentions():
    rules = {**TABLE, "text": "（表头：项目 | 规则）\n配额：每个账号每个地域默认 20 个 EIP\n"
             "绑定对象：云服务器（主网卡）、负载均衡 CLB、NAT 网关"}
    assert not contrasting_rows(rules, ["网关", "eip"])  # the rows of an EIP page's rules, mentioning both
    ways = {**TABLE, "text": "（表头：方式 | 说明）\n绑定 EIP：说明 实例拥有独立公网 IP，可入可出\n"
            "NAT 网关：说明 多台实例共享出口 IP，只出不入"}
    assert contrasting_rows(ways, ["网关", "eip"])
    families = {**TABLE, "text": "表头\n类型: 标准型；系列: S5；比例: 1:4\n类型: 计算型；系列: C5；比例: 1:2"}
    assert contrasting_rows(families, ["s5", "c5"])  # the side in the row's second cell


def test_a_table_whose_columns_are_the_sides_contrasts_them_row_by_row():
    columns = {**TABLE, "text": "一张表（表头：对比项 | 安全组 | 网络 ACL）\n对比项: 作用范围；安全组: 网卡；网络 ACL: 子网\n"
               "对比项: 状态；安全组: 有状态；网络 ACL: 无状态"}
    assert contrasting_rows(columns, ["安全组", "acl"])
    rows = [(0, "作用范围：安全组 网卡；网络 ACL 子网"), (1, "状态：安全组 有状态；网络 ACL 无状态")]
    assert side_rows(rows, ["安全组", "acl"]) == {0, 1}
    assert side_rows(rows[:1], ["安全组", "acl"]) == set()  # one row naming both contrasts nothing


def test_comparisons_on_the_demo_base_get_the_contrasting_table_not_rows_mentioning_a_side(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    body = copilot.ask("nat 网关跟 eip 到底啥区别", "c3").answer.split("**参考来源**")[0]
    assert "只出不入" in body and "可入可出" in body and "配额" not in body, body  # not the EIP page's rules
    body = copilot.ask("安全组跟网络 acl 到底啥区别", "c4").answer.split("**参考来源**")[0]
    assert "作用范围" in body and "规则加错了安全组" not in body, body  # not a fix table naming each


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


def test_from_a_table_the_rows_naming_the_sides_answer_by_name_or_family():
    rows = [(0, "S5.xlarge：vCPU 4；内存GiB 16"), (1, "C5.xlarge：vCPU 4；内存GiB 8"), (2, "M5.xlarge：vCPU 4；内存GiB 32")]
    assert side_rows(rows, ["m5.xlarge", "c5.xlarge"]) == {1, 2}
    families = [(0, "标准型；S5；1:4"), (1, "计算型；C5；1:2"), (2, "内存型；M5；1:8")]
    assert side_rows(families, ["m5.xlarge", "c5.xlarge"]) == {1, 2}  # the family's row names the size
    assert side_rows(rows, ["m5.xlarge", "t5.xlarge"]) == set()  # a side no row names: the table whole
    assert side_rows(rows, ["m5.xlarge"]) == set()


def test_a_difference_asked_with_a_joining_word_is_a_comparison():
    assert question_type("C5.2xlarge 跟 M5.2xlarge 内存差多少") == "compare"
    assert question_type("A 和 B 哪个更便宜") == "compare"
    assert question_type("内存差多少才需要升级") != "compare"  # nothing joined: no sides


def test_a_size_comparison_on_the_demo_base_gets_the_two_rows_not_the_table(demo_knowledge):
    text = Copilot(make_context(demo_knowledge)).ask("S5.2xlarge 和 C5.2xlarge 有啥区别", "c2").answer
    body = text.split("**参考来源**")[0]
    assert "S5.2xlarge" in body and "C5.2xlarge" in body and "S5.large" not in body and "M5." not in body, text
