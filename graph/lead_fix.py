"""The fix for the cause that leads: a cause or symptom answer whose line names one cause is followed by
what the page says to do about that cause, right after it.

A symptom report ("ssh 提示 connection refused", "cdn https 回源 源站只开了 80") is answered by one row or
item of the page's causes (graph/answer_lead.py puts it first), while the page's fix section treats each
cause in its own row or item ("sshd 未运行或端口被修改 | VNC 登录后 `systemctl restart sshd`", "修正回源协议和
端口：…把回源协议改为 HTTP"). The fix table's cause cell is often worded otherwise than the causes list
(graph/fixes.py finds no row), and the page's first solution step (graph/answer_draft.add_solution) is about
another cause. Here each case of the page's fix sections (a table row, a top-level item with what is nested
under it) is compared with the leading line by its words found in no other case of that section
(`distinct_shared`): the case sharing at least MIN_SHARED of them, CLEAR_MARGIN times as many as any other,
is the fix for that cause. Used by graph/extractive.py; tested in tests/graph/test_lead_fix.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.answer_draft import AnswerDraft
from graph.answer_lead import CASE_LINES
from graph.doc_sections import is_solution_heading
from graph.doc_units import Unit
from graph.fixes import FIX_ROOM
from graph.padding import FIX_ADDED, HELD_SHARE, asked_beyond_topic, holding_line
from graph.paragraphs import grams
from graph.relevance import QuestionTerms, coverage
from graph.section_answer import section_units

MIN_SHARED = 2
"""Words (found in no other case of its section) a fix case must share with the leading line."""
CLEAR_MARGIN = 2
"""How many times the next case's shared words the fix case's must be: a near tie names no fix."""


def is_fix_section(passage: Mapping[str, Any]) -> bool:
    """A document section giving the page's fixes: evidence added as such, or under a solution heading."""
    meta = passage.get("meta") or {}
    return passage.get("kind") != "faq" and (meta.get("added") in FIX_ADDED
                                             or any(is_solution_heading(h) for h in passage.get("heading_path") or []))


def cases(units: Sequence[Unit]) -> list[list[Unit]]:
    """The section's cases: each table row, each top-level item with the units nested under it (its
    sub-items, its command)."""
    out: list[list[Unit]] = []
    open_item = False  # the last case is an item that what follows may be nested under
    for u in units:
        if u.kind == "row" or (u.kind == "item" and not u.depth):
            out.append([u])
            open_item = u.kind == "item"
        elif open_item and (u.depth or u.kind == "code"):
            out[-1].append(u)
        else:
            open_item = False  # a sentence or lead-in between cases ends the item before it
    return out


def distinct_shared(line: str, found: Sequence[list[Unit]]) -> list[int]:
    """For each case, how many of its words the line names that no other case of the section has."""
    words = [_words(" ".join(u.text for u in case)) for case in found]
    have = _words(line)
    out = []
    for i, own in enumerate(words):
        others = set().union(*(w for j, w in enumerate(words) if j != i)) if len(words) > 1 else set()
        out.append(len((own - others) & have))
    return out


def _words(text: str) -> set[str]:
    return set(grams(text, r"[a-z0-9_.]{2,}"))  # dotted names (my.cnf) stay one word, as graph/fixes.py reads them


def fix_for_lead(passages: Sequence[Mapping[str, Any]], lead: tuple[int, Unit]) -> tuple[int, list[Unit]] | None:
    """(passage number, the case's units) of the one fix case of the leading line's page that clearly treats
    its cause (module docstring), or None."""
    source = passages[lead[0] - 1].get("source")
    scored: list[tuple[int, int, list[Unit]]] = []
    for n, p in enumerate(passages, 1):
        if p.get("source") != source or not is_fix_section(p):
            continue
        found = cases(section_units(p))
        scored.extend((share, n, case) for share, case in zip(distinct_shared(lead[1].text, found), found))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    best, runner_up = scored[0][0], scored[1][0] if len(scored) > 1 else 0
    if best < MIN_SHARED or best < CLEAR_MARGIN * runner_up:
        return None
    return scored[0][1], scored[0][2]


def add_lead_fix(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms) -> bool:
    """The fix for the cause the answer's holding line names (`fix_for_lead`) follows that line's block: the
    blocks after the line naming no other thing asked are left out first (`_past_the_cause`), then the fix is
    moved there when the answer shows it, else added in FIX_ROOM beyond what the answer uses; True when it is there."""
    first = holding_line(passages, answer.picked, terms)
    if first is None or answer.picked[first][1].kind not in CASE_LINES:
        return False
    fix = fix_for_lead(passages, answer.picked[first])
    if fix is None:
        return False
    lead_group = answer.groups[first]
    texts = {u.text for u in fix[1]}
    if any(u.text in texts for (_, u), g in zip(answer.picked, answer.groups) if g == lead_group):
        return False  # the leading block is its own fix
    held = " ".join([u.text for (_, u), g in zip(answer.picked, answer.groups) if g == lead_group] + sorted(texts))
    answer.drop(_past_the_cause(answer, passages, terms, lead_group, texts, held))
    fix_groups = {g for (_, u), g in zip(answer.picked, answer.groups) if u.text in texts}
    if not fix_groups:
        before = len(answer.picked)
        answer.budget = max(answer.budget, answer.used + FIX_ROOM)
        answer.add(*fix)
        fix_groups = set(answer.groups[before:])
        if not fix_groups:
            return False
    lead = [i for i, g in enumerate(answer.groups) if g == lead_group]
    fixing = [i for i, g in enumerate(answer.groups) if g in fix_groups]
    rest = [i for i in range(len(answer.picked)) if i not in set(lead) | set(fixing)]
    at = len([i for i in rest if i < lead[0]])  # what came before the lead stays before it
    order = rest[:at] + lead + fixing + rest[at:]
    answer.picked = [answer.picked[i] for i in order]
    answer.groups = [answer.groups[i] for i in order]
    return True


def _past_the_cause(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms,
                    lead_group: int, fix_texts: set[str], held: str) -> set[int]:
    """The picked units (indices) of the blocks after the leading cause, but its fix, that name nothing asked
    the cause and its fix (`held`) lack: once the agent reads the cause and what to do about it, the other
    causes, their checks and fixes pad it."""
    asked = asked_beyond_topic(terms, passages, answer.picked)
    start = min(i for i, g in enumerate(answer.groups) if g == lead_group)
    drop: set[int] = set()
    for group in set(answer.groups[start:]) - {lead_group}:
        members = [i for i, g in enumerate(answer.groups) if g == group]
        if any(answer.picked[i][1].text in fix_texts for i in members):
            continue
        text = " ".join(answer.picked[i][1].text for i in members)
        added = _adds(asked, text, held)
        if added < ADDS_SHARE and not (added > 0 and _applies_fix(passages, [answer.picked[i] for i in members])):
            drop.update(members)
    return drop


def _applies_fix(passages: Sequence[Mapping[str, Any]], block: Sequence[tuple[int, Unit]]) -> bool:
    """A command or setting of the page's fix section outside its cases ("一个简单的 Nginx 健康检查接口：" and
    its snippet under the fixes table): how to apply a fix, kept when it names anything asked."""
    n, first = block[0]
    return is_fix_section(passages[n - 1]) and first.kind not in CASE_LINES and any(u.kind == "code" for _, u in block)


ADDS_SHARE = HELD_SHARE
"""Share of what is asked beyond the pages' topic a block must add to the cause and its fix to stay after them:
as much as a line must cover to hold what is asked (another thing asked); a word or two of the report ("访问",
"event 里") names no other thing asked."""


def _adds(asked: QuestionTerms, text: str, held: str) -> float:
    """The share of what is asked the text names that the held lines do not."""
    return coverage(asked, f"{held} {text}".lower()) - coverage(asked, held.lower())
