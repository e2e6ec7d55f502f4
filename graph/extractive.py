"""Extractive answers composed by question type from coherent evidence — the no-model default.

Input: the evidence passages (graph/evidence.py: whole sections, FAQ entries, a document's
procedure or causes list), numbered in state order (most relevant LAST), and the
question's type (graph/question_type.py) and weighted terms (graph/relevance.py).

1. A FAQ entry — or a document section titled with a question (a FAQ page) — that asked
   the same kind of thing (a fix, a fact) and covers most of the question leads, whole (for
   a value question, its one or two sentences carrying the asked terms).
2. value / define: without such a FAQ entry, the one sentence or table row over all the
   evidence that carries the asked terms (read with its heading), plus the condition
   that follows it ("但…", "如果…").
3. how-to / cause / symptom: the anchor document's sections in evidence order — the
   procedure, the causes list, the sections covering what is asked beyond the title, a
   step a matching sentence points to — each through graph/section_answer.py; compare:
   the comparison table or sentences of the best section.
Every block (a lead-in with its list, a sentence with its command) is checked on topic
(graph/relevance.on_topic) before it is kept; a block that is not goes with its command.
Within a per-type character budget; a sentence is never cut to fit, it is left out.

Units are `{"text","cites":[n],"block": sentence|item|code|row|leadin|step}`; `units_text`
renders them (one citation mark per run of list lines from one source). Tested in
tests/graph/test_extractive.py and, end to end, by the answer set.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import re

from graph.doc_units import Unit, parse_units
from graph.evidence import is_on_topic
from graph.question_type import QuestionType, question_type
from graph.relevance import QuestionTerms, context_of, coverage, names_entity, on_topic, question_terms
from graph.section_answer import attach, blocks, fit, from_section, section_units, usable

BUDGET: dict[str, int] = {"value": 200, "define": 260, "compare": 520, "cause": 640, "symptom": 680, "howto": 760}
"""Characters an answer of each type may use (a sentence is never cut to fit: it is left out)."""
FAQ_MATCH = 0.5
"""Weighted share of the question a FAQ entry (its question and answer) must cover to lead."""
SUPPORTING_FACT = 0.5
"""Share of the question a page's own sentence must cover to follow a FAQ answer to a value question."""
_GROUPS = {"howto": "fix", "symptom": "fix", "cause": "fix", "value": "fact", "define": "fact", "compare": "fact"}
_CONDITION = re.compile(r"^(但|但是|如果|若|否则|注意|不过|其中|除非|只有)")
_ASKS_NUMBER = re.compile(r"多少|几|多久|多长|多大|多快|最大|最多|最小|最少|上限|默认|how (many|much|long)", re.I)
_ASKS_WHERE = re.compile(r"哪里|(在|去|从|到)哪|\bwhere\b", re.I)
# the part before the arrow stops at the first arrow, a quote at the next quote: one scan per start
_PLACE = re.compile(r"\*\*[^*\n>→]+[>→][^*\n]+\*\*|[“\"][^“”\"\n>→]+[>→][^“”\"\n]+[”\"]|控制台|页面|菜单")
_LISTY = ("item", "code", "row", "step")


def lead_faq(passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms) -> int | None:
    """The FAQ entry that answers the question: asked the same kind of thing, names what the
    question is about and covers most of it; the best such (None: none)."""
    best, best_score = None, FAQ_MATCH
    for n, p in enumerate(passages, 1):
        own = question_heading(p)
        if p.get("kind") != "faq" and not own:
            continue
        asked = question_type(str((p.get("meta") or {}).get("question") or own))
        if _GROUPS[asked] != _GROUPS[qtype]:
            continue
        text = f"{context_of(p)} {p.get('text') or ''}"
        score = coverage(terms, text)
        if names_entity(terms, text) and score >= best_score:
            best, best_score = n, score
    return best


def question_heading(passage: Mapping[str, Any]) -> str:
    """A document section titled with a question (a FAQ page, "## 如何…？"): that question, else ""."""
    heads = passage.get("heading_path") or []
    head = heads[-1] if heads else (passage.get("title") or "")
    return head if passage.get("kind") != "faq" and re.search(r"[？?]\s*$", head) else ""


def faq_units(passage: Mapping[str, Any], qtype: QuestionType, terms: QuestionTerms, budget: int) -> list[Unit]:
    units = [u for u in (parse_units(passage.get("text") or "", "faq") if passage.get("kind") == "faq"
                         else section_units(passage)) if usable(u)]
    if qtype in ("value", "define") and len(units) > 2:
        ranked = sorted(range(len(units)), key=lambda i: (-coverage(terms, units[i].text), i))
        units = [units[i] for i in sorted(ranked[:2])]
    return fit(units, budget)


def best_fact(passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, question: str, budget: int) -> tuple[int, list[Unit]] | None:
    """The sentence or row carrying the asked value over every on-topic passage (read with its
    heading), with the condition that follows it when there is one."""
    wants_number = bool(_ASKS_NUMBER.search(question))
    wants_place = bool(_ASKS_WHERE.search(question))
    own_numbers = set(re.findall(r"\d+", question))
    best: tuple[float, int, int, list[Unit]] | None = None
    for n, passage in enumerate(passages, 1):
        if not is_on_topic(terms, passage):
            continue
        units = [u for u in (section_units(passage) if passage.get("kind") != "faq"
                             else parse_units(passage.get("text") or "", "faq")) if usable(u)]
        where = context_of(passage)
        for i, u in enumerate(units):
            if u.kind in ("code", "heading"):
                continue
            score = coverage(terms, u.text) + 0.5 * coverage(terms, f"{where} {u.heading}")
            score += 0.15 if wants_number and set(re.findall(r"\d+", u.text)) - own_numbers else 0.0
            score += 0.4 if wants_place and _PLACE.search(u.text) else 0.0
            score += 0.05 if passage.get("kind") == "faq" else 0.0
            if best is None or score > best[0] + 1e-9:
                best = (score, n, i, units)
    if best is None or best[0] <= 0:
        return None
    _, n, i, units = best
    picked = {i}
    if i + 1 < len(units) and units[i + 1].kind == "sentence" and _CONDITION.match(units[i + 1].text):
        picked.add(i + 1)
    return n, fit(attach(units, picked), budget)


def _repeats(picked: list[tuple[int, Unit]], units: list[Unit]) -> bool:
    """The new units say nothing the picked ones do not (most of their words already there)."""
    have = " ".join(u.text for _, u in picked).lower()
    words = [w for u in units for w in re.findall(r"[a-z0-9_.]+|[\u4e00-\u9fff]{2}", u.text.lower())]
    return not words or sum(w in have for w in words) >= 0.85 * len(words)


def _doc_order(passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms) -> list[int]:
    """Passage numbers of the anchor document's sections to answer from, in the order to use them."""
    ordered = [n for n in range(len(passages), 0, -1) if passages[n - 1].get("kind") != "faq"
               and is_on_topic(terms, passages[n - 1])]
    if not ordered:
        return []
    if qtype == "compare":  # the section that covers the compared things best
        return sorted(ordered, key=lambda n: -coverage(terms, f"{context_of(passages[n - 1])} "
                                                              f"{passages[n - 1].get('text') or ''}"))[:1]
    source = passages[ordered[0] - 1].get("source")
    same = [n for n in ordered if passages[n - 1].get("source") == source]
    role = {"procedure": 0, "causes": 1, "focus": 2, "step": 3}
    if qtype == "symptom":  # an error message matched word for word comes first
        role = {"focus": 0, "step": 1, "causes": 2, "procedure": 3}

    def rank(n: int) -> tuple[int, int]:
        meta = passages[n - 1].get("meta") or {}
        kind = "procedure" if meta.get("procedure") and not meta.get("added") else meta.get("added", "")
        if qtype == "symptom" and kind == "focus" and coverage(terms, passages[n - 1].get("text") or "") < 0.4:
            kind = "weak"
        return (role.get(kind, 4) if qtype in ("cause", "symptom") or kind == "procedure" else 4, same.index(n))

    return sorted(same, key=rank)


class _Answer:
    """The units picked so far, each block checked on topic before it is kept; the budget is
    kept block by block (a block that does not fit ends that passage's contribution)."""

    def __init__(self, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, budget: int) -> None:
        self.passages, self.terms, self.budget = passages, terms, budget
        self.picked: list[tuple[int, Unit]] = []
        self.used = 0

    def add(self, n: int, units: list[Unit]) -> None:
        passage = self.passages[n - 1]
        for block in blocks(units):
            prose = [u for u in block if u.kind in ("sentence", "leadin", "row", "item") and u.depth == 0]
            if prose and not any(on_topic(self.terms, u.text, passage) for u in prose) \
                    and coverage(self.terms, context_of(passage)) < 0.5:
                continue
            size = sum(len(u.text) + 4 for u in block)
            if self.picked and self.used + size > self.budget:
                if block[0].kind == "step":
                    continue
                break
            for u in block:
                self.picked.append((n, u))
                self.used += len(u.text) + 4


def extractive_units(question: str, passages: Sequence[Mapping[str, Any]], max_units: int = 4, query: str = "",
                     vocab=None, qtype: QuestionType | None = None, siblings: int = 1) -> list[dict]:
    """Units `{"text","cites","block"}` answering the question from the evidence (may be empty).

    `passages` are numbered 1..n in the given order (most relevant LAST); `max_units` bounds
    the sentences of the last-resort answer (nothing matched by type); `siblings` is how many
    questions the message asked (their answers share one reply).
    """
    qtype = qtype or question_type(question)
    terms = question_terms(question, query, vocab, [p.get("text") or "" for p in passages])
    budget = int(BUDGET[qtype] * (0.6 if siblings > 1 else 1.0))
    answer = _Answer(passages, terms, budget)
    faq = lead_faq(passages, qtype, terms)
    if faq:
        answer.add(faq, faq_units(passages[faq - 1], qtype, terms, budget))
        if not any((p.get("meta") or {}).get("procedure") for p in passages):  # a procedure needs its room
            budget = answer.budget = min(budget, answer.used + budget // 2)  # documents add to a FAQ answer, briefly
    if qtype in ("value", "define"):
        # a FAQ answer gets the document's own sentence for the value too, when it adds to it
        docs = [p if p.get("kind") != "faq" else {**p, "text": ""} for p in passages] if answer.picked else passages
        fact = best_fact(docs, terms, question, budget)
        if fact is not None and not (answer.picked and (_repeats(answer.picked, fact[1]) or max(
                (coverage(terms, u.text) for u in fact[1]), default=0.0) < SUPPORTING_FACT)):
            answer.add(*fact)
    elif not (qtype == "compare" and answer.picked):
        for count, n in enumerate(_doc_order(passages, qtype, terms)):
            if answer.used >= budget * 0.8 or count >= 3:
                break
            answer.add(n, from_section(passages[n - 1], qtype, terms, budget - answer.used))
            if (passages[n - 1].get("meta") or {}).get("procedure"):
                break
    if not answer.picked:  # nothing matched by type: the most relevant on-topic sentences
        for n in range(len(passages), 0, -1):
            units = [u for u in section_units(passages[n - 1]) if usable(u) and u.kind != "code"]
            ranked = sorted(units, key=lambda u: -coverage(terms, u.text))[:max(1, max_units // 2)]
            answer.add(n, fit([u for u in units if u in ranked], budget))
            if answer.picked:
                break
    return renumber(answer.picked)


def renumber(units: list[tuple[int, Unit]]) -> list[dict]:
    """Draft units; a run of two or more ordered items is numbered from 1 (document numbers may
    start anywhere), a lone item is a bullet, procedure steps keep their number."""
    runs: list[int] = []
    run = 0
    for k, (_, u) in enumerate(units):
        prev = units[k - 1][1] if k else None
        if not (u.kind == "item" and prev is not None and prev.kind in ("item", "code") and prev.depth == u.depth):
            run += 1
        runs.append(run)
    sizes = {r: sum(1 for k, (_, u) in enumerate(units) if runs[k] == r and u.kind == "item") for r in set(runs)}
    counters: dict[int, int] = {}
    out: list[dict] = []
    for k, (n, u) in enumerate(units):
        pad = "   " if u.depth else ""
        text = u.text
        if u.kind == "item" and u.number is not None and sizes[runs[k]] >= 2:
            counters[runs[k]] = counters.get(runs[k], 0) + 1
            text = f"{pad}{counters[runs[k]]}. {text}"
        elif u.kind in ("item", "row"):
            text = f"{pad}- {text}"
        elif u.kind == "step":
            text = f"{u.number}. **{text}**"
        elif u.kind == "code" and u.depth:
            text = "\n".join(pad + line for line in text.splitlines())
        elif u.depth:
            text = f"{pad}{text}"
        if u.kind == "item" and "\n" in text:
            head, _, rest = text.partition("\n")
            text = head + "\n" + "\n".join(pad + "   " + line for line in rest.splitlines())
        out.append({"text": text, "cites": [n], "block": u.kind})
    return out


def units_text(units: Sequence[Mapping[str, Any]]) -> str:
    """Units as answer text: a citation mark after each sentence, once per run of list lines
    from one source (before a trailing colon), never inside a code block."""
    lines: list[str] = []
    prev: list[int] | None = None
    for unit in units:
        marks = "".join(f"[{n}]" for n in unit.get("cites") or [])
        block = unit.get("block") or "sentence"
        text = unit["text"]
        if block == "code" or (block in _LISTY and prev == unit.get("cites")):
            lines.append(text)
        else:
            head, sep, rest = text.partition("\n")
            colon = re.search(r"[：:]\s*$", head)
            head = f"{head[:colon.start()]}{marks}{head[colon.start():]}" if colon else f"{head}{marks}"
            lines.append(f"{head}{sep}{rest}")
        prev = unit.get("cites")
    return "\n".join(lines)
