"""Padding: the page's whole causes list after an answer that already holds the asked thing.

A cause or symptom question about one condition ("%util 100% 是不是到顶了", "dd 测出来 iops 很低为啥")
is often answered by one line of a check's table or one FAQ item; the composer then appended the
page's whole causes list, most of whose items name nothing asked: the agent must find the fact in
a wall of text. After such an answer the list gives only its items naming something asked
(`asked_items`); none: it is left out. The page's fix is never cut (`gives_fix`: a fix or solution
section, an operation section, commands or settings to apply outside the checks): what to do is what a
symptom report wants. Nor is anything cut for a question asking what to do or how, or which to choose
(graph/extractive.py `_narrows`: its choosing list answers it).

`holds_asked`: one of the answer's lines, outside a section restating the problem, covers HELD_SHARE of
what the question asks beyond its pages' topic (its own weighted terms, IDF in the base, less the words
of the pages' titles and tags). Used by graph/extractive.py; tested in tests/graph/test_padding.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.answered import COLLECTION_TITLE
from graph.doc_sections import is_causes_heading, is_solution_heading
from graph.doc_units import Unit
from graph.echo import SYMPTOM_ROLE
from graph.relevance import QuestionTerms, coverage, declared_names, found, title_context

HELD_SHARE = 0.5
"""Share of what the question asks beyond its pages' topic one line of the answer must cover to hold it."""
MIN_ASKED = 2
"""Words beyond its pages' titles a question names a condition in: one ("pod pending 调度不上去": 调度)
restates the page's problem, whose whole troubleshooting then answers."""


def asked_beyond_topic(terms: QuestionTerms, passages: Sequence[Mapping[str, Any]],
                       picked: Sequence[tuple[int, Unit]]) -> QuestionTerms:
    """The question's own terms less those the answer's pages' titles and declared names (front-matter
    product and tags) name: "云盘" in a question on the page "云盘 IOPS 达不到标称值", or "不健康" on a page
    tagged so, says which page, not what is asked of it."""
    pages = [passages[n - 1] for n in {n for n, _ in picked}]
    return terms.own().without(" ".join(f"{title_context(p)} {declared_names(p)}" for p in pages).lower())


def _holding_lines(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
                   terms: QuestionTerms) -> list[int]:
    """The indices of the answer's lines that each cover HELD_SHARE of what is asked by themselves, outside
    a section restating the problem or giving its fix (`_restates`): words of the question scattered over
    lines do not say the asked thing."""
    asked = asked_beyond_topic(terms, passages, picked)
    if asked.total <= 0 or len(asked.weights) < MIN_ASKED:
        return []
    return [i for i, (n, u) in enumerate(picked)
            if coverage(asked, u.text.lower()) >= HELD_SHARE and not _restates(passages[n - 1])]


def _holding(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
             terms: QuestionTerms) -> list[int]:
    """The passages of the lines holding what is asked (`_holding_lines`)."""
    return [picked[i][0] for i in _holding_lines(passages, picked, terms)]


_DIFFERENCE_HEAD = re.compile(r"区别|差别|差异|异同")
"""A heading over how things differ ("与 SSH、远程桌面的区别"); not a table of cases compared ("对比常见的错误测法")."""


def _restates(passage: Mapping[str, Any]) -> bool:
    """A section whose lines sharing the question's words do not say why: the page's problem restated
    ("现象"), its fix ("解决方法": "规格是 2核4G" meets the fix's "升级规格", the cause is still unsaid), or a
    difference ("与 SSH、远程桌面的区别": a row naming "发送文本" contrasts it, the section on it says what it is)."""
    heads = passage.get("heading_path") or []
    return (passage.get("meta") or {}).get("added") in ("solution", "fix") \
        or any(SYMPTOM_ROLE.search(h) or is_solution_heading(h) or _DIFFERENCE_HEAD.search(h) for h in heads)


def holds_asked(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
                terms: QuestionTerms) -> bool:
    """One of the answer's lines covers HELD_SHARE of what is asked by itself (`_holding`)."""
    return bool(_holding(passages, picked, terms))


def held_by_entry(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
                  terms: QuestionTerms) -> bool:
    """The line holding what is asked is a FAQ entry's (a FAQ passage, or a page's "常见问题" section): that
    entry pairs the problem asked with what to do about it; the page's procedure for its task pads it."""
    return any(_entry(passages[n - 1]) for n in _holding(passages, picked, terms))


def _entry(passage: Mapping[str, Any]) -> bool:
    """A FAQ passage, or a page's FAQ section ("常见问题"): its items pair a problem with what to do."""
    return passage.get("kind") == "faq" or any(COLLECTION_TITLE.search(h) for h in passage.get("heading_path") or [])


def is_causes_list(passage: Mapping[str, Any]) -> bool:
    """The page's causes section (evidence added as such, or under a causes heading)."""
    meta = passage.get("meta") or {}
    return meta.get("added") == "causes" or any(is_causes_heading(h) for h in passage.get("heading_path") or [])


def _names(term: str, low: str) -> bool:
    """The text names the term; a number only as a whole number ("100" is not in "100,000")."""
    if term.isdigit():
        return re.search(rf"(?<![\d,.]){term}(?![\d,.])", low) is not None
    return found(term, low)


def is_procedure(meta: Mapping[str, Any]) -> bool:
    """Evidence the page's structure added as its procedure (its steps, or its steps section)."""
    return bool(meta.get("procedure")) or meta.get("added") == "procedure"


def asked_items(units: Sequence[Unit], asked: QuestionTerms) -> list[Unit]:
    """The units naming one of the asked terms, a list item with its nested items (a nested item goes
    with its parent's decision)."""
    kept, parent_kept = [], False
    for u in units:
        if u.kind == "item" and u.depth:
            if parent_kept:
                kept.append(u)
            continue
        named = any(_names(t, u.text.lower()) for t in asked.weights)
        parent_kept = u.kind == "item" and named
        if named:
            kept.append(u)
    return kept


FIX_ADDED = ("fix", "solution")
"""Evidence kinds (graph/evidence.py `added`) that are the page's fix."""


CHECKS = ("focus", "checks")
"""Evidence kinds (graph/evidence.py `added`) that are checks of the troubleshooting, not its explanation."""


_OPERATION_HEAD = re.compile(r"操作")
"""A heading over what to do in a console or a tool ("控制台操作", "sscli 操作")."""
_CHECK_HEAD = re.compile(r"排查|检查|确认|查看|诊断|定位|观察|验证")
"""A heading over checks: their commands look, they do not fix."""


def gives_fix(passage: Mapping[str, Any], units: Sequence[Unit] = ()) -> bool:
    """The page's fix: evidence added as such, the fix asked (meta.remedy), a section under a solution or
    operation heading ("解决方法", "处理办法", "控制台操作"), or lines that are commands or settings to apply
    (a code block) outside the checks (evidence added as checks, a heading over checks). A causes answer says
    why; this says what to do about it: it is never cut as padding."""
    meta = passage.get("meta") or {}
    heads = passage.get("heading_path") or []
    return meta.get("added") in FIX_ADDED or bool(meta.get("remedy")) \
        or any(is_solution_heading(h) or _OPERATION_HEAD.search(h) for h in heads) \
        or (meta.get("added") not in CHECKS and not any(_CHECK_HEAD.search(h) for h in heads)
            and any(u.kind == "code" for u in units))


def pads(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]], passage: Mapping[str, Any],
         units: Sequence[Unit], terms: QuestionTerms) -> bool:
    """A section retrieval matched by its words alone (the page's structure added nothing: no procedure,
    checks or causes asked for) and not the page's fix (`gives_fix`), that names nothing asked the answer lacks."""
    if (passage.get("meta") or {}).get("added") or gives_fix(passage, units):
        return False
    asked = asked_beyond_topic(terms, passages, picked)
    said = " ".join(u.text for _, u in picked)
    return bool(units) and not names_unsaid(asked, " ".join(u.text for u in units), said)


def before_the_answer(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]], groups: Sequence[int],
                      terms: QuestionTerms) -> set[int]:
    """The picked units (indices) of blocks that come before the first FAQ entry's line holding what is
    asked, from other passages, and name nothing asked that the entry's block lacks: a check sharing a
    word with the question, shown before the FAQ item pairing the very problem asked with its fix, pads
    it. Only an entry: a causes or checks line holding the question's words often only restates them. A block
    giving the fix (`gives_fix`) is never among them."""
    holding = [i for i, (n, u) in enumerate(picked) if n in _holding(passages, [(n, u)], terms) and _entry(passages[n - 1])]
    if not holding:
        return set()
    first = holding[0]
    hit_n, hit_group = picked[first][0], groups[first]
    asked = asked_beyond_topic(terms, passages, picked)
    held = " ".join(u.text for (_, u), g in zip(picked, groups) if g == hit_group).lower()
    drop: set[int] = set()
    for group in sorted({groups[i] for i in range(first)} - {hit_group}):
        members = [i for i in range(first) if groups[i] == group]
        text = " ".join(picked[i][1].text for i in members).lower()
        if any(gives_fix(passages[picked[i][0] - 1], [picked[i][1]]) for i in members):
            continue  # what to do about the problem stays, wherever it came
        if all(picked[i][0] != hit_n for i in members) and not names_unsaid(asked, text, held):
            drop.update(members)
    return drop


def holding_line(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
                 terms: QuestionTerms) -> int | None:
    """The index of the answer's first line covering HELD_SHARE of what is asked by itself, outside a section
    restating the problem or giving its fix (`_holding_lines`), or None."""
    return next(iter(_holding_lines(passages, picked, terms)), None)


def adds_asked(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]], text: str, held: str,
               terms: QuestionTerms) -> bool:
    """The text names something asked (beyond the pages' titles) that `held` does not."""
    return names_unsaid(asked_beyond_topic(terms, passages, picked), text, held)


def names_unsaid(asked: QuestionTerms, text: str, held: str) -> bool:
    """The text names an asked term that `held` does not (a number only as a whole number)."""
    low, have = text.lower(), held.lower()
    return any(_names(t, low) and not _names(t, have) for t in asked.weights)

