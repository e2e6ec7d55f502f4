"""A symptom that stays after the user's action is answered by the section the base names for that case.

    section = aftermath_section(question, pages, terms)     # None: the message reports no such case
    evidence = leading(evidence, section, MAX_EVIDENCE)     # (graph/nodes/select.py, first turns)

"重置密码以后 远程桌面还是提示凭据不工作", "加了 hint，用 mysql 命令行执行根本没起作用": the message reports an
action done (a clause in the perfective: 了 / 已经 / 过 / …以后) and, after it, what still fails (a later clause
saying it persists or fails: 还是, 仍, 却, 没起作用, graph/working_clause.FAILS). Retrieval weighs the action's words
as much as the symptom's, so the answer quotes the action's own steps (what the user did) or a short FAQ line on the
product. A knowledge base names such cases in headings of their own, in its words: "重置后仍然无法登录",
"…导致 Hint 不生效", "有 Pod 被抢占，但抢占者并没有被调度" — a heading carrying the aftermath sense (still after an
action, yet not, not taking effect: `AFTERMATH_HEAD`). Among the sections of the pages found (the evidence's and
the retrieved passages'), one whose heading carries that sense, whose heading names what the done
clause names (the action or its object; the page title names it for every section, so it does not count) and
whose heading or lines name what the failing clause names leads the evidence, whole; the one whose heading shares
most with the message first. Tested in tests/graph/test_aftermath.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from graph.doc_sections import MAX_SECTION_CHUNKS, SKIP_HEAD, section_key, subtree
from graph.doc_units import merge_texts, sections_in_order
from graph.evidence import is_on_topic
from graph.keyed_fix import marks
from graph.relevance import QuestionTerms
from graph.working_clause import FAILS

AFTERMATH_HEAD = re.compile(
    r"(?:后|以后|之后)\s{0,2}(?:仍|还|依然|照样|无法)|仍然|仍旧|依然|依旧|还是|照样|还没|仍未|"
    r"不生效|未生效|没有?生效|不起作用|没有?起作用|失效|没有?变化|但[^，,。]{0,12}?(?:没|不|未|无法)|却")
"""A heading naming what stays after an action ("刷新后仍然看到旧内容", "…导致 Hint 不生效", "有 Pod 被抢占，
但抢占者并没有被调度", "为什么配置了规则还没生效")."""
_STAYS_HEAD = re.compile(r"(?:后|以后|之后)\s{0,2}(?:仍|还|依然|照样|无法)|仍然|仍旧|依然|依旧|还是|照样|还没|仍未")
"""A heading saying the state stays after the action ("刷新后仍然看到旧内容"): between headings naming as much of the
message, it treats the case before one whose "失效" is the action's own purpose ("刷新：让旧缓存失效")."""
_PARTS = re.compile(r"[，,。；;！!？?\n]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|(?<=以后|之后)|"
                    r"(?<=了)(?=还是|仍|依然|依旧|照样|却|还没|一直|都没)")
"""Where a message's clauses part (after "…以后" closing a done action too, and "刷新了|还是旧的" written
without a comma)."""
_DONE = re.compile(r"了(?![吗么嘛解])|已经|^已|过(?=[^\u4e00-\u9fff]|$)|以后|之后|[好完]后")
"""A clause reporting an action done."""
_UNDONE = re.compile(r"[没未不]|无法")
"""A done clause negated ("还没收到") reports no action done."""
PERSISTS = re.compile(r"还是|仍|依然|依旧|照样|却|但|还没|一直|都没|[没不](?:起作用|生效|工作|管用)|没效果|没变|没用")
"""A clause saying what persists after the action, or that it took no effect."""
STILL = re.compile(f"{PERSISTS.pattern}|{FAILS.pattern}")
"""A clause saying what persists or fails after the action (a status code counts)."""
_FUNCTION = re.compile(r"已经|还是|仍然|依然|以后|之后|但是|可是|为什么|怎么|什么|如何|导致|没有|不是|问题|排查")
"""Words every such message or heading may hold: they name no case."""
HEAD_MIN = 2
"""Marks the heading (with its page title) must share with the message to name its case."""
AFTERMATH_PAGES = 4
"""Distinct pages (the evidence's, then the retrieved passages') whose sections are looked at."""
TEXT_MIN = 2
"""Marks of the failing clause a section's lines must hold (one in its heading counts for all) to treat it."""


def persisting(question: str) -> tuple[str, str] | None:
    """(the done clauses, the clauses after them) when the message reports an action done and then what
    still fails; None otherwise."""
    parts = [p.strip() for p in _PARTS.split((question or "").lower()) if p and p.strip()]
    done_at = next((i for i, p in enumerate(parts) if _DONE.search(p) and not _UNDONE.search(p)
                    and not PERSISTS.search(p)), None)
    if done_at is None:
        return None
    after = [p for p in parts[done_at + 1:] if STILL.search(p)]
    if not after:
        return None
    return " ".join(parts[:done_at + 1]), " ".join(parts[done_at + 1:])


def without_done(question: str) -> str:
    """The message less its done clauses, when it reports an action done and a symptom after it: how to do
    that action is not asked (the user did it); the message as it is otherwise."""
    read = persisting(question)
    return question if read is None else read[1]


_PARTICLE = re.compile(r"[的了呢吗啊呀吧地得]")
"""Particles around a one-character word ("还是旧的": 旧)."""


def _pairs(text: str) -> set[str]:
    """Character pairs (and Latin words) of the text without its function words."""
    return marks(_FUNCTION.sub(" ", text or ""))


def _marks(text: str) -> set[str]:
    """The text's pairs, and a one-character word left alone ("旧")."""
    plain = _FUNCTION.sub(" ", text or "")
    singles = {run for run in re.findall(r"[\u4e00-\u9fff]+", _PARTICLE.sub(" ", plain)) if len(run) == 1}
    return _pairs(text) | singles


def _written(text: str) -> set[str]:
    """What a heading or a section's lines hold: its marks and each of its characters (a one-character
    word of the message is found in "看到旧内容")."""
    return _marks(text) | set(re.findall(r"[\u4e00-\u9fff]", text or ""))


Section = tuple[dict, list[str], list[dict], list[dict]]
"""(a passage of the page, the section's heading path, its own chunks, the page's chunks)."""


def _candidates(pages: Iterable[tuple[Mapping[str, Any], list[dict]]]) -> list[Section]:
    """The sections of the pages whose heading carries the aftermath sense."""
    out = []
    for page, chunks in pages:
        for path, own in sections_in_order(chunks):
            if path and AFTERMATH_HEAD.search(path[-1]) and not SKIP_HEAD.search(" ".join(path)):
                out.append((dict(page), list(path), own, chunks))
    return out


def aftermath_section(question: str, pages: Sequence[tuple[Mapping[str, Any], list[dict]]],
                      terms: QuestionTerms) -> dict | None:
    """The section (whole, as one evidence passage) treating the case the message reports (module docstring);
    None when the message reports no action done and a symptom after it, or no section names that case."""
    read = persisting(question)
    if read is None:
        return None
    done, failing = _pairs(read[0]), _marks(read[1])  # a lone character names only what stays
    asked = done | failing
    best: tuple[int, bool, int] | None = None
    chosen: dict | None = None
    for page, path, chunks, doc in _candidates(pages):
        head = _written(path[-1])
        named = _written(f"{path[-1]} {page.get('title') or ''}")
        text = _written(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]))
        seen = len(head & failing) * TEXT_MIN + len(text & failing)  # what still fails, in its heading or its lines
        if not (head & done) or seen < TEXT_MIN or len(named & asked) < HEAD_MIN:
            continue  # names neither the action nor what still fails after it
        found = subtree(page, doc, path, added="aftermath", done=read[0])
        if found is None or not is_on_topic(terms, found):
            continue
        score = (len(head & asked), bool(_STAYS_HEAD.search(path[-1])), seen)
        if best is None or score > best:
            best, chosen = score, found
    return chosen


def pages_of(passages: Sequence[Mapping[str, Any]], chunks_of: Callable[[Mapping[str, Any]], list[dict]],
             limit: int) -> list[tuple[dict, list[dict]]]:
    """(passage, its page's chunks) for the first `limit` distinct pages of `passages` (most relevant first;
    FAQ entries are no page)."""
    out: list[tuple[dict, list[dict]]] = []
    seen: set[str] = set()
    for p in passages:
        source = str(p.get("source") or "")
        if p.get("kind") == "faq" or not source or source in seen:
            continue
        seen.add(source)
        chunks = chunks_of(p)
        if chunks:
            out.append((dict(p), chunks))
        if len(out) >= limit:
            break
    return out


_STEPS = ("procedure", "alternative")
"""Evidence roles giving a page's steps (graph/evidence.py): on the section's page, the action the user did."""


def _doing(passage: Mapping[str, Any], section: Mapping[str, Any]) -> bool:
    """A passage of the section's page giving its steps, or headed with the action both the done clause and the
    section's heading name (the section doing it: "刷新：让旧缓存失效" beside "刷新后仍然看到旧内容")."""
    meta = passage.get("meta") or {}
    if passage.get("source") != section.get("source"):
        return False
    heads, own = list(passage.get("heading_path") or []), list(section.get("heading_path") or [""])
    done = _marks(str((section.get("meta") or {}).get("done") or "")) & _marks(own[-1])
    return bool(meta.get("procedure")) or meta.get("added") in _STEPS or bool(heads and _marks(heads[-1]) & done)


def leading(evidence: Sequence[dict], section: dict | None, room: int) -> list[dict]:
    """The evidence (most relevant LAST) led by `section`: its own copy, any passage it holds and its page's
    steps (the action done) dropped; at most `room` passages, the least relevant page sections left out first."""
    if section is None:
        return list(evidence)
    held = set((section.get("meta") or {}).get("chunks") or [])
    key = section_key(section)
    rest = [p for p in evidence if section_key(p) != key and not _doing(p, section)
            and not (p.get("kind") != "faq" and set((p.get("meta") or {}).get("chunks") or [p.get("chunk_id")]) <= held)]
    while len(rest) >= room > 0:  # the least relevant page section gives way first: a FAQ line may answer the case too
        rest.remove(next((p for p in rest if p.get("kind") != "faq"), rest[0]))
    return [*rest, section]
