"""The section describing what the user already did is not the answer: the section on what they ask is.

    anchor = undone_anchor(anchor, doc_chunks, candidates, "镜像已经建好了，怎么共享给另一个账号用")

"自定义镜像已经做好了，怎么…", "cors 规则在控制台已经加好了，怎么验证它配对没有": the message names the done
action, so retrieval ranks the page's section doing it ("创建自定义镜像", "方式一：控制台") first, and the
reply tells the user to do what they did. The message's clauses are read apart (graph/asked_clause.clauses):
a *done* clause reports an action in the past or perfective (了 / 过 / 已经 / 都…了, not negated: "还没收到"
is not done); the *asked* clauses are the asking ones and those saying what still fails ("还是连不上").
A section is the done one when its first lines hold the clause's verb character (after 已经, or before
好 / 完 / 上 / 到 / 了 / 过: "建好了" → 建), its heading names something the clause names (a CJK character
bigram or a Latin word: 镜像), and its heading and first lines share more with the done clause than with
the asked ones. A heading naming a problem, a question or what follows an action ("请求被拒绝",
"重置后仍然无法登录") is never the action; nor is a page's intro, nor a procedure of step headings
(graph/done_steps.py skips its done step). When the anchor is the done section — or is the intro of a page one
of whose headings names it — the section of its page (or, for a done section, of another retrieved page) sharing
the most with the asked clauses answers instead, a section after the done one first on a tie; for a how-to
asking nothing a heading names, the next section in document order. Only how-to, cause and symptom
questions (a value asked reports no step). Used by graph/evidence.build_evidence, which also leaves out the
page's other done sections; tested in tests/graph/test_done_section.py.
"""

from __future__ import annotations

import re
from typing import Sequence

from graph.asked_clause import clauses
from graph.cues import ASKS
from graph.doc_sections import SKIP_HEAD, section_key, subtree
from graph.doc_units import sections_in_order
from graph.working_clause import FAILS

_PERFECTIVE = re.compile(r"了(?![吗么嘛解])|已经|^已|过$|过(?=[^\u4e00-\u9fff]|$)|[好完]后|以后|之后")
"""A clause reporting an action done (graph/done_steps reads the same marks)."""
_NEGATED = re.compile(r"[没未不]|无法")
"""A clause saying the action was not done or did not work ("还没收到", "挂不上")."""
_MARKS = re.compile(r"已经|早就|早已|都|也|已|[好完过]了|过|了|以后|之后")
"""Marks of doneness, not part of what was done."""
_VERB = re.compile(r"(?:已经|早就|已|都)\s*([\u4e00-\u9fff])|([\u4e00-\u9fff])(?:[好完上到]|(?=了|过))")
"""The done action's character: the one after 已经 ("已经传到"), or before 好 / 完 / 上 / 到 / 了 / 过
("加好了", "挂到", "放行过了")."""
_PREPOSITIONS = set("在把给从被用将对向往于")
"""Characters after 已经 that are no action ("已经在控制台挂上了")."""
_AFTERMATH = re.compile(r"后|仍然|仍|还是|依然|照样")
"""A heading about what follows an action ("重置后仍然无法登录", "刷新后仍然看到旧内容"), never the action."""
_PROBLEM = re.compile(f"{FAILS.pattern}|[未不错]|问题|拒绝")
"""A heading naming a problem or asking ("请求被 Envoy 拒绝", "集群不会自动缩小"): a report's match, never an action."""
ANSWERED = ("howto", "symptom", "cause")
"""Question types whose done clauses are steps taken (a value or a meaning asked reports no step)."""
_UNIT = re.compile(r"[a-z0-9][a-z0-9_.-]+|[\u4e00-\u9fff]+")
DONE_MIN = 2
"""Units a section's heading and first lines must share with a done clause to be the done section."""
LEAD_CHARS = 120
"""How much of a section's text, after its heading, says what it does."""


def _units(text: str) -> set[str]:
    """CJK character bigrams and Latin words of the text, lower-cased."""
    out: set[str] = set()
    for run in _UNIT.findall((text or "").lower()):
        if run.isascii():
            out.add(run)
        else:
            out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def done_and_asked(question: str) -> tuple[list[str], list[str]]:
    """The message's done clauses and its asked clauses (asking, or saying what still fails)."""
    asking, context = clauses(question)
    done = [c for c in context if _PERFECTIVE.search(c) and not _NEGATED.search(c)]
    still = [c for c in context if c not in done]
    return done, [*asking, *still]


def _verbs(clause: str) -> set[str]:
    return {a or b for a, b in _VERB.findall(clause)} - _PREPOSITIONS


def _face(passage: dict) -> str:
    """What a section says it does: its last heading and first lines."""
    heads = list(passage.get("heading_path") or [])
    return f"{heads[-1] if heads else ''} {(passage.get('text') or '')[:LEAD_CHARS]}".lower()


def _done_score(face: str, head: str, done: list[str], titled: bool = False) -> int:
    """Units shared with the done clause naming the section's action most, counting its verb; 0 unless the
    section holds the clause's verb (in its heading, when `titled`) and its heading one of the clause's
    other units (what was acted on)."""
    units = _units(face)
    best = 0
    for c in done:
        own = _units(_MARKS.sub(" ", c))
        shared, verbs = len(own & units), sum(v in (head if titled else face) for v in _verbs(c))
        if verbs and own & _units(head):
            best = max(best, shared + verbs)
    return best


def _asked_score(face: str, asked: list[str]) -> int:
    return len(_units(" ".join(ASKS.sub(" ", c) for c in asked)) & _units(face))


def is_done(passage: dict, done: list[str], asked: list[str], titled: bool = False) -> bool:
    """The section does what a done clause reports, more than it treats what is asked (module docstring);
    `titled`: its heading names the action ("上传证书" for "证书已经传到…了")."""
    if not done:
        return False
    face = _face(passage)
    heads = list(passage.get("heading_path") or [])
    if not heads or (passage.get("meta") or {}).get("procedure"):
        return False  # a page's intro is the page, and a procedure of step headings skips its done step itself
    if _AFTERMATH.search(heads[-1]) or _PROBLEM.search(heads[-1]) or ASKS.search(heads[-1]):
        return False
    score = _done_score(face, heads[-1].lower(), done, titled)
    return score >= DONE_MIN and score > _asked_score(face, asked)


def done_already(passage: dict, question: str, qtype: str = "howto", titled: bool = False) -> bool:
    """The section (a page's procedure, say) is what the message reports done, and the message asks more."""
    done, asked = done_and_asked(question)
    return qtype in ANSWERED and bool(asked) and is_done(passage, done, asked, titled)


def _page_sections(anchor: dict, doc_chunks: list[dict]) -> list[dict]:
    """The anchor page's sections in document order, each with its text (own chunks only)."""
    out = []
    for path, chunks in sections_in_order(doc_chunks):
        if not path or SKIP_HEAD.search(" ".join(path)):
            continue
        out.append({**anchor, "heading_path": path, "chunk_id": chunks[0]["chunk_id"],
                    "text": " ".join(c.get("text") or "" for c in chunks)})
    return out


def undone_anchor(anchor: dict, doc_chunks: list[dict], candidates: Sequence[dict], question: str,
                  qtype: str = "howto") -> dict | None:
    """The section to answer from instead of the anchor when the anchor is what the user already did
    (module docstring); None when the anchor stands."""
    done, asked = done_and_asked(question)
    if qtype not in ANSWERED or not done or not asked:
        return None
    page = _page_sections(anchor, doc_chunks)
    done_at = [i for i, p in enumerate(page) if is_done(p, done, asked)]
    if anchor.get("heading_path"):
        if not is_done(anchor, done, asked):
            return None
    elif not any(is_done(p, done, asked, titled=True) for p in page):
        return None  # the page met by its intro: only when one of its headings names the step done
    after = done_at[-1] if done_at else len(page)
    others = [p for p in candidates if p.get("source") != anchor.get("source") and p.get("kind") != "faq"
              and p.get("heading_path") and anchor.get("heading_path")]  # another page's section, for a done section
    open_ = [(i, p) for i, p in enumerate([*page, *others])
             if section_key(p) != section_key(anchor) and not is_done(p, done, asked)]
    # most of the asked clauses' words; on a tie a section after the one done (the user goes on), then the earliest
    scored = [(_asked_score(_face(p), asked), after < i < len(page), -i, p) for i, p in open_]
    best = max(scored, key=lambda s: s[:3], default=None)
    chosen: dict | None = best[3] if best is not None and best[0] > 0 else None
    if chosen is None and qtype == "howto" and anchor.get("heading_path"):  # nothing named: the step after
        chosen = _next_open(anchor, page, done, asked)
    if chosen is None:
        return None
    if chosen.get("source") != anchor.get("source"):
        return chosen
    return subtree(anchor, doc_chunks, list(chosen.get("heading_path") or []), added="resolve")


def _next_open(anchor: dict, page: list[dict], done: list[str], asked: list[str]) -> dict | None:
    """The first section after the anchor's (its own sub-sections skipped) that is not done too."""
    heads = list(anchor.get("heading_path") or [])
    keys = [list(p.get("heading_path") or []) for p in page]
    if heads not in keys:
        return None
    for p, path in zip(page[keys.index(heads) + 1:], keys[keys.index(heads) + 1:]):
        if path[:len(heads)] == heads or is_done(p, done, asked):
            continue
        return p
    return None
