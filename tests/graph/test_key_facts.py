"""The extractive answer holds the key fact of the page it cites (issue #12) — one test per rule,
on built pages or the demo base (graph/unit_fit.py, graph/section_answer.py, graph/extractive.py)."""

from __future__ import annotations

from knowledge.types import Passage
from tests.graph.fakes import extractive_answer


def doc(chunk_id: str, source: str, title: str, heads: list[str], text: str) -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=heads, text=text, kind="doc", kb="demo",
                   meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text})


def test_an_example_sentence_brings_the_rule_it_illustrates():
    page = [
        doc("u-0", "docs/iam/users.md", "子用户管理", ["用户名规则"],
            "1. 长度 4-32 个字符；\n2. 只能包含小写字母、数字和下划线；\n3. 必须以字母开头。\n\n"
            "例如 `dev_ops01` 合法；`Dev-Ops`（含大写和连字符）不合法。每个账号最多创建 500 个子用户。"),
    ]
    body = extractive_answer(page, "子用户名叫 Dev-Ops 为啥创建不了", "cause")
    assert "只能包含小写字母、数字和下划线" in body, body  # the rule, not only "例如 … 不合法"
