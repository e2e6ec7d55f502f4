"""The section for the variant a how-to asks about (graph/variant.py), on the real demo KB."""

from __future__ import annotations

from graph.doc_sections import procedure
from graph.relevance import QuestionTerms
from graph.variant import usable_variant, variant_section


def _doc(demo_knowledge, source: str):
    chunks = demo_knowledge.document_chunks("demo", source)
    anchor = {"source": source, "title": chunks[0].get("title") or "", "kb": "demo", "kind": "doc",
              "chunk_id": chunks[0]["chunk_id"], "heading_path": list(chunks[0].get("heading_path") or []), "meta": {}}
    return anchor, chunks


def test_the_windows_section_of_a_linux_procedure_page(demo_knowledge):
    anchor, chunks = _doc(demo_knowledge, "docs/disk/mount-data-disk.md")
    steps = procedure(anchor, chunks)
    assert steps is not None
    windows = QuestionTerms({"windows": 3.0, "看不到": 4.0}, entities=["windows"])
    found = usable_variant(variant_section(anchor, chunks, windows, steps), steps)
    assert found is not None and found["heading_path"][-1] == "Windows 实例", found
    assert "磁盘管理" in found["text"] and found["meta"]["added"] == "variant"
    # a symptom word named by a FAQ question of the page is no variant; nor is what the steps cover
    assert variant_section(anchor, chunks, QuestionTerms({"看不到": 4.0}), steps) is None
    assert variant_section(anchor, chunks, QuestionTerms({"parted": 4.0}, entities=["parted"]), steps) is None


def test_a_question_of_the_pages_faq_part_gives_its_own_answer(demo_knowledge):
    anchor, chunks = _doc(demo_knowledge, "docs/disk/expand-disk.md")
    steps = procedure(anchor, chunks)
    assert steps is not None
    found = variant_section(anchor, chunks, QuestionTerms({"windows": 3.0}, entities=["windows"]), steps)
    assert found is not None and found["meta"].get("question", "").startswith("Windows"), found
    assert "扩展卷" in found["text"] and "growpart" not in found["text"], found["text"]
