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

Units are `{"text","cites":[n],"block": sentence|item|code|row|leadin|step,"group"}`;
graph/answer_text.py numbers and renders them. Tested in
tests/graph/test_extractive.py and, end to end, by the answer set.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import re

from graph.answer_text import renumber
from graph.doc_units import Unit, parse_units
from graph.evidence import is_on_topic
from graph.fixes import FIX_ROOM, fix_rows
from graph.paragraphs import opens_with_error, past_restatement, through_fix
from graph.question_type import QuestionType, question_type
from graph.relevance import QuestionTerms, context_of, coverage, found, names_entity, question_terms
from graph.topic import on_topic_here
from graph.section_answer import (TITLED_PROBLEM, blocks, fit, fit_chosen, fit_whole, from_section, section_units,
                                  usable)

BUDGET: dict[str, int] = {"value": 200, "define": 260, "compare": 520, "cause": 640, "symptom": 760, "howto": 760}
"""Characters an answer of each type may use (a sentence is never cut to fit: it is left out)."""
FAQ_MATCH = 0.5
"""Weighted share of the question a FAQ entry (its question and answer) must cover to lead."""
SUPPORTING_FACT = 0.5
"""Share of the question a page's own sentence must cover to follow a FAQ answer to a value question."""
SAME_QUESTION = 0.6
"""Share of the question (codes weighted up) a FAQ entry's own question must cover to lead whatever
kind of thing it asks ("RequestTimeTooSkewed 啥意思" -> "RequestTimeTooSkewed 怎么解决？")."""
_GROUPS = {"howto": "fix", "symptom": "fix", "cause": "fix", "value": "fact", "define": "fact", "compare": "fact"}
_CONDITION = re.compile(r"^(但|但是|如果|若|否则|注意|不过|其中|除非|只有)")
_ASKS_NUMBER = re.compile(r"多少|几|多久|多长|多大|多快|最大|最多|最小|最少|上限|默认|how (many|much|long)", re.I)
_ASKS_WHERE = re.compile(r"哪里|(在|去|从|到)哪|\bwhere\b", re.I)
# the part before the arrow stops at the first arrow, a quote at the next quote: one scan per start
_PLACE = re.compile(r"\*\*[^*\n>→]+[>→][^*\n]+\*\*|[“\"][^“”\"\n>→]+[>→][^“”\"\n]+[”\"]|控制台|页面|菜单")


def lead_faq(passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms) -> int | None:
    """The FAQ entry that answers the question: asked the same kind of thing, names what the
    question is about and covers most of it; the best such (None: none)."""
    best, best_score = None, FAQ_MATCH
    for n, p in enumerate(passages, 1):
        own = question_heading(p)
        if p.get("kind") != "faq" and not own:
            continue
        question = str((p.get("meta") or {}).get("question") or own)
        if _GROUPS[question_type(question)] != _GROUPS[qtype] \
                and coverage(terms.codes_first(), question) < SAME_QUESTION:
            continue  # asked another kind of thing, unless it asked about the very same thing
        text = f"{context_of(p)} {p.get('text') or ''}"
        score = coverage(terms, text)
        if names_entity(terms, text) and score >= best_score and not neighbour_case(terms, p, passages):
            best, best_score = n, score
    return best if best is not None else only_strong_entry(passages, terms)


STRONG_ENTRY = 0.25
"""Share of the question an entry the knowledge layer alone judged a strong match must cover to lead."""


def only_strong_entry(passages: Sequence[Mapping[str, Any]], terms: QuestionTerms) -> int | None:
    """The one page or section titled with a question (a FAQ page, "## 如何…？") the knowledge layer
    judged a strong match when no other evidence is: a spoken question shares few words with its
    title, yet it is the entry asked about (whatever kind of thing its own question asks). A short
    FAQ entry is measured well by its words and leads only by FAQ_MATCH."""
    strong = [n for n, p in enumerate(passages, 1) if (p.get("meta") or {}).get("match") == "strong"]
    if len(strong) != 1:
        return None
    p = passages[strong[0] - 1]
    text = f"{context_of(p)} {p.get('text') or ''}"
    if not question_heading(p) or not names_entity(terms, text) \
            or coverage(terms, text) < STRONG_ENTRY or neighbour_case(terms, p, passages):
        return None
    return strong[0]


_WORD = re.compile(r"[a-z]{4,}")


def neighbour_case(terms: QuestionTerms, entry: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> bool:
    """The entry is about a neighbouring case: the question's weightiest English word ("refused") is not
    in it, its own question names another ("timed"), and another evidence passage names the asked one
    ("Connection refused" beside a "Connection timed out 怎么办" FAQ entry)."""
    own = terms.own()
    words = {t: w for t, w in own.weights.items() if _WORD.fullmatch(t)}  # an error message's words
    asked = str((entry.get("meta") or {}).get("question") or question_heading(entry)).lower()
    if not words or not asked:
        return False
    top = max(words, key=lambda t: words[t])
    if found(top, f"{context_of(entry)} {entry.get('text') or ''}".lower()):
        return False
    if not set(_WORD.findall(asked)) - set(own.weights):  # its question names no other message either
        return False
    return any(found(top, f"{context_of(p)} {p.get('text') or ''}".lower()) for p in passages if p is not entry)


def question_heading(passage: Mapping[str, Any]) -> str:
    """A document section titled with a question (a FAQ page, "## 如何…？"): that question, else ""."""
    heads = passage.get("heading_path") or []
    head = heads[-1] if heads else (passage.get("title") or "")
    return head if passage.get("kind") != "faq" and re.search(r"[？?]\s*$", head) else ""


_BARE_REPLY = re.compile(r"^(是|不是|是的|对|不对|需要|不需要|默认需要|默认不需要|可以|不可以|不能|能|会|不会|"
                         r"支持|不支持|有|没有|必须|不必|不用|要|不要)[。，,！!；;]")


def faq_units(passage: Mapping[str, Any], qtype: QuestionType, terms: QuestionTerms, budget: int) -> list[Unit]:
    """The entry's answer (a value question: its first sentence and the one carrying most of the
    asked terms);
    an answer opening with a bare "不需要。" / "可以。" reads with the entry's question before it."""
    units = [u for u in (parse_units(passage.get("text") or "", "faq") if passage.get("kind") == "faq"
                         else section_units(passage)) if usable(u)]
    if qtype in ("value", "define") and len(units) > 2:  # its first sentence (the answer) and the best other
        ranked = sorted(range(1, len(units)), key=lambda i: (-coverage(terms, units[i].text), i))
        units = [units[i] for i in sorted(through_fix(units, {0, ranked[0]}, whole=False))]
    asked = str((passage.get("meta") or {}).get("question") or question_heading(passage)).strip()
    if units and asked and units[0].kind == "sentence" and _BARE_REPLY.match(units[0].text):
        units[0] = Unit("sentence", f"{asked.rstrip('？?')}？{units[0].text}", heading=units[0].heading)
    return fit_whole(units, budget)


def best_fact(passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, question: str, budget: int,
              topic: QuestionTerms | None = None) -> tuple[int, list[Unit]] | None:
    """The sentence or row carrying the asked value over every passage on topic (`topic`, else
    `terms`; read with its heading), with the condition that follows it when there is one."""
    wants_number = bool(_ASKS_NUMBER.search(question))
    wants_place = bool(_ASKS_WHERE.search(question))
    own_numbers = set(re.findall(r"\d+", question))
    named = defined_terms(terms, question)
    best: tuple[float, int, int, list[Unit]] | None = None
    for n, passage in enumerate(passages, 1):
        if not is_on_topic(topic or terms, passage):
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
            score += DEFINES if named and defines(u.text, named) else 0.0
            if best is None or score > best[0] + 1e-9:
                best = (score, n, i, units)
    if best is None or best[0] <= 0:
        return None
    _, n, i, units = best
    picked = {i}
    if i + 1 < len(units) and units[i + 1].kind == "sentence" and _CONDITION.match(units[i + 1].text):
        picked.add(i + 1)
    return n, fit_chosen(units, past_restatement(units, through_fix(units, picked, whole=False), question), budget)


DEFINES = 0.3
"""Added to the score of a sentence or item that defines the Latin term a "X 是什么意思" question asks about."""
_ASKS_MEANING = re.compile(r"什么意思|啥意思|是什么|是啥|什么含义|含义|代表什么|指什么|\bmean(s|ing)?\b", re.I)
# a line opening with a Latin term (in quotes or backticks) and a word that defines it: "`UO`：上游溢出…"
_DEFINED = re.compile(r"^[-*•\s]*[`\"“(（]?([a-z0-9_.=/\s-]{1,40}?)[`\"”)）]?\s*(?:：|:|是|表示|指|意味着|即|代表)")


def defined_terms(terms: QuestionTerms, question: str) -> set[str]:
    """The Latin terms a question asking what something means is about: its weightiest ones (half
    the top weight or more); empty for other questions."""
    if not _ASKS_MEANING.search(question):
        return set()
    latin = {t: w for t, w in terms.own().weights.items() if re.fullmatch(r"[a-z0-9_.=/-]+", t) and not t.isdigit()}
    top = max(latin.values(), default=0.0)
    return {t for t, w in latin.items() if w >= 0.5 * top}


def defines(text: str, named: set[str]) -> bool:
    """The line opens by defining one of the terms ("`UO`：上游溢出导致熔断…")."""
    m = _DEFINED.match(text.lower())
    return bool(m) and any(t in m.group(1).split() or t == m.group(1).strip() for t in named)


def _repeats(picked: list[tuple[int, Unit]], units: list[Unit]) -> bool:
    """The new units say nothing the picked ones do not (most of their words already there)."""
    have = " ".join(u.text for _, u in picked).lower()
    words = [w for u in units for w in re.findall(r"[a-z0-9_.]+|[\u4e00-\u9fff]{2}", u.text.lower())]
    return not words or sum(w in have for w in words) >= 0.85 * len(words)


def _doc_order(passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms) -> list[int]:
    """Passage numbers of the anchor document's sections to answer from, in the order to use them."""
    ordered = [n for n in range(len(passages), 0, -1) if passages[n - 1].get("kind") != "faq"
               and is_on_topic(terms, passages[n - 1]) and (passages[n - 1].get("meta") or {}).get("added") != "fix"]
    if not ordered:
        return []
    if qtype == "compare":  # the section that covers the compared things best
        return sorted(ordered, key=lambda n: -coverage(terms, f"{context_of(passages[n - 1])} "
                                                              f"{passages[n - 1].get('text') or ''}"))[:1]
    anchor = titled_anchor(passages, ordered, terms)
    source = passages[anchor if anchor is not None else ordered[0] - 1].get("source")
    if anchor is not None:  # the problem's own entry answers first, then its page's other sections
        ordered = [anchor + 1, *(n for n in ordered if n != anchor + 1)]
    same = [n for n in ordered if passages[n - 1].get("source") == source]
    role = {"procedure": 0, "causes": 1, "focus": 2, "step": 3}
    if qtype == "symptom":  # an error message matched word for word comes first
        role = {"focus": 0, "step": 1, "causes": 2, "procedure": 3}

    def rank(n: int) -> tuple[int, int]:
        meta = passages[n - 1].get("meta") or {}
        kind = "procedure" if meta.get("procedure") and not meta.get("added") else meta.get("added", "")
        if kind == "variant":  # the section for the variant asked about ("Windows 实例") answers first
            return (-1, same.index(n))
        if anchor is not None and n == anchor + 1:
            return (-1, -1)
        heads = passages[n - 1].get("heading_path") or []
        if not kind and qtype in ("cause", "symptom") and heads \
                and coverage(terms.codes_first(), heads[-1]) >= TITLED_PROBLEM:
            return (-1, same.index(n))  # a section titled with the very problem ("… 显示 `prometheus_not_found` 错误")
        if qtype == "symptom" and kind == "focus" and coverage(terms, passages[n - 1].get("text") or "") < 0.4:
            kind = "weak"
        return (role.get(kind, 4) if qtype in ("cause", "symptom") or kind == "procedure" else 4, same.index(n))

    return sorted(same, key=rank)


def _titled(passage: Mapping[str, Any], terms: QuestionTerms) -> float:
    """How much of the question (codes weighted up) the passage's own heading names ("2.1 部署过程中
    提示 `unable to authenticate…`"); the page title stands for a page without sections."""
    heads = passage.get("heading_path") or []
    return coverage(terms.codes_first(), heads[-1] if heads else (passage.get("title") or ""))


def titled_anchor(passages: Sequence[Mapping[str, Any]], ordered: list[int], terms: QuestionTerms) -> int | None:
    """Index (0-based) of the section titled with the very problem asked, when the best-ranked one is
    not: a page's entry for the quoted error answers it, not a page that only mentions its words."""
    best = max(ordered, key=lambda n: (_titled(passages[n - 1], terms), -ordered.index(n)))
    score, top = _titled(passages[best - 1], terms), _titled(passages[ordered[0] - 1], terms)
    if best == ordered[0] or top >= TITLED_PROBLEM:
        return None
    heads = passages[best - 1].get("heading_path") or []
    if not heads or not _PROBLEM_HEAD.search(heads[-1]):
        return None  # a heading naming the asked thing but no problem ("1. 让私有子网通过 NAT 网关访问外网")
    if score >= TITLED_PROBLEM or (score >= TITLED_MIN and all(
            score >= TITLED_RATIO * _titled(passages[n - 1], terms) for n in ordered if n != best)):
        return best - 1
    return None


_PROBLEM_HEAD = re.compile(r"异常|错误|报错|失败|崩溃|无法|不能|不可用|超时|拒绝|卡住|卡在|停滞|不生效|未生效|丢失|泄漏|过高|"
                           r"提示|`[^`]+`|error|fail|crash|denied|refused|unable|cannot|invalid|timeout|timed out|exceeded|not found|"
                           r"unavailable|pending|oom", re.I)
"""A section heading that states a problem (a symptom word, a quoted message), not an action nor a
question ("…后，怎么删除老集群节点监控信息？" asks how to do something else)."""


TITLED_MIN = 0.15
TITLED_RATIO = 2.0
"""A section heading stating a problem that names TITLED_MIN of a long spoken question ("设置
DestinationRule 之后出现 503 异常"), TITLED_RATIO times more of it than any other evidence heading,
also marks the problem's own entry."""


def _numbered(units: Iterable[Unit]) -> int:
    return sum(1 for u in units if u.kind == "item" and u.number is not None and not u.depth)


def _siblings(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two sub-sections of one section of a page ("刷新 > 控制台操作", "刷新 > sscli 操作")."""
    heads_a, heads_b = list(a.get("heading_path") or []), list(b.get("heading_path") or [])
    return a.get("source") == b.get("source") and len(heads_a) >= 2 and heads_a[:-1] == heads_b[:-1] \
        and heads_a != heads_b


def _same_part(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Sections of one part of a page: siblings, or one inside the other ("关于 X 错误" and its
    "更新你的 CNI 插件")."""
    heads_a, heads_b = list(a.get("heading_path") or []), list(b.get("heading_path") or [])
    short = min(len(heads_a), len(heads_b))
    return _siblings(a, b) or (a.get("source") == b.get("source") and short >= 1 and heads_a[:short] == heads_b[:short])


class _Answer:
    """The units picked so far, each block checked on topic before it is kept; the budget is
    kept block by block (a block that does not fit ends that passage's contribution)."""

    def __init__(self, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, budget: int) -> None:
        self.passages, self.terms, self.budget = passages, terms, budget
        self.picked: list[tuple[int, Unit]] = []
        self.groups: list[int] = []
        """The block each picked unit came in (verify judges a block's topic as a whole)."""
        self.used = 0

    def add(self, n: int, units: list[Unit]) -> None:
        passage = self.passages[n - 1]
        parent_left = False  # the nested items of an item left out go with it
        for block in blocks(units):
            if block[0].depth and parent_left:
                continue
            prose = [u for u in block if u.kind in ("sentence", "leadin", "row", "item") and u.depth == 0]
            parent_left = False
            if prose and not all(u.whole for u in prose) and not any(on_topic_here(self.terms, u.text, passage) for u in prose) \
                    and coverage(self.terms, context_of(passage)) < 0.5:  # an entry given whole stands as a whole
                parent_left = block[-1].kind == "item"
                continue
            size = sum(len(u.text) + 4 for u in block)
            if self.picked and self.used + size > self.budget:
                if block[0].kind == "step":
                    continue
                break
            for u in block:
                self.picked.append((n, u))
                self.groups.append((self.groups[-1] if self.groups else 0) + (u is block[0]))
                self.used += len(u.text) + 4


SECOND_FACT = 0.3
"""Share of the question the value answer may leave uncovered before a second fact is looked for."""


def second_fact(answer: _Answer, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, question: str) -> None:
    """A value question that asks two things ("kubeconfig 去哪下 办公网连不上 api server"): when
    the picked sentences leave SECOND_FACT of the question's weight uncovered, the sentence that
    covers most of the rest follows (half the type's budget more)."""
    if not answer.picked:
        return
    rest = terms.without(" ".join(u.text for _, u in answer.picked))
    if rest.total < SECOND_FACT * terms.total:
        return
    room = answer.budget - answer.used + BUDGET["value"] // 2
    more = best_fact(passages, rest, question, room, topic=terms)
    if more is None or _repeats(answer.picked, more[1]):
        return
    where = context_of(passages[more[0] - 1])
    if max((coverage(rest, f"{where} {u.text}") for u in more[1]), default=0.0) < 0.5:
        return
    answer.budget += BUDGET["value"] // 2
    answer.add(*more)


def add_fixes(answer: _Answer, passages: Sequence[Mapping[str, Any]], question: str, terms: QuestionTerms) -> None:
    """The page's fixes for the cause the answer names follow it (graph/fixes.py), FIX_ROOM more."""
    for n, units in fix_rows(passages, answer.picked, question, terms):
        answer.budget += FIX_ROOM
        answer.add(n, fit_chosen(units, set(range(len(units))), answer.budget - answer.used))


FAQ_NOTE = 0.3
"""Share of the question an on-topic FAQ entry must cover to follow a document answer."""


def add_faq_note(answer: _Answer, passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms) -> None:
    """A FAQ entry on the same thing that did not lead (it covers less of the question) still
    says what to do in a sentence or two: it follows the document's answer when it fits and
    adds to it."""
    for n in range(len(passages), 0, -1):
        p = passages[n - 1]
        if p.get("kind") != "faq" or not is_on_topic(terms, p) \
                or coverage(terms, f"{context_of(p)} {p.get('text') or ''}") < FAQ_NOTE \
                or neighbour_case(terms, p, passages):
            continue
        units = faq_units(p, qtype, terms, answer.budget - answer.used)
        if units and not _repeats(answer.picked, units):
            answer.add(n, units)
        return


def extractive_units(question: str, passages: Sequence[Mapping[str, Any]], max_units: int = 4, query: str = "",
                     vocab=None, qtype: QuestionType | None = None, siblings: int = 1, reserve: int = 0) -> list[dict]:
    """Units `{"text","cites","block"}` answering the question from the evidence (may be empty).

    `passages` are numbered 1..n in the given order (most relevant LAST); `max_units` bounds
    the sentences of the last-resort answer (nothing matched by type); `siblings` is how many
    questions the message asked (their answers share one reply); `reserve` is what the reply
    adds after the answer (the runbook offer), taken from the budget.
    """
    qtype = qtype or question_type(question)
    terms = question_terms(question, query, vocab, [p.get("text") or "" for p in passages])
    budget = int(BUDGET[qtype] * (0.6 if siblings > 1 else 1.0)) - reserve
    answer = _Answer(passages, terms, budget)
    faq = lead_faq(passages, qtype, terms)
    if faq:
        answer.add(faq, faq_units(passages[faq - 1], qtype, terms, budget))
        if not any((p.get("meta") or {}).get("procedure") for p in passages):  # a procedure needs its room
            budget = answer.budget = min(budget, answer.used + budget * 2 // 3)  # documents add to a FAQ answer, briefly
    if qtype in ("value", "define"):
        # a FAQ answer gets the document's own sentence for the value too, when it adds to it
        docs = [p if p.get("kind") != "faq" else {**p, "text": ""} for p in passages] if answer.picked else passages
        fact = best_fact(docs, terms, question, budget)
        if fact is not None and not (answer.picked and (_repeats(answer.picked, fact[1]) or max(
                (coverage(terms, u.text) for u in fact[1]), default=0.0) < SUPPORTING_FACT)):
            answer.add(*fact)
        second_fact(answer, passages, terms, question)
    elif qtype == "compare" and answer.picked:  # after a FAQ answer: the page's comparison table, when it adds
        for n in _doc_order(passages, qtype, terms):
            units = from_section(passages[n - 1], qtype, terms, budget - answer.used)
            if any(u.kind == "row" for u in units) and not _repeats(answer.picked, units):
                answer.add(n, units)
    else:
        count = 0  # sections that gave something (a "现象" section restating the question gives nothing)
        steps_from: Mapping[str, Any] | None = None  # the section whose numbered procedure was given whole
        entry_from: Mapping[str, Any] | None = None  # the section opening with the pasted error, given whole
        for n in _doc_order(passages, qtype, terms):
            if answer.used >= budget * 0.8 or count >= 3:
                break
            if steps_from is not None and not _siblings(steps_from, passages[n - 1]):
                continue  # after a procedure, only its alternative ("sscli 操作" beside "控制台操作")
            if entry_from is not None and not _same_part(entry_from, passages[n - 1]):
                continue  # after the entry of the very error pasted, only the sections of its part of the page
            before = len(answer.picked)
            meta = passages[n - 1].get("meta") or {}
            if faq and meta.get("procedure") and qtype != "howto":
                continue  # after a FAQ answer to a problem, a page's whole procedure outline is padding
            units = from_section(passages[n - 1], qtype, terms, budget - answer.used, question)
            if meta.get("procedure"):  # the end of a numbered list begun in a step is shown beyond the budget
                answer.budget += sum(len(u.text) + 4 for u in units if u.whole and u.kind == "item")
            answer.add(n, units)
            count += len(answer.picked) > before
            if meta.get("procedure") or (meta.get("added") == "variant" and len(answer.picked) > before):
                break  # a procedure, or the section for the variant asked about, is the answer
            if steps_from is not None:
                break
            if entry_from is None and len(answer.picked) > before \
                    and opens_with_error(section_units(passages[n - 1]), question):
                entry_from = passages[n - 1]
            if qtype == "howto" and _numbered(u for _, u in answer.picked[before:]) >= 2:
                steps_from = passages[n - 1]
        if answer.picked and qtype in ("cause", "symptom"):
            add_fixes(answer, passages, question, terms)
        variant = any((p.get("meta") or {}).get("added") == "variant" for p in passages)
        if not faq and answer.picked and not variant:  # a FAQ note on the other case says nothing here
            add_faq_note(answer, passages, qtype, terms)
    if not answer.picked:  # nothing matched by type: the most relevant on-topic sentences
        for n in range(len(passages), 0, -1):
            units = [u for u in section_units(passages[n - 1]) if usable(u) and u.kind != "code"]
            ranked = sorted(range(len(units)), key=lambda i: -coverage(terms, units[i].text))[:max(1, max_units // 2)]
            chosen = past_restatement(units, through_fix(units, set(ranked), whole=qtype != "value"), question)
            answer.add(n, fit([units[i] for i in sorted(chosen)], budget))
            if answer.picked:
                break
    out, in_step = [], False
    for (_, picked), unit, group in zip(answer.picked, renumber(answer.picked), answer.groups):
        in_step = picked.kind == "step" or (in_step and picked.depth > 0)  # the lines under a step heading
        judged_with = (in_step and picked.kind != "step") or picked.whole
        out.append({**unit, "group": group, **({"with_heading": True} if judged_with else {})})
    return out
