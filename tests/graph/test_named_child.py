"""A sub-section that a line of its parent names is where the parent's "how" is (issue #21):
graph/section_links.named_child (graph/evidence.build_evidence asks it when no step is pointed to)
and its reading for the fix in graph/section_answer.from_section."""

from __future__ import annotations

from graph.doc_sections import referenced_step
from graph.section_links import named_child
from graph.relevance import question_terms
from graph.section_answer import from_section

PARENT = ("节点失联后，其上的副本会一直停在 Unknown 状态。\n\n清理这些副本只有以下几种办法：\n\n"
          "- 删除节点对象\n- 等节点代理恢复响应\n- 由管理员强制移除副本\n")
CHILD = ("强制移除不会等待节点代理确认。请只在确认节点不会再回来时这样做。\n\n"
         "执行下面的命令强制移除副本：\n\n```shell\nmonctl remove replica <name> --now --skip-wait\n```\n")
DOC = [
    {"chunk_id": "c1", "heading_path": ["清理副本"], "text": PARENT, "kind": "doc"},
    {"chunk_id": "c2", "heading_path": ["清理副本", "强制移除"], "text": CHILD, "kind": "doc"},
    {"chunk_id": "c3", "heading_path": ["清理副本", "查看"], "text": "用 `monctl get replica` 查看副本。", "kind": "doc"},
]


def _passage(heads: list[str], text: str) -> dict:
    return {"chunk_id": "c1", "source": "ops/replicas.md", "title": "清理副本", "heading_path": heads,
            "text": text, "kind": "doc", "kb": "k", "meta": {}}


def test_the_child_a_line_names_is_found() -> None:
    found = named_child(_passage(["清理副本"], PARENT), DOC, set())
    assert found is not None and found["heading_path"] == ["清理副本", "强制移除"]
    assert (found["meta"] or {}).get("added") == "named"
    focus = question_terms("节点断电后副本一直 Unknown 删不掉", "", None, [PARENT])
    assert referenced_step(_passage(["清理副本"], PARENT), DOC, focus, set()) is None  # no step is pointed to


def test_an_unnamed_or_already_shown_child_is_not() -> None:
    assert named_child(_passage(["清理副本"], "节点失联后副本会停在 Unknown 状态。"), DOC, set()) is None
    assert named_child(_passage(["清理副本"], PARENT), DOC, {("ops/replicas.md", ("清理副本", "强制移除"))}) is None
    grown = PARENT + "\n\n**强制移除**：\n\n" + CHILD
    assert named_child(_passage(["清理副本"], grown), DOC, set()) is None


def test_the_named_child_gives_its_command_not_only_its_warnings() -> None:
    question = "节点断电后副本一直 Unknown 删不掉，新的也起不来"
    child = named_child(_passage(["清理副本"], PARENT), DOC, set())
    assert child is not None
    terms = question_terms(question, "", None, [CHILD])
    shown = "\n".join(u.text for u in from_section(child, "symptom", terms, 160, question))
    assert "--now --skip-wait" in shown
