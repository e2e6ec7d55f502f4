"""Documents written as FAQ pages (headings that ask or state one problem each), from the shared
corpora read at test time (skipped without them): the entry on the very problem answers first and
whole; a question heading with "为什么" is no causes section of the page."""

from __future__ import annotations


import pytest

from graph.service import Copilot
from tests.graph.conftest import corpora_pages_kb, make_context

PAGES = [f"tidb-docs-cn/{p}" for p in ("dashboard/dashboard-faq.md", "dashboard/dashboard-overview.md",
                                       "dashboard/dashboard-diagnostics-usage.md", "ticdc/ticdc-faq.md",
                                       "ticdc/troubleshoot-ticdc.md", "faq/backup-and-restore-faq.md")] + [
    f"istio-zh/content/zh/{p}" for p in ("about/faq/ambient-mode/is-ztunnel-a-SPOF.md",
                                         "docs/reference/glossary/ztunnel.md")]


@pytest.fixture(scope="module")
def faq_kb(tmp_path_factory):
    yield from corpora_pages_kb(tmp_path_factory, PAGES, "faqpages")


def test_the_entry_on_the_very_problem_answers_first_and_whole(faq_kb):
    copilot = Copilot(make_context(faq_kb))
    result = copilot.ask("TiDB Dashboard 概况页 QPS 和 Latency 图报 prometheus_not_found，可 Prometheus 已经部署了，怎么办",
                         "faq-pages-1", kb="faqpages").to_json()
    text = result["answer"].split("**参考来源**")[0]
    assert text.lstrip().startswith("QPS 及 Latency 监控依赖于"), text  # the entry, first
    assert "tiup cluster start" in text, text  # its last step too: the entry is given whole


def test_a_question_heading_is_no_causes_section(faq_kb):
    from graph.doc_sections import causes_section

    source = next(d["source"] for d in faq_kb.show_kb("faqpages")["documents"] if d["source"].endswith("ticdc-faq.md"))
    chunks = faq_kb.document_chunks("faqpages", source)
    anchor = {"source": source, "title": chunks[0].get("title") or "",
              "kb": "faqpages", "kind": "doc", "chunk_id": chunks[0]["chunk_id"], "heading_path": [], "meta": {}}
    assert any("为什么" in " ".join(c.get("heading_path") or []) for c in chunks)  # the page asks "why" a lot
    assert causes_section(anchor, chunks) is None


def test_examples_give_way_to_the_fix_when_an_entry_does_not_fit(faq_kb):
    """The ErrMySQLDuplicateEntryCDC entry: three SQL examples, then the fix (safe-mode=true). The
    examples' code goes first when the whole entry does not fit, not the fix."""
    copilot = Copilot(make_context(faq_kb))
    result = copilot.ask("TiCDC 同步到 MySQL 老是报 CDC:ErrMySQLDuplicateEntryCDC，事务里先删后插交换唯一键，怎么解决",
                         "faq-pages-2", kb="faqpages").to_json()
    text = result["answer"].split("**参考来源**")[0]
    assert "safe-mode=true" in text, text
    assert "CREATE TABLE data_table" not in text, text


def test_the_lines_of_an_entry_given_whole_are_judged_with_its_heading(faq_kb):
    """BR's new_collation_enabled entry: its list ("若该配置项相同，则可…添加 --check-requirements=false")
    names nothing of the question by itself; it stays with the entry, and no lead-in is left hanging."""
    copilot = Copilot(make_context(faq_kb))
    result = copilot.ask("v5 集群的全量备份往 v7 集群里恢复，br 拒绝了，说 collation 开关上下游对不上，怎么绕过",
                         "faq-pages-3", kb="faqpages").to_json()
    text = result["answer"].split("**参考来源**")[0].strip()
    assert "--check-requirements=false" in text, text
    lines = text.splitlines()
    assert not any(line.rstrip().endswith(("：", ":")) and (k + 1 == len(lines) or not lines[k + 1].lstrip().startswith(("-", "1", "`")))
                   for k, line in enumerate(lines) if line.strip() and not line.startswith("```")), text


def test_a_page_titled_with_a_question_is_its_answer_whole(faq_kb):
    """Istio's "ztunnel 存在单点故障吗？" page: four sentences, most naming little of a worried, spoken
    question; the page is the answer, all of it (no sentence dropped as off topic)."""
    from graph.doc_units import merge_texts
    from graph.answer_draft import AnswerDraft
    from graph.relevance import QuestionTerms
    from graph.section_answer import fit_whole, section_units

    doc = next(d for d in faq_kb.show_kb("faqpages")["documents"] if d["source"].endswith("SPOF.md"))
    chunks = faq_kb.document_chunks("faqpages", doc["source"])
    page = {"kind": "doc", "source": doc["source"], "title": doc["title"], "heading_path": [], "kb": "faqpages",
            "chunk_id": chunks[0]["chunk_id"], "text": merge_texts([c["text"] for c in chunks]),
            "meta": {"indexed_text": chunks[0].get("indexed_text") or ""}}
    assert page["title"].endswith("？"), page["title"]
    # a worried, spoken question: its heaviest words ("领导", "带崩") are on no line of the page
    terms = QuestionTerms({"ambient": 2.0, "领导": 6.0, "带崩": 6.0, "ztunnel": 2.0, "风险": 3.0}, entities=["ztunnel"])
    answer = AnswerDraft([page], terms, 760)
    answer.add(1, fit_whole(section_units(page), 760))
    text = " ".join(u.text for _, u in answer.picked)
    assert "单个节点" in text and "SPOF" in text, text
