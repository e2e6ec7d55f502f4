"""The deterministic generators and filters on real documentation (shared corpora, read
at test time, chunked by the knowledge layer): FAQ pages become their own questions,
answers stay grounded."""

from __future__ import annotations

from knowledge.config import KnowledgeSettings
from knowledge.preview import preview_files
from models.finetune.filters import apply_filters, grounding_score
from models.finetune.selfqa import deterministic_selfqa


def read_folder_chunks(folder):
    return preview_files([folder], KnowledgeSettings()).chunks


def test_tidb_faq_headings_become_questions(corpora):
    records = deterministic_selfqa(read_folder_chunks(corpora / "tidb-docs-cn" / "faq"))
    faq = [r for r in records if r.generator == "selfqa-faq"]
    assert len(faq) > 100 and all(r.instruction.endswith(("？", "?")) for r in faq)
    kept, report = apply_filters(records)
    assert report["dropped"]["ungrounded"] == 0 and len(kept) > 0.95 * len(records)


def test_istio_one_question_pages_and_hugo_markup(corpora):
    records = deterministic_selfqa(read_folder_chunks(corpora / "istio-zh" / "content" / "zh" / "about" / "faq"))
    faq = [r for r in records if r.generator == "selfqa-faq"]
    assert len(faq) >= 40  # the page title is the question, the body the answer
    assert all(grounding_score(r.output, r.context) > 0.9 for r in records)


def test_kubernetes_pages_drop_english_comments_and_heading_ids(corpora):
    folder = corpora / "kubernetes-zh-cn" / "content" / "zh-cn" / "docs" / "tasks" / "debug"
    chunks = read_folder_chunks(folder)
    assert not any("<!--" in c.text or "{#" in " ".join(c.heading_path) for c in chunks)
    records = deterministic_selfqa(chunks)
    assert len(records) > 50 and not any("{#" in r.output for r in records)
