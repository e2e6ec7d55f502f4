"""A how-to asking to fix a fault gets the page's solution, not its diagnosis steps.

"mysql 连接数满了 怎么先救急", "pod 一直 pending 咋扩容", "只读库老是落后主库 咋处理": the page that
answers is a troubleshooting page (现象 / 可能原因 / 排查步骤 / 解决方法). Its numbered checks are a
procedure, so a how-to was answered with them (or with the causes list), and the fix the user asked
for — the page's solution section — was never shown: a fragment, often under the "partial match"
hedge. Here:

- `asks_fix(question, doc, names)`: the question asks how to do something (an asking word: 怎么, 咋,
  如何…) on a page with both a causes section and a solution section, and the asked action is not what
  one of the page's other headings does ("怎么排查" is the page's 排查步骤, "怎么确认" its "1. 确认…" step):
  those asks keep the checks. The page's own headings decide, not a list of verbs. A question naming a
  thing beyond the page's title ("空 Referer 被拒绝怎么办") asks about one cause: the lines naming it answer.
  Only a new question, or a follow-up asking nothing but the fix (`asks_bare_fix`: "怎么补"): another
  follow-up asks about a part of the answer it follows.
- `remedy(anchor, doc, evidence)`: the solution part that answers — the section of the solution
  part the evidence already holds, else the solution section's first part (graph/doc_sections
  .solution_section's rule, read by the top heading: "解决方法 > 紧急止血"), marked `meta.remedy` so that graph/doc_order puts it first
  and graph/extractive gives it whole, as it gives a procedure.

`problem_text`: what a cited section of such a page is judged with for the "partial match" hedge
(graph/nodes/verify): the page's problem, which its causes and fixes do not restate.

Used by graph/evidence.build_evidence and graph/nodes/verify; tested in tests/graph/test_fix_asked.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.doc_sections import _QUESTION_HEAD, _SOLUTION_HEAD, causes_section, subtree
from graph.doc_units import sections_in_order
from graph.hedge_terms import named_only
from graph.relevance import QuestionTerms, found

_ASK_WORD = r"(?:怎么|怎样|如何|咋)(?:样|么)?(?:才能|可以|能|去|来|要|进行)?"
"""An asking word with its modal ("怎么才能", "咋去"): the action asked follows it."""
_ASKING = re.compile(_ASK_WORD + r"([\u4e00-\u9fff]{1,2})")
_NAMED = re.compile(r"[a-z0-9]", re.I)
_OBSERVE = re.compile(r"看|查|测|验|判断|区分|确认|定位|知道")
"""Asked actions that observe rather than change (看, 查, 确认…): a diagnosis asked, not the fix."""
_GENERIC_HEAD = re.compile(r"相关|参考|现象|概述|简介")
"""Headings that do nothing (links, the symptom restated): no ask is answered by them."""


def in_solution(path: Sequence[str], title: str = "") -> bool:
    """Under the page's solution section: its top heading is one ("解决方法 > 紧急止血"); a check step
    that handles something ("排查步骤 > 6. 处理主机指纹变化") is one of the checks."""
    top = next((h for h in path if h and h != title), "")
    return bool(_SOLUTION_HEAD.search(top)) and not _QUESTION_HEAD.search(top)


def names_beyond(terms: QuestionTerms, title: str) -> list[str]:
    """The things the question names in Latin letters or digits (a header, a protocol, a setting, a code)
    that the page's product and title do not."""
    low = (title or "").lower()
    return [t for t in named_only(terms) if _NAMED.search(t) and not found(t, low)]


_BARE_FIX = re.compile(r"^(?:那么?|这个|那个|那这个|所以)?\s*(?:该|应该|要|得)?" + _ASK_WORD
                       + r"[\u4e00-\u9fff]{1,2}(?:呢|啊|呀)?[？?。！!\s]*$")
"""A message that is an asking word and its action alone ("怎么补", "那咋办", "该怎么解决"): it names no part."""


def asks_bare_fix(message: str) -> bool:
    """A follow-up that asks only how to fix ("…链不完整是啥意思" -> "怎么补"): it names no part of the previous
    answer nor a thing of its own, so it asks the fix of the thread's problem, as a new question would; one
    naming something ("以后清日志应该咋清", "连接池该怎么配") asks about that part."""
    return bool(_BARE_FIX.match((message or "").strip()))


def asks_fix(question: str, doc: Sequence[dict], names: Sequence[str] = ()) -> bool:
    """The question asks how to fix the fault of a troubleshooting page (module docstring); one naming a
    thing beyond the page's title (`names`: "空 Referer 被拒绝怎么办", "CredSSP 报错咋办") asks about that
    cause, which the lines naming it answer, not the whole solution section."""
    m = _ASKING.search(question or "")
    if m is None or not doc or names:
        return False
    title = str(doc[0].get("title") or "")
    paths = [path for path, _ in sections_in_order(list(doc))]
    if not any(in_solution(path, title) for path in paths) or causes_section({}, list(doc)) is None:
        return False
    action = m.group(1)
    if _OBSERVE.match(action):  # "怎么看服务器发了几张证书": a check asked, which the checks answer
        return False
    # an ask the page's checks or another section do by name ("排查", "确认", "查看") wants that section
    return not any(ch in h for path in paths if not in_solution(path, title) for h in path
                   if h != title
                   if not _GENERIC_HEAD.search(h) for ch in action)


_ASKED_ACTION = re.compile(_ASK_WORD + r"([\u4e00-\u9fff]{2})(?:呢|啊|呀)?[？?。！!\s]*$")
"""A question ending in an asking word and a two-character action ("…那怎么清理"): the action asked (group 1)."""


def _page_title(anchor: Mapping[str, Any], doc: Sequence[Mapping[str, Any]]) -> str:
    """The anchor's page title (the page's first chunk's when the anchor lacks it): solution headings sit below it."""
    return str(anchor.get("title") or (doc[0].get("title") if doc else "") or "")


def asked_action_part(question: str, anchor: dict, doc: list[dict]) -> dict | None:
    """The solution part whose own heading names the action the question ends by asking ("那怎么清理" ->
    "第二步：清理与回收空间", not the first part "第一步：…扩容"); None when no part names it."""
    match = _ASKED_ACTION.search(question or "")
    if match is None:
        return None
    title = _page_title(anchor, doc)
    path = next((p for p, _ in sections_in_order(doc) if in_solution(p, title) and match.group(1) in p[-1]), None)
    return subtree(anchor, doc, list(path), added="solution") if path else None


def remedy(anchor: dict, doc: list[dict], evidence: Sequence[Mapping[str, Any]], question: str = "") -> dict | None:
    """The passage of the solution part answering a fix asked (the part naming the action asked, else an
    evidence passage in it, else the solution section's first part), marked `meta.remedy`; None when the page
    has none."""
    source = anchor.get("source")
    held = next((p for p in evidence if p.get("source") == source and p.get("kind") != "faq"
                 and in_solution(p.get("heading_path") or [], p.get("title") or "")), None)
    named = asked_action_part(question, anchor, doc)
    found = named if named is not None else dict(held) if held is not None else _first_part(anchor, doc)
    if found is None:
        return None
    meta = {k: v for k, v in (found.get("meta") or {}).items() if k != "added"}  # a section of its own, not an addition
    return {**found, "meta": {**meta, "remedy": True}}


def _first_part(anchor: dict, doc: list[dict]) -> dict | None:
    """The solution section's first part ("解决方法 > 紧急止血", else the section itself): found by the top
    heading, so that a check step that handles something ("排查步骤 > 6. 处理主机指纹变化") is not taken for it."""
    title = _page_title(anchor, doc)
    path = next((p for p, _ in sections_in_order(doc) if in_solution(p, title)), None)
    if path is None:
        return None
    at = next(i for i, h in enumerate(path) if h and h != title)
    return subtree(anchor, doc, list(path[:at + 2]), added="solution")


_SYMPTOM_HEAD = re.compile(r"现象|症状|symptoms?\b", re.I)
"""The heading of a troubleshooting page's section restating the problem it is about."""


def problem_text(passage: Mapping[str, Any], page: Callable[[Mapping[str, Any]], Sequence[Mapping[str, Any]]],
                 reported: bool = True) -> str:
    """The words a cited section is judged with besides its own, for the "partial match" hedge: a
    troubleshooting page is about one problem, which its causes, checks and fixes do not restate. The
    solution given for a fix asked (`meta.remedy`) is read with its whole page; another section of a page
    with a symptom section ("现象") with that section, where the page says the problem the user reports
    in its own words ("外面访问还是超时"), when the question reports a problem (`reported`: a value asked
    about the page's subject is another thing's value where the section does not say it). "" for a page
    without one, and for a FAQ entry. `page` reads the passage's page, only when its text is used."""
    remedy = bool((passage.get("meta") or {}).get("remedy"))
    if passage.get("kind") == "faq" or not (remedy or reported):
        return ""  # nothing of the page is used: it is not read
    doc = page(passage)
    if remedy:
        return " ".join(str(c.get("text") or "") for c in doc)
    own = list(passage.get("heading_path") or [])
    return " ".join(str(c.get("text") or "") for c in doc if (c.get("heading_path") or [])[:1] != own[:1]
                    and any(_SYMPTOM_HEAD.search(h) for h in (c.get("heading_path") or [])[:1]))
