"""A page's troubleshooting section, for a problem reported on a how-to page (graph/evidence.py).

A symptom question whose page has no causes section was answered with the page's procedure — its
setup steps ("创建 NAT 网关 → 配置 SNAT → 配置路由") — even when the page also has a section that
troubleshoots ("排查：实例仍然无法访问外网", "排查路由问题") whose checks name the user's own symptom
("`yum install` … 卡住", "对等连接只能单向通 | 只有一端添加了路由"). `checks_section` finds that
section when it names more of what the user reported (beyond the page's title and the words most of
the page shares) than the procedure does: the user has a fault, not a setup to do.
`titled_section`: the section whose own heading names the message the user pasted ("You are in
emergency mode" -> "3. 处理 emergency mode（最常见）"), when retrieval brought another part of the page.
Tested in tests/graph/test_checks_section.py.
"""

from __future__ import annotations

import re

from graph.doc_sections import section_key, subtree
from graph.doc_units import sections_in_order
from graph.relevance import QuestionTerms, coverage

_CHECKS_HEAD = re.compile(r"排查|排障|修复|故障(排除|处理|诊断|定位)|常见(错误|故障)|troubleshoot|diagnos", re.I)
"""A heading of a section that troubleshoots (not a procedure's step: those are numbered)."""
_QUESTION_HEAD = re.compile(r"[？?][\s`]*$")


def _text(passage: dict) -> str:
    return f"{' '.join(passage.get('heading_path') or [])} {passage.get('text') or ''}"


def checks_section(anchor: dict, doc_chunks: list[dict], reported: QuestionTerms, steps: dict | None) -> dict | None:
    """The page's troubleshooting section (the highest heading naming it; meta.added "checks") when it
    covers more of `reported` than `steps` (the page's procedure) does; None otherwise. `steps` that troubleshoot already ("排查步骤") are the answer: None."""
    if reported.total <= 0 or steps is None or _CHECKS_HEAD.search(" ".join(steps.get("heading_path") or [])):
        return None
    best: tuple[float, dict] | None = None
    seen: set[tuple[str, ...]] = set()
    for path, _ in sections_in_order(doc_chunks):
        top = next((path[:d] for d in range(1, len(path) + 1)
                    if _CHECKS_HEAD.search(path[d - 1]) and not _QUESTION_HEAD.search(path[d - 1])), None)
        if top is None or tuple(top) in seen:
            continue
        seen.add(tuple(top))
        section = subtree(anchor, doc_chunks, top, added="checks")
        if section is None:
            continue
        score = coverage(reported, _text(section))
        if best is None or score > best[0]:
            best = (score, section)
    if best is None or best[0] <= coverage(reported, _text(steps)):
        return None
    return best[1]


def mark_checks(passages: list[dict], section: dict) -> bool:
    """Mark the evidence passage that is `section` (retrieval found it itself) as the troubleshooting
    section (meta.added "checks", read by graph/section_answer.checks_after); False when none is."""
    found = [i for i, p in enumerate(passages) if section_key(p) == section_key(section)]
    for i in found[:1]:
        passages[i] = {**passages[i], "meta": {**(passages[i].get("meta") or {}), "added": "checks"}}
    return bool(found)


TITLED_SHARE = 0.5
"""Share of the reported Latin words (by weight) a section heading must name to be the pasted message's entry."""


def pasted_pairs(question: str) -> set[str]:
    """Pairs of consecutive Latin words of the message ("You are in emergency mode" -> "emergency mode",
    …): a heading holding one quotes the message, not two words the user wrote apart ("coredns 俩 pod")."""
    out: set[str] = set()
    for run in re.findall(r"[a-z][\w.-]*(?:\s+[a-z][\w.-]*)+", question.lower()):
        words = run.split()
        out |= {f"{a} {b}" for a, b in zip(words, words[1:]) if len(a) > 2 or len(b) > 2}
    return out


def titled_section(anchor: dict, doc_chunks: list[dict], reported: QuestionTerms, question: str,
                   skip: set[tuple]) -> dict | None:
    """The section (meta.added "focus") whose last heading quotes the message the user pasted (a pair of
    its consecutive Latin words) and names TITLED_SHARE of the Latin words reported; the best such, or None."""
    pairs = pasted_pairs(question)
    latin = QuestionTerms({t: w for t, w in reported.weights.items() if re.fullmatch(r"[a-z][a-z0-9_.-]*", t)})
    if not pairs or latin.total <= 0:
        return None
    best: tuple[float, list[str]] | None = None
    for path, _ in sections_in_order(doc_chunks):
        if not path or (anchor.get("source"), tuple(path)) in skip:
            continue
        head = " ".join(re.sub(r"[`*\"“”]", " ", path[-1].lower()).split())
        score = coverage(latin, head)
        if score >= TITLED_SHARE and any(p in head for p in pairs) and (best is None or score > best[0]):
            best = (score, path)
    return subtree(anchor, doc_chunks, best[1], added="focus") if best is not None else None
