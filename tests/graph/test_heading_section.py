"""Within-page section choice by heading (graph/heading_section.py)."""

from __future__ import annotations

from graph.heading_section import heading_led
from graph.relevance import QuestionTerms

TERMS = QuestionTerms({"tcpdump": 9.0, "抓包": 6.0, "sidecar": 3.0, "pod": 2.0, "容器": 2.0},
                      entities=["tcpdump", "sidecar", "pod"])
TITLE = "注入问题"


def _chunk(cid: str, heads: list[str], text: str) -> dict:
    return {"chunk_id": cid, "heading_path": heads, "text": text, "kind": "doc"}


PAGE = [
    _chunk("c1", [], "解决 Sidecar 自动注入的常见问题。"),
    _chunk("c2", ["注入的结果和预期不一致"], "确保您的 Pod 不在 kube-system 命名空间中。"),
    _chunk("c3", ["在 Pod 中使用 `tcpdump` 的限制"], "`tcpdump` 在 Sidecar 中不能工作。Pod 中的其他容器也能看到所有数据包。"),
    _chunk("c4", ["如果 istio-proxy 还没有准备好，Pod 或容器会出现网络问题"], "可以将 holdApplicationUntilProxyStarts 设置为 true。"),
]


def _passage(chunk: dict, **meta) -> dict:
    return {**chunk, "source": "injection.md", "kb": "k", "title": TITLE, "meta": {"chunks": [chunk["chunk_id"]], **meta}}


def _chunks_of(_passage: dict) -> list[dict]:
    return PAGE


def test_the_section_headed_with_the_rarest_asked_word_leads():
    other = {"source": "other.md", "kind": "doc", "title": "别的页", "heading_path": ["自定义注入"], "text": "注入模板……",
             "chunk_id": "o1", "meta": {}}
    lead = _passage(PAGE[3], added="aftermath")
    out = heading_led([other, lead], TERMS, _chunks_of, 4)
    assert out[-1]["heading_path"] == ["在 Pod 中使用 `tcpdump` 的限制"]
    assert out[-1]["meta"]["added"] == "heading" and "其他容器也能看到所有数据包" in out[-1]["text"]
    assert [p["chunk_id"] for p in out[:-1]] == ["o1"]  # the page's section on another case gives way, other pages stay


def test_a_lead_naming_the_word_or_a_question_without_a_rare_word_stays():
    lead = _passage({**PAGE[3], "text": "tcpdump 也可以在应用容器里运行。"})
    assert heading_led([lead], TERMS, _chunks_of, 4) == [lead]
    flat = QuestionTerms({"sidecar": 3.0, "pod": 2.9, "容器": 2.8}, entities=["sidecar", "pod"])
    lead = _passage(PAGE[3])
    assert heading_led([lead], flat, _chunks_of, 4) == [lead]


def test_two_headings_naming_the_word_single_out_none():
    page = [*PAGE, _chunk("c5", ["在应用容器中使用 tcpdump 抓包"], "……")]
    lead = _passage(PAGE[3])
    assert heading_led([lead], TERMS, lambda _p: page, 4) == [lead]


def test_room_is_kept():
    lead = _passage(PAGE[3])
    others = [{"source": f"o{i}.md", "kind": "doc", "heading_path": ["x"], "text": "……", "chunk_id": f"o{i}", "meta": {}}
              for i in range(4)]
    out = heading_led([*others, lead], TERMS, _chunks_of, 4)
    assert len(out) == 4 and out[0]["chunk_id"] == "o1" and out[-1]["meta"]["added"] == "heading"


def test_the_heading_section_answers_first_among_its_pages_sections():
    from graph.doc_order import doc_order
    found = _passage({**PAGE[1], "text": "确保 sidecar 注入的 pod 不在 kube-system 中，抓包前先确认容器注入。"})
    heading = {**_passage(PAGE[2], added="heading"), "text": "`tcpdump` 在 Sidecar 中不能工作。Pod 中的其他容器也能抓包。"}
    assert doc_order([heading, found], "symptom", TERMS)[0] == 1  # most relevant last, yet the heading's section leads
