"""How to do what the answer only names, from the unit of the same page that says it.

A page often names a fix in one place and says how in another: a table cell ("处理方法：
`docker system prune`，限制容器日志大小") over a "长期预防" bullet giving the file and the key
(`/etc/docker/daemon.json` … `"max-size": "100m"`); an overview line ("在监听器中修改检查路径")
over the command further down; "通过“刷新”让旧缓存失效" over the console path and the sscli call.
The composed answer quotes the naming line and a support agent has nothing to paste.

Here each clause of an answer unit (cut at "，；。：" and "或"; a bracket stays with its clause) that
names an action the question names too (an action verb, `ACTION`, with an object after it; `MIN_ASKED`
marks shared with the question) and carries no operable detail is looked up on the page its unit
cites, then on the pages that line links. A clause is no instruction when it states a cause or a
state ("未配置证书", "配置错误"), reports what happens ("会自动重启") or sets a condition ("当…时"),
nor when its line brings its command. Operable detail (`operable`): a command or config block (not
printed output, not a drawing), a code span on a line saying to do something, a console path. The
unit of that page carrying it (with its lead-in and command, `unit_fit.attach`) whose text shares
the clause's words (character pairs and Latin words, `keyed_fix.marks`; the clause's verb weighs
`VERB` more), at least `MIN_ACTION` of them and `MIN_OWN` marks (a sub-section's heading counts: it
says what its lines do), and some of the question's, joins the answer right after the naming unit and
its list or table, citing its section. Symptom and cause sections, units already shown and units over
`MAX_ADDED` characters are never added; at most `MAX_DETAILS` are, each only when the reply still fits
in its room. Used by graph/nodes/answer.py (how-to, cause, symptom and "在哪配" questions); tested in
tests/graph/test_action_detail.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from graph.action_clause import ACTION, action_marks, operable, vague_actions
from graph.aspect_lines import ChunksOf, cite_section
from graph.doc_sections import MAX_SECTION_CHUNKS, SKIP_HEAD
from graph.doc_units import Unit, merge_texts, parse_units, sections_in_order, space_taken
from graph.keyed_fix import marks
from graph.sample_output import samples
from graph.section_answer import CAUSES_SECTION, SYMPTOM_SECTION
from graph.unit_fit import attach, fit, usable
from knowledge.references import link_targets

MIN_ACTION = 0.25
"""Share of the clause's marks a unit (with its heading) must hold to say how to do that action."""
MIN_OWN = 2
"""Marks of the clause the unit's own text (not only its heading) must hold: another action's
detail under a heading sharing the words is not this action's."""
VERB = 2
"""Extra weight of the clause's verb, held by the unit's own text: "修改…" is done by the line saying
修改, not by the one saying 查看 about the same thing."""
MIN_ASKED = 2
"""Marks a clause must share with the question for its action to be the one asked about."""
MAX_ADDED = 360
"""Characters one added detail (with its lead-in and command) may take."""
MAX_DETAILS = 2
"""Details added to one answer at most."""


@dataclass
class Detail:
    """The page's unit saying how to do a named action: its section and the units to show."""

    path: list[str]
    chunks: list[dict]
    units: list[Unit]
    score: float


def _norm(text: str) -> str:
    return "".join((text or "").split()).lower()


def detail_for(action: str, question: str, doc_chunks: list[dict], shown: str) -> Detail | None:
    """The unit of the page (module docstring) saying how to do `action`, not in `shown` (normalised
    answer text); None when no unit carrying operable detail names enough of it."""
    want = action_marks(action)
    asked = action_marks(question)
    named = ACTION.search(action)
    verb = marks(named.group(0)) if named else set()
    if not want:
        return None
    best: Detail | None = None
    for path, chunks in sections_in_order(doc_chunks):
        heads = " ".join(path)
        if SKIP_HEAD.search(heads) or (path and (SYMPTOM_SECTION.match(path[-1]) or CAUSES_SECTION.search(path[-1]))):
            continue  # a symptom or causes section says what was seen or why, not what to do
        units = parse_units(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]), chunks[0].get("kind") or "doc")
        printed = samples(units)
        for i, u in enumerate(units):
            opens = u.kind == "code" and (i == 0 or units[i - 1].kind == "heading" or units[i - 1].heading != u.heading)
            if i in printed or u.kind == "heading" or (u.kind == "code" and not opens) or not usable(u):
                continue  # a command counts alone only where it opens its sub-section (its heading says what it does)
            pieces = [u] if u.kind in ("row", "code") else fit(attach(units, {i}), MAX_ADDED)  # a row stands alone
            pieces = [p for p in pieces if p not in [units[j] for j in printed]  # printed output is no detail
                      and (p.kind != "item" or p.pos >= u.pos or want & marks(p.text))]  # nor a sibling of another action
            if u.kind == "code" and space_taken(pieces) > MAX_ADDED:
                continue
            if u not in pieces or not operable(pieces) \
                    or any(_norm(p.text)[:40] in shown for p in pieces):
                continue  # shown already: the naming line itself among them (a lead-in bringing its table)
            own = marks(" ".join([p.text for p in pieces] + [u.heading or (path[-1] if len(path) > 1 else "")]))
            held = own | marks(f"{heads} {u.heading}")
            said = marks(" ".join(p.text for p in pieces))
            if not want & said or not asked & said \
                    or len(want & (held if len(path) > 1 or u.heading else own)) < MIN_OWN:
                # a sub-section's heading says what its lines do ("刷新：让旧缓存失效 > 控制台操作")
                continue
            share = (len(want & held) + VERB * len(verb & own)) / (len(want) + VERB * len(verb))
            if share < MIN_ACTION:
                continue
            score = share + len(asked & held) / max(len(asked), 1)
            if best is None or score > best.score + 1e-9:
                best = Detail(list(path), chunks, pieces, score)
    return best


_LINK_TEXT = re.compile(r"\[([^\]\n]+)\]\([^)\s]+\)")


def linked_pages(action: str, page: Mapping[str, Any], chunks_of: ChunksOf) -> list[tuple[dict, list[dict]]]:
    """(page, its chunks) for each page of the base that the line naming `action` links
    ("清理磁盘，参见[磁盘空间满排查](../disk/disk-full.md)"): the page it sends the reader to for how;
    its link text is its title."""
    out = []
    for line in "\n".join(c.get("text") or "" for c in chunks_of(page)).splitlines():
        if _norm(action) not in _norm(_LINK_TEXT.sub(r"\1", line)):
            continue
        titles = dict(zip(link_targets(line, str(page.get("source") or "")), _LINK_TEXT.findall(line)))
        for source, title in titles.items():
            linked = {**page, "source": source, "title": title, "heading_path": [], "kind": "doc"}
            chunks = chunks_of(linked)
            if chunks:
                out.append((linked, chunks))
    return out


def _page(unit: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The document passage a unit cites first (None: it cites only FAQ entries or none)."""
    for n in unit.get("cites") or []:
        p = passages[n - 1] if 0 < n <= len(passages) else None
        if p is not None and p.get("kind") != "faq" and p.get("source"):
            return p
    return None


def with_action_details(question: str, units: list[dict], passages: list[dict], chunks_of: ChunksOf,
                        room: int) -> tuple[list[dict], list[dict]]:
    """(units, passages) with the detail of each action the answer names without it (module
    docstring), each right after its naming unit (and the rest of that unit's block); unchanged
    when none is named, found or fits in `room` characters."""
    out_units, out_passages = [dict(u) for u in units], list(passages)
    added = 0
    k = 0
    while k < len(out_units) and added < MAX_DETAILS:
        unit = out_units[k]
        page = _page(unit, out_passages)
        follows = out_units[k + 1].get("block") if k + 1 < len(out_units) else None
        text = (unit.get("text") or "").rstrip()
        said = unit.get("block") in ("code", "leadin") or follows == "code" or text.endswith(("：", ":")) or "```" in text
        actions = vague_actions(text) if page is not None and not said else []  # a line bringing its command says how
        if page is None or not actions:
            k += 1
            continue
        shown = _norm(" ".join(u.get("text") or "" for u in out_units))

        ranked = [a for a in sorted(actions, key=lambda a: -len(action_marks(a) & action_marks(question)))
                  if len(action_marks(a) & action_marks(question)) >= MIN_ASKED]  # the action the question names
        found = next(((page, d) for d in (detail_for(a, question, chunks_of(page), shown) for a in ranked)
                      if d is not None), None)
        found = found or next(((p, d) for a in ranked for p, chunks in linked_pages(a, page, chunks_of)
                               for d in [detail_for(a, question, chunks, shown)] if d is not None), None)
        used = sum(len(u.get("text") or "") + 4 for u in out_units)
        if found is None or used + space_taken(found[1].units) > room:
            k += 1
            continue
        source, detail = found
        n = cite_section(out_units, out_passages, source, detail.path, detail.chunks, "action_detail")
        at = k + 1
        while at < len(out_units) and out_units[at].get("group") == unit.get("group"):
            at += 1  # the naming unit's list or table stays whole
        group = max((u.get("group") or 0 for u in out_units), default=0) + 1
        for j, piece in enumerate(detail.units):
            out_units.insert(at + j, {"text": piece.text, "cites": [n], "block": piece.kind, "group": group,
                                      "with_heading": True})
        added += 1
        k = at + len(detail.units)
    return out_units, out_passages
