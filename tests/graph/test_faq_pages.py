"""Documents written as FAQ pages (headings that ask or state one problem each), from the shared
corpora read at test time (skipped without them): the entry on the very problem answers first and
whole; a question heading with "为什么" is no causes section of the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.service import Copilot
from tests.graph.conftest import make_context

CORPORA = Path(__file__).resolve().parents[2] / "../shared/corpora"
TIDB = CORPORA / "tidb-docs-cn"
PAGES = ["dashboard/dashboard-faq.md", "dashboard/dashboard-overview.md", "dashboard/dashboard-diagnostics-usage.md",
         "ticdc/ticdc-faq.md", "ticdc/troubleshoot-ticdc.md", "faq/backup-and-restore-faq.md"]


@pytest.fixture(scope="module")
def faq_kb(tmp_path_factory):
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    if not all((TIDB / p).is_file() for p in PAGES):
        pytest.skip(f"shared corpora not found at {CORPORA}")
    service = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path_factory.mktemp("faq-pages"),
                               create_embedder(EmbedderSettings(backend="hash")))
    service.ingest([TIDB / p for p in PAGES], kb="faqpages")
    yield service
    service.close()


def test_the_entry_on_the_very_problem_answers_first_and_whole(faq_kb):
    copilot = Copilot(make_context(faq_kb))
    result = copilot.ask("TiDB Dashboard 概况页 QPS 和 Latency 图报 prometheus_not_found，可 Prometheus 已经部署了，怎么办",
                         "faq-pages-1", kb="faqpages").to_json()
    text = result["answer"].split("**参考来源**")[0]
    assert text.lstrip().startswith("QPS 及 Latency 监控依赖于"), text  # the entry, first
    assert "tiup cluster start" in text, text  # its last step too: the entry is given whole


def test_a_question_heading_is_no_causes_section(faq_kb):
    from graph.evidence import causes_section

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
