"""A follow-up that points into the previous answer gets the unit of its page that details that part.

    chosen = pointed_unit_first(chosen, message, prior, chunks_of, vocab, base)

"growpart 后面的参数怎么写", "来源那一栏能填啥格式", "抓包看到有 SYN 没回 SYN-ACK 说明啥", "验证那步的命令
怎么写": the message names a part of what the previous answer was about — a step, a command, a field, a
setting — and asks for that part's detail. Retrieval ranks by the message's few words, so it brings the
page's first section again, another page that shares a word, or the whole section around the part. The
previous answer's cited pages are cut into units instead (graph/page_units.py: a list item with its code,
a paragraph with the block it introduces, a table row, a code block) and weighed by the message's own
characters, character pairs and Latin words, each by how rare it is among the pages' units (a word every
unit has says nothing about which part is meant). The best unit, with its heading, is the evidence alone
when it holds a rare word of the message, answers better than anything the selection took from other
pages, and the message names nothing those pages never mention (a switch of topic). A question of its own
(not a follow-up) gets the unit only when no selected passage of another page holds its marks better, unless
the previous turn said the words the unit shares with it. A message asking no detail of a part and naming no
action ("mount 的时候报 wrong fs type") gets the unit its own rare words clearly point at
(graph/detail_unit.py), when no selected passage of another page holds them better; one reporting a case in
Chinese words alone ("输错了好几次 账户好像被锁住了") the unit its rare words point at, with the cause's fix
(graph/worded_unit.py), unless another page's selected passage holds more of its words. Used by
graph/nodes/select.py; tested in tests/graph/test_pointed_unit.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from graph.asked_action import action_unit, action_words, names_action
from graph.asked_kind import asked_kinds
from graph.detail_unit import detail_unit
from graph.detail_kind import FENCED, detail_kind, gives, rule_strength, without_cues
from graph.page_units import PageUnit, as_read, page_units
from graph.prior import names_other_page
from graph.prior_scan import ChunksOf, message_marks, names_uncovered, page_passage, prior_page_chunks
from graph.schema import PassageData, PriorAnswer
from graph.worded_unit import message_words, outworded, reports_case, worded_unit

RARE = 0.25
"""A mark counts as pointing at a part when at most this share of the pages' units hold it."""
MIN_MARKS = 2
"""A unit must hold at least this many of the message's marks (one rare) to be the part meant."""
STATED = 3
"""A unit is the rule asked for, with no part named, when it holds at least this many rule words (more than any other)."""
POINTED = "pointed_unit"
"""Meta key of the unit passage: the select node takes it as the evidence, not grown to its section."""


@dataclass
class Scorer:
    """Weighs units by the message's marks, each by how rare it is among the previous pages' units."""

    weights: dict[str, float]
    rare: set[str]
    length: float
    """The pages' mean unit length: a long unit holds more marks by its length alone."""

    @classmethod
    def of(cls, message: str, units: list[PageUnit]) -> "Scorer":
        texts = [u.scored.lower() for u in units]
        chars, pairs, words = message_marks(without_cues(message), asked_kinds(message))
        weights: dict[str, float] = {}
        rare: set[str] = set()
        for group, factor in ((chars, 0.5), (pairs, 2.0), (words, 3.0)):
            for mark in group:
                df = sum(mark in t for t in texts)
                if df:
                    weights[mark] = factor * math.log(1 + len(texts) / df)
                    if len(mark) >= 2 and df <= max(1, RARE * len(texts)):
                        rare.add(mark)
        return cls(weights, rare, sum(_length(t) for t in texts) / max(1, len(texts)))

    def held(self, text: str) -> list[str]:
        """The message's marks the text holds."""
        low = text.lower()
        return [m for m in self.weights if m in low]

    def score(self, text: str) -> float:
        """The unit's score: 0 when it holds no rare mark, or one rare CJK pair alone (a Latin name alone —
        a command, a field — points at its part)."""
        held = self.held(text)
        rare = self.rare.intersection(held)
        if not rare or (len(held) < MIN_MARKS and not any(m.isascii() for m in rare)):
            return 0.0
        return sum(self.weights[m] for m in held) / (0.75 + 0.25 * _length(text) / self.length)


def _said_before(unit: PageUnit, scorer: Scorer, prior: PriorAnswer) -> bool:
    """Does the previous turn say a word the unit shares with the message ("describe 里写着 Insufficient cpu
    是啥意思" after an answer showing that event): the message points back at it, even as a question of its own."""
    said = f"{prior.get('question') or ''} {prior.get('text') or ''}".lower()
    return any(len(m) >= 2 and m in said for m in scorer.held(unit.scored))


def _with_others(message: str, units: list[PageUnit], others: Sequence[PassageData]) -> Scorer:
    """The message's marks weighed among the thread pages' units and the other pages' selected passages."""
    extra = [PageUnit(str(p.get("source") or ""), dict(p), str(p.get("text") or ""), str(p.get("text") or ""))
             for p in others]
    return Scorer.of(message, [*units, *extra])


def _length(text: str) -> float:
    """A unit's length for scoring: its code counts a quarter (a command block is what is asked, not padding)."""
    code = sum(len(c) for c in FENCED.findall(text))
    return len(text) - 0.75 * code


def best_unit(message: str, units: list[PageUnit], scorer: Scorer | None = None) -> tuple[PageUnit, float] | None:
    """The unit the message points at, with its score: of those giving the kind of detail asked, the best
    scored; None when it asks no such detail, or no such unit holds a rare mark of the message."""
    scorer = scorer or Scorer.of(message, units)
    kind = detail_kind(message)
    if not kind:
        return None  # no detail of a part asked: a case, a value or a new ask is another module's
    # a meaning is said in words: what a code block alone holds does not count for it
    scored = [(u, scorer.score(FENCED.sub(" ", u.scored) if kind == "meaning" else u.scored)) for u in units]
    scored = [(u, s) for u, s in scored if s > 0 and gives(kind, u.text)]
    if kind == "requirement":
        if not scored and any(scorer.score(u.scored) > 0 for u in units):
            return None  # the part is named, and no unit naming it states a rule: not this module's to answer
        return _stated_rule(units, scorer, scored)
    if kind == "command":  # "那用 fio 怎么测，参数给一下": the unit running fio, not the one installing it
        named = [w.lower() for w in scorer.weights if w.isascii() and w.isalpha() and len(w) > 1]
        running = [(u, s) for u, s in scored if _runs(u.text, named)]
        scored = running or scored
    return max(scored, key=lambda us: us[1], default=None)


def _stated_rule(units: list[PageUnit], scorer: Scorer,
                 named: list[tuple[PageUnit, float]]) -> tuple[PageUnit, float] | None:
    """"新密码有啥要求", "新的有啥要求": of the units stating a rule, the one naming the part best, weighed by how
    many rule words it holds; when the message names no part ("新的"), the one stating the most rules alone."""
    if named:
        return max(((u, s * (1 + 0.25 * rule_strength(u.text))) for u, s in named), key=lambda us: us[1])
    stating = [(u, rule_strength(FENCED.sub(" ", u.text))) for u in units]
    best = max((n for _, n in stating), default=0)
    top = [u for u, n in stating if n == best]
    if best < STATED or len(top) > 1:
        return None  # no unit states clearly more rules than the others: which one is meant is not known
    return top[0], float(sum(scorer.weights[m] for m in scorer.held(top[0].text)))


def _runs(text: str, commands: list[str]) -> bool:
    """A code line of the text starts with one of the commands (it is run there, not an argument)."""
    lines = (ln.strip().removeprefix("$").strip().removeprefix("sudo ").strip()
             for block in FENCED.findall(text) for ln in block.splitlines())
    return any(ln.split(" ", 1)[0].lower() in commands for ln in lines if ln and not ln.startswith("```"))


def pointed_unit_first(chosen: list[PassageData], message: str, prior: PriorAnswer, chunks_of: ChunksOf,
                       vocab: Any, base: str, retrieved: Sequence[PassageData] = (),
                       follow_up: bool = True) -> list[PassageData]:
    """The unit of the previous answer's pages the message points at, alone; the selection otherwise. A
    question of its own (not `follow_up`) points at nothing said before: the unit only when it holds the
    message's marks at least as well as each selected passage of other pages."""
    sources = list(dict.fromkeys(s for s in prior.get("sources") or [] if s))
    if not sources or any((p.get("meta") or {}).get("prior_page") for p in chosen):
        return chosen
    pages = prior_page_chunks(sources, chunks_of)
    if not pages or names_uncovered(message, pages, vocab):
        return chosen
    units = [u for s in sources for u in page_units(s, [c for t, c in pages if t == s])]
    scorer = Scorer.of(message, units)
    found, acting = best_unit(message, units, scorer), False
    if found is None:  # "扩容存储具体怎么操作": the fix unit doing the action named (graph/asked_action.py)
        found, acting = action_unit(message, units, Scorer.of(action_words(message), units).score), True
    detailing = False
    if found is None:  # "lsblk 看盘也还是原来的大小": the unit holding its rare words (graph/detail_unit.py)
        found, detailing = detail_unit(units, scorer), True
    others = [p for p in chosen if p.get("source") not in sources]
    worded = found is None and reports_case(message, scorer)
    if worded:  # "输错了好几次 账户好像被锁住了": the unit its rare words point at, no name quoted
        picked = _worded(message, units, others, vocab)  # the evidence reads most relevant last: the fix, then the line
        return [pointed_passage(u, [*chosen, *retrieved], base, (prior.get("titles") or {}).get(u.source, ""), as_read(u))
                for u in reversed(picked)] or chosen
    if found is None:
        return chosen
    unit, score = found
    if names_other_page(message, others):
        return chosen  # "那 ImagePullBackOff 呢": a name another selected page is titled by
    # an action is weighed with the other pages' words too: the marks the thread's pages lack are what they lack
    rival = _with_others(action_words(message) if acting else message, units, others) if acting or detailing \
        else scorer
    score = rival.score(unit.scored) if acting or detailing else score
    if acting and not names_action(rival.rare, rival.held(unit.scored)):
        return chosen  # "http 自动跳 https 怎么设": a fix naming https, not the redirect asked
    if (acting or detailing or (not follow_up and not _said_before(unit, scorer, prior))) \
            and any(rival.score(str(p.get("text") or "")) > score for p in others):
        # "乐观事务一个事务里最多能跑多少条语句" after a TiCDC FAQ answer: the page retrieval found for the
        # question's own words says it better than a step of the thread's page sharing a word or two; so
        # for an action named ("http 自动跳 https 怎么设" after a certificate page: the listener page's redirect)
        return chosen
    return [pointed_passage(unit, [*chosen, *retrieved], base, (prior.get("titles") or {}).get(unit.source, ""))]


def _worded(message: str, units: list[PageUnit], others: list[PassageData], vocab: Any) -> list[PageUnit]:
    """The unit a message reporting a case in words points at, with its fix (graph/worded_unit.py);
    none when a selected passage of another page holds more of its words, or names a page it quotes."""
    words = message_words(message, vocab)
    picked = worded_unit(units, words)
    if not picked or names_other_page(message, others) \
            or outworded(picked[0], [str(p.get("text") or "") for p in others], words):
        return []
    return picked


def pointed_passage(unit: PageUnit, known: Sequence[PassageData], base: str, title: str = "",
                    text: str | None = None) -> PassageData:
    """The unit (shown as `text`, its own text by default) as a passage of its page, marked as the evidence to
    keep as it is (graph/nodes/select.py); also the rule unit's (graph/rule_unit.py)."""
    passage = page_passage(unit.source, {**unit.chunk, "text": unit.text if text is None else text}, known, base, title)
    return {**passage, "meta": {**(passage.get("meta") or {}), POINTED: True}}
