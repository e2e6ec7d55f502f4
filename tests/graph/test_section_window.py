"""A long section grown from a late chunk keeps its opening chunk when the opening names more of the
question than the chunk it displaces (graph/evidence.grow)."""

from __future__ import annotations

from graph.doc_sections import MAX_SECTION_CHUNKS
from graph.evidence import grow
from graph.relevance import QuestionTerms

HEAD = ["终端用户认证失败"]
ASKED = QuestionTerms({"jwks": 7.3, "发行者": 8.6, "jwt": 5.6})


def _chunks(n: int, opening: str = "1. 如果 jwksUri 未设置，确保 JWT 发行者是 url 格式。") -> list[dict]:
    return [{"chunk_id": f"c{i}", "source": "security.md", "kind": "doc", "heading_path": HEAD,
             "text": opening if i == 0 else f"第 {i} 段样例。"} for i in range(n)]


def test_a_late_found_chunk_keeps_the_sections_opening_naming_the_question():
    chunks = _chunks(9)
    grown = grow(dict(chunks[3]), chunks, {"c3"}, ASKED)
    kept = grown["meta"]["chunks"]
    assert kept[0] == "c0" and "c3" in kept and "c2" in kept  # the opening, then the found chunk with the one before it
    assert len(kept) == MAX_SECTION_CHUNKS and grown["text"].startswith("1. 如果 jwksUri")


def test_an_opening_about_another_thing_an_early_find_and_a_short_section_read_as_before():
    other = _chunks(9, opening="创建一个 NetworkPolicy 限制出站流量。")
    assert grow(dict(other[3]), other, {"c3"}, ASKED)["meta"]["chunks"] == [f"c{i}" for i in range(2, 8)]
    chunks = _chunks(9)
    assert grow(dict(chunks[3]), chunks, {"c3"})["meta"]["chunks"][0] == "c2"  # no question read: as before
    assert grow(dict(chunks[1]), chunks, {"c1"}, ASKED)["meta"]["chunks"] == [f"c{i}" for i in range(MAX_SECTION_CHUNKS)]
    short = _chunks(MAX_SECTION_CHUNKS)
    assert grow(dict(short[4]), short, {"c4"}, ASKED)["meta"]["chunks"] == [c["chunk_id"] for c in short]
