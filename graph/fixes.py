"""The fix for the cause an answer names, from the page's table of fixes by cause (issue 12).

A troubleshooting page lists what causes a problem and, in its own table ("解决方法":
原因 | 处理), what to do about each cause. Evidence adds that table for a cause or symptom
question (graph/evidence.fixes_section, meta.added "fix"), or retrieval found it itself
(`is_fix_table`); `fix_rows` picks the rows whose
cause (first cell) the question, the answer's lines on what is asked, or a check's verdict shown
("…，说明主机不匹配") name: at least
NAMED_CAUSE of the cause's words, close to the best row; none when more than MAX_FIXES do
(the answer lists every cause: their fixes would pad it). When none does, the page worded the cause
otherwise ("接口耗时超过 60 秒" for "后端在 60 秒内没有返回响应"): the one row clearly closest to the
asked lines (`clear_winner`) follows, in the room left. A question asking what to do about the
problem ("…咋办") over the page's numbered solution list gets that list from its first item
(`fixes_in_order`). Used by graph/extractive.py;
tested in tests/graph/test_extractive.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_units import Unit
from graph.paragraphs import grams
from graph.relevance import QuestionTerms, coverage
from graph.section_answer import section_units

FIX_ROOM = 160
"""Characters the fix for a cause the answer names may add beyond the type's budget."""
NAMED_CAUSE = 0.6
"""Share of a fix row's cause (its first cell) the answer or question must name for the row to follow."""
MAX_FIXES = 2
"""Rows at most: more matching rows mean the answer names every cause."""
CLEAR_CAUSE = 0.25
"""Share of its cause a row must still hold to follow as the one row the answer's cause is closest to."""
CLEAR_MARGIN = 2.0
"""How many times the next row's share the closest row's must be: a near tie names no cause."""


_SOLUTION_HEAD = re.compile(r"解决|处理|恢复|办法|方案|solution|fix", re.I)
"""A section heading that says what to do (as graph/doc_sections reads a page's fixes section)."""


def is_fix_table(passage: Mapping[str, Any]) -> bool:
    """The page's table of fixes by cause: the one evidence added for that (meta.added "fix"), or the
    same section retrieval found itself (a "解决方法" heading over two table rows or more)."""
    if (passage.get("meta") or {}).get("added") == "fix":
        return True
    heads = passage.get("heading_path") or []
    if passage.get("kind") == "faq" or not heads or not _SOLUTION_HEAD.search(heads[-1]) \
            or re.search(r"[？?][\s`]*$", heads[-1]):
        return False
    return sum(1 for u in section_units(passage) if u.kind == "row") >= 2


_CONCLUDES = re.compile(r"(?:说明|表明|意味着|多半是)(?:是|为)?\s*([^，,。；;：:]{2,24})")
"""A check's verdict ("若查询结果只有 `localhost`，说明主机不匹配。"): the cause it names is the one found."""


def _grams(text: str) -> set[str]:
    return set(grams(text, r"[a-z0-9_.]{2,}"))  # dotted names (my.cnf) stay one word


def fix_rows(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]], question: str,
             terms: QuestionTerms) -> list[tuple[int, list[Unit], bool]]:
    """(passage number, its rows to add, whether they get FIX_ROOM beyond the budget) for each fixes
    table among the passages (module docstring); rows only a check's verdict names fit the room left."""
    covers = [(coverage(terms, u.text), u.text) for m, u in picked
              if (passages[m - 1].get("meta") or {}).get("added") != "fix"]
    top = max((c for c, _ in covers), default=0.0)
    asked = [question] + [text for c, text in covers if c > 0 and c >= 0.9 * top]  # the lines on what is asked
    have = _grams(" ".join(asked))
    verdicts = _grams(" ".join(m for _, u in picked for m in _CONCLUDES.findall(u.text)))  # a check's verdict
    out: list[tuple[int, list[Unit], bool]] = []
    for n, p in enumerate(passages, 1):
        if not is_fix_table(p):
            continue
        units = section_units(p)
        shares, verdict, room = {}, {}, True
        for i, u in enumerate(units):
            cause = _grams(next(iter(u.cells.values()), "")) if u.kind == "row" else set()
            if cause and not any(u.text == x.text for _, x in picked):
                shares[i] = len(cause & have) / len(cause)
                verdict[i] = len(cause & verdicts) / len(cause)
        best = max(shares.values(), default=0.0)
        picks = [i for i, share in shares.items() if share >= NAMED_CAUSE and share >= best - 0.15]
        if not picks:  # the cause a check concluded ("…，说明主机不匹配"): its fix, in the room left
            found = max(verdict.values(), default=0.0)
            picks = [i for i, share in verdict.items() if share >= NAMED_CAUSE and share >= found - 0.15]
            room = False
        if not picks:  # a cause worded otherwise ("接口耗时超过 60 秒" for "后端在 60 秒内没有返回响应")
            picks, room = clear_winner(shares, {i: len(_grams(next(iter(units[i].cells.values()), ""))
                                                     & have) for i in shares}), False
        if picks and len(picks) <= MAX_FIXES:
            out.append((n, [units[i] for i in sorted(picks)], room))
    return out


def clear_winner(shares: Mapping[int, float], common: Mapping[int, int]) -> list[int]:
    """The one row whose cause the asked lines come closest to, when no other comes near: at least
    CLEAR_CAUSE of its cause and two of its words named, CLEAR_MARGIN times the next row's share."""
    ranked = sorted(shares, key=lambda i: -shares[i])
    if not ranked or shares[ranked[0]] < CLEAR_CAUSE or common[ranked[0]] < 2:
        return []
    runner_up = shares[ranked[1]] if len(ranked) > 1 else 0.0
    return [ranked[0]] if shares[ranked[0]] >= CLEAR_MARGIN * runner_up else []


_ASKS_FIX = re.compile(r"怎么办|咋办|咋整|咋弄|咋搞|怎么处理|如何处理|怎么解决|如何解决|怎么处置|如何处置|怎么修复|如何修复")
"""A question asking what to do about a problem it reports ("java 进程老被 oom killer 干掉 咋办")."""


def fixes_in_order(passage: Mapping[str, Any], question: str) -> list[Unit] | None:
    """The page's numbered list of fixes ("解决方法：1. **临时止血** … 2. **升级规格** …") from its first
    item, for a question asking what to do about the problem: the fixes come in the page's order (what
    to do first, first), not the one item sharing a word with the question. None when the passage is no
    such list or the question asks something else."""
    heads = passage.get("heading_path") or []
    if not _ASKS_FIX.search(question) or passage.get("kind") == "faq" or not heads \
            or not _SOLUTION_HEAD.search(heads[-1]) or re.search(r"[？?][\s`]*$", heads[-1]):
        return None
    units = section_units(passage)
    tops = [u for u in units if u.kind == "item" and not u.depth]
    if len(tops) < 2 or any(u.number is None for u in tops) or units[0].kind not in ("item", "leadin", "sentence"):
        return None
    return units
