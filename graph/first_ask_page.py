"""A later ask of one message is answered from the page its first ask is answered from, when a line of that
page gives the kind of value the later ask wants.

"cdn 目录刷新一天能刷几个？配额用光了什么时候恢复", "mysql 2核4G 的最大连接数是多少 不够用了升配的时候会断吗": the
later ask says little of its own beyond the kind of answer it wants (a time, a count, whether the change
interrupts service, whether it can be undone), so retrieval by its words ranks the page's procedure, a quota
table or another product's FAQ entry, while the page the message is about — the one its first ask is answered
from — states it ("配额每天零点重置", "规格变更期间会有一次秒级闪断"). That page is read as a follow-up reads the
page the conversation is on (graph/prior_scan.page_line: the line giving the asked kind that shares most of the ask's
own characters and a word the first ask does not say, alone, when no other page's passage answers as closely
and the line is on the later ask's topic); a later ask naming a thing the page never mentions asks about
something else and keeps its selection. Only values asked by a question word are read so (`value_kinds`). The kinds are graph/asked_kind.py's
question forms, not any base's words. Used by graph/nodes/select.py; tested in tests/graph/test_first_ask_page.py.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from graph.asked_kind import Kind, asked_kinds
from graph.siblings import subject_pages


_VALUE_KINDS = ("duration", "limit")
"""Kinds asked by a question word (多久, 什么时候, 最多), with counts (几个, 多少条): a value the line states.
Whether a change interrupts service or can be undone is asked by verbs a statement holds too ("停服满 15 天的
数据还在吗" says 停服, asks whether the data stays): a verdict, read on the ask's own selection."""


def value_kinds(question: str) -> list[Kind]:
    """The kinds of value the ask wants that a page line states (`_VALUE_KINDS` and counts)."""
    return [k for k in asked_kinds(question) if k.name in _VALUE_KINDS or k.name.startswith("count:")]


def first_ask_page(selected: Sequence[Mapping]) -> list[str]:
    """The page the first ask is answered from, as a one-item list: the page of its selection's strong
    passages (else of its most relevant document passage); [] when it selects FAQ entries only (a file of
    many subjects)."""
    pages = subject_pages(selected) or [str(p.get("source") or "") for p in reversed(selected)
                                        if p.get("kind") != "faq" and p.get("source")]
    return pages[:1]
