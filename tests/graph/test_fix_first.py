"""A how-to met on a page's example or causes gets the page's fix section first, in each knowledge base's
wording of it ("如何修复", "缓解措施") (graph/doc_sections.SOLUTION_HEAD, graph/evidence.build_evidence, graph/extractive.fix_first).
Run: pytest tests/graph/test_fix_first.py"""

from __future__ import annotations

from graph.answer_text import units_text
from graph.doc_sections import SOLUTION_HEAD
from graph.evidence import build_evidence
from graph.extractive import extractive_units
from graph.passages import to_state
from graph.relevance import question_terms
from tests.graph.fakes import FakeKnowledge, page_chunk

TITLE = "PortBoundToLoopback"


def _chunk(chunk_id: str, heads: list[str], text: str):
    return page_chunk("docs/analysis/loopback.md", TITLE, chunk_id, heads, text)


PAGE = [
    _chunk("l-0", [], "当工作负载只监听回环地址、而该端口又在 Service 中暴露时，会出现此消息：其他 Pod 无法访问该端口。"),
    _chunk("l-1", ["示例"], "以一个监听 `127.0.0.1:9090` 的应用为例，其他 Pod 访问 9090 端口会被拒绝，"
                          "在 Pod 内 curl 本机却是通的：\n\n```bash\nnc 127.0.0.1 9090 -l\n```"),
    _chunk("l-2", ["缓解措施"], "如果不打算把应用暴露给其他 Pod，请从 Service 中移除该端口。\n\n"
                            "如果要暴露给其他 Pod，有两个选项：\n\n"
                            "- 修改应用程序，绑定到 `0.0.0.0`，例如 `nc 0.0.0.0 9090 -l`。\n"
                            "- 在代理配置中把入站端口转发到 `127.0.0.1:9090`。"),
]


def _evidence(question: str) -> list[dict]:
    chosen = [to_state(PAGE[1])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    return build_evidence(chosen, FakeKnowledge(PAGE).document_chunks, "howto", terms, question=question)


def test_fix_headings_in_each_wording_but_not_a_task_that_repairs_something_else():
    for head in ("解决方法", "如何修复", "缓解措施", "Workaround", "How to resolve"):
        assert SOLUTION_HEAD.search(head), head
    for head in ("常见操作：在 VNC 中修复网络和 SSH", "SQL 修复", "示例"):
        assert not SOLUTION_HEAD.search(head), head


def test_a_howto_met_on_the_example_leads_with_the_pages_fix():
    question = "应用 listen 在 127.0.0.1:9090 上，别的 pod 怎么都访问不到，怎么解决"
    evidence = _evidence(question)
    assert any(p.get("heading_path") == ["缓解措施"] for p in evidence)  # as the added fix, or the how-to's own section
    text = units_text(extractive_units(question, evidence, qtype="howto"))
    assert "0.0.0.0" in text and "移除该端口" in text, text
    assert text.index("移除该端口") < text.index("nc 127.0.0.1") if "nc 127.0.0.1" in text else True, text

