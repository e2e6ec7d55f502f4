"""A page's troubleshooting section, for a problem reported on a how-to page (graph/evidence.py).

A symptom question whose page has no causes section was answered with the page's procedure — its
setup steps ("创建 NAT 网关 → 配置 SNAT → 配置路由") — even when the page also has a section that
troubleshoots ("排查：实例仍然无法访问外网", "排查路由问题") whose checks name the user's own symptom
("`yum install` … 卡住", "对等连接只能单向通 | 只有一端添加了路由"). `checks_section` finds that
section when it names more of what the user reported (beyond the page's title and the words most of
the page shares) than the procedure does: the user has a fault, not a setup to do.
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
