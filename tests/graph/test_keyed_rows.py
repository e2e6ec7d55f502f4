"""An error-code table answers only a question naming one of its codes (issue 12 item 1, issue 21):
a question on something else never quotes, or cites, the row that happens to share its words."""

from __future__ import annotations

from graph.keyed_rows import about_other_keys, keyed_table, names_a_row
from graph.service import Copilot
from tests.graph.conftest import make_context

ERRORS = {"kind": "table", "text": (
    "error-codes（表头：错误码 | 产品 | 错误信息 | 可能原因）\n"
    "错误码: NET::ERR_CERT_DATE_INVALID；产品: SSL 证书；错误信息: 证书已过期；可能原因: 免费证书有效期仅 90 天\n"
    "错误码: 1040；产品: 云数据库；错误信息: Too many connections；可能原因: 连接数达到上限")}
SPECS = {"kind": "table", "text": (
    "规格一览（表头：规格 | 规格族 | vCPU | 内存GiB）\n"
    "规格: M5.2xlarge；规格族: 内存型 M5；vCPU: 8；内存GiB: 64\n"
    "规格: C5.2xlarge；规格族: 计算型 C5；vCPU: 8；内存GiB: 16")}


def test_an_error_table_needs_its_code_named():
    assert keyed_table(ERRORS)
    assert about_other_keys("免费 SSL 证书能用多长时间", ERRORS)
    assert not about_other_keys("mysql 报 ERROR 1040 咋整", ERRORS)
    assert not about_other_keys("浏览器提示 net::err_cert_date_invalid", ERRORS)
    assert not names_a_row("报 10400 错误", ERRORS)  # a longer number is another code
    assert not about_other_keys("连接数报 too many connections 咋整", ERRORS)  # its message quoted
    assert about_other_keys("mysql 连接数上限怎么调", ERRORS)


def test_a_spec_table_is_looked_up_by_its_cells_too():
    assert not keyed_table(SPECS)  # "8 核的内存型" finds M5.2xlarge without naming it
    assert not about_other_keys("8 核的内存型是几 G", SPECS)
    assert not keyed_table({"kind": "doc", "text": ERRORS["text"]})  # a page's section is judged as a page


def test_a_question_on_another_thing_does_not_cite_the_error_table(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("怎么开专票 个人帐号能开么", "invoice")
    result = copilot.ask("这个月刚花的钱现在能开吗", "invoice")
    sources = [c.get("source") for c in result.citations]
    assert "tables/error-codes.csv" not in sources and "docs/billing/invoice.md" in sources, result.answer


def test_a_named_code_still_gets_its_row(demo_knowledge):
    result = Copilot(make_context(demo_knowledge)).ask("ERROR 1062 是啥", "code")
    assert "tables/error-codes.csv" in [c.get("source") for c in result.citations], result.answer
