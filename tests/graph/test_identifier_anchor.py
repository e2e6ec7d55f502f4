"""A question naming an exact identifier (an error code, a state, an error number) is answered from
the units about it (graph/identifier_anchor.py): the FAQ entry, the table row, the tip naming it,
with its cause and fix, not the page's sections about its other codes. A resource kind or a field
name written in camel case is no code. Unit checks and the demo base end to end.
Run: pytest tests/graph/test_identifier_anchor.py"""

from __future__ import annotations

from graph.identifier_anchor import MAX_CODE_CHUNKS, CodeLookup, anchored, asked_identifiers, codes
from graph.service import Copilot
from tests.graph.conftest import make_context


def test_codes_and_error_numbers_are_identifiers_ports_and_fields_are_not():
    assert asked_identifiers("上传返回 403，Code 是 RequestTimeTooSkewed") == ["RequestTimeTooSkewed"]
    assert asked_identifiers("连 mysql 报 ERROR 1040 (HY000)") == ["1040"]
    assert asked_identifiers("安全组放行了 8080 还是连不上") == []
    assert asked_identifiers("VirtualService 里配了 corsPolicy，exitCode 137") == ["VirtualService"]  # fields are lower-camel


def test_a_word_the_base_uses_everywhere_is_no_code():
    """A resource kind names scores of chunks ("VirtualService": 158 of the Istio docs); a code a few."""
    counts = {"VirtualService": 158, "OOMKilled": 6}
    assert codes("VirtualService 配了 fault abort 又配了 retries", lambda w: counts.get(w, 0)) == []
    assert codes("服务跑一阵就 OOMKilled", lambda w: counts.get(w, 0)) == ["OOMKilled"]
    assert counts["VirtualService"] > MAX_CODE_CHUNKS >= counts["OOMKilled"]


def test_evidence_titled_by_the_code_is_kept_and_no_search_is_made():
    page = {"source": "docs/mysql/too-many-connections.md", "title": "ERROR 1040 Too many connections", "text": "调大 max_connections"}

    def search(q: str) -> list:
        raise AssertionError("no search needed")

    assert anchored("报错 ERROR 1040 咋办", [page], CodeLookup(search, lambda p: [], lambda w: 1)) == [page]


def test_the_codes_own_entry_answers_not_the_pages_other_codes(demo_knowledge):
    """The 403 page's AccessDenied causes drew this question on main; the FAQ entry and the
    error-code row on RequestTimeTooSkewed say what it is and how to fix it."""
    answer = Copilot(make_context(demo_knowledge)).ask("往 sos 传文件返回 403，Code 是 RequestTimeTooSkewed", "ident").answer
    body = answer.split("**参考来源**")[0]
    assert "15 分钟" in body and "NTP" in body
    assert "存储桶是私有的" not in body  # AccessDenied's first cause


def test_an_archived_objects_code_gets_its_restore_step(demo_knowledge):
    answer = Copilot(make_context(demo_knowledge)).ask("下载以前归档的日志文件，接口报 InvalidObjectState，是文件坏了么", "ident2").answer
    assert "解冻" in answer.split("**参考来源**")[0]


def test_a_page_treating_the_codes_case_alone_keeps_its_other_sections():
    """The storage-full page quotes ERROR 1290 in its symptoms only; its fix section (no code) stays beside
    the error row, as the 403 page's sections about its other codes do not."""
    shown = {"kind": "doc", "source": "docs/storage-full.md", "heading_path": ["现象"], "text": "写入报 ERROR 1290 (HY000)"}
    fix = {"kind": "doc", "source": "docs/storage-full.md", "heading_path": ["解决方法"], "text": "先扩容，再清理数据"}
    other = {"kind": "doc", "source": "docs/storage-full.md", "heading_path": ["相关"], "text": "另见 ERROR 1040 连接数"}
    row = {"kind": "table", "source": "tables/error-codes.csv", "heading_path": [],
           "text": "error-codes（表头：错误码 | 产品 | 解决方法）\n错误码: 1290；产品: 云数据库；解决方法: 扩容"}
    lookup = CodeLookup(lambda q: [row], lambda p: [], lambda w: 1)
    out = anchored("mysql 报 1290 我先删点数据行不", [fix, other, shown], lookup)
    assert fix in out and shown in out and other not in out
    assert out.index(fix) < out.index(shown)  # in evidence order
