"""The asked quantity, and the line of a whole page that states it (issue #12: a value question gets the value).

A value question asks a size ("最多能放多大"), a duration ("默认多久", "多久重新解析一次"), a rate
("采样率是多少"), or a count or plain number ("最多几个", "默认是多少", "范围是多少"). `asked_quantity`
reads the asking clause and returns the kind with the limit words it asks by (最多 / 默认 / 最少).
`value_passage` scans every chunk of the evidence's on-topic pages — retrieval often returns a page's
intro while the value sits in another section or a table row — for the line holding a quantity of that
kind and sharing the question's subject beyond the page's title, and returns that line's chunk as one
more evidence passage (graph/evidence.py). `value_bonus`, `subject_bonus` and `antecedent` are what
graph/value_fact.best_fact uses for a line holding the asked quantity; graph/nodes/verify.py drops the
partial-match hedge when the answer opens with one. Nothing is made up: the line is the page's, as written.
(graph/question_type.asked_unit reads the same clause for the unit a count's answer carries; graph/asked_kind
reads a follow-up's kinds of answer, prices and interruptions included.)
Tested in tests/graph/test_value_scan.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import AbstractSet, Any, Mapping, Sequence

from graph.chunk_passage import page_section
from graph.doc_units import Unit, parse_units
from graph.question_type import asks_place, last_clause
from graph.relevance import QuestionTerms, coverage, title_context

_NUM = r"(?<![\w.\-/])\d[\d,]*(?:\.\d+)?"
_DURATION = re.compile(_NUM + r"\s*(?:ms|毫秒|秒钟?|分钟|分|小时|个?小时|天|周|个月|月|年|[smhd](?![a-z]))"
                       r"|(?<![\w.])\d+m\d+s\b|[一二两三四五六七八九十半几数]\s*(?:秒钟?|分钟|个?小时|天|周|个月|年)", re.I)
_SIZE = re.compile(_NUM + r"\s*(?:[KMGTP]i?B|[KMGTP]i(?![a-z])|[KMGTP](?![a-z])|字节|bytes?\b|B\b)|(?<![\w.])\d{5,}(?![\w.])|" + _NUM + r"\s*倍", re.I)
_RATE = re.compile(_NUM + r"\s*%|百分之[一二三四五六七八九十百\d]+")
_NUMBER = re.compile(_NUM + r"|(?<![一二三四五六七八九十])[二两三四五六七八九十]\s*(?:次|倍)")
# a count or plain number is not a measure: "默认为 6" answers "重试几次", "最多至 6 分钟" does not
_MEASURE = re.compile(r"\s*(?:ms|毫秒|秒|分钟|小时|天|周|个月|年|[KMGTP]i?B|[KMGTP]i(?![a-z])|字节|%|[smhd](?![a-z]))", re.I)

# what asks a quantity: "默认" alone does not ("那默认安全组呢" asks about the default group)
_ASK = re.compile(r"多少|(?<![这那好前后面头末近])几(?![乎十百千万])|多久|多长|多大|多高|多快|上限|下限|最大|最多|最小|最少|最长|最短|"
                  r"最高|最低|范围|how (many|much|long)", re.I)
_ASKS_DURATION = re.compile(r"多久|多长时间|多长|(?:几|多少)\s*(?:秒|分钟|小时|天|周|个月|年)|有效期|超时|间隔|周期|"
                            r"how long|timeout|interval|ttl", re.I)
_ASKS_SIZE = re.compile(r"多大|大小|尺寸|容量|空间|(?:多少|几)\s*(?:G\s*)?(?:内存|显存|存储)|(?:几|多少)\s*(?:[KMGT]i?B?|字节|兆|G\b)|how (big|large)|size", re.I)
_ASKS_RATE = re.compile(r"[率比]|百分|占比|percent", re.I)
# the limit a question asks by, and the words a page states that limit with
_LIMITS = (
    (re.compile(r"最多|最大|上限|最长|最高|封顶|max|limit", re.I),
     re.compile(r"最多|最大|上限|最长|最高|不超过|不能超过|不得超过|不可超过|限制|至多|限定|max|limit", re.I)),
    (re.compile(r"最少|最小|下限|最短|最低|至少", re.I), re.compile(r"最少|最小|下限|最短|最低|至少|不低于|不少于|min", re.I)),
    (re.compile(r"默认|缺省|default|没(?:设|配|改)|不(?:设|配)", re.I), re.compile(r"默认|缺省|default", re.I)),
    (re.compile(r"范围", re.I), re.compile(r"范围|range", re.I)),
)


_CLAUSE_END = re.compile(r"[；;。！!？?]")
NEAR_CHARS = 24
"""Characters before a quantity where the asked thing's word makes the value that thing's."""


@dataclass(frozen=True)
class Quantity:
    """The kind of quantity a question asks ("size", "duration", "rate", "number") and the limit words
    (patterns a line states the asked limit with) of its asking clause."""

    kind: str
    pattern: re.Pattern
    limits: tuple[re.Pattern, ...] = ()

    def held(self, text: str, own: AbstractSet[str] = frozenset()) -> bool:
        """The text states a quantity of this kind (not only the question's own numbers)."""
        return any((re.sub(r"\D", "", m.group(0)) not in own or not own)
                   and not (self.kind == "number" and _MEASURE.match(text, m.end())) for m in self.pattern.finditer(text))

    def named_before(self, text: str, subject: QuestionTerms, own: AbstractSet[str] = frozenset(),
                     row: bool = False) -> bool:
        """A word of the asked thing (`subject`) stands just before a quantity of this kind ("默认
        `max_allowed_packet` 配额都为 `64M`"): the value is that thing's, not another's in the line; in a
        table row anywhere before it (the row's key names what its values are of)."""
        names = list(without_asking(subject).weights)
        for m in self.pattern.finditer(text):
            if own and re.sub(r"\D", "", m.group(0)) in own:
                continue
            window = text[0 if row else max(0, m.start() - NEAR_CHARS):m.start()].lower()
            if not row:  # in the value's own clause: "慢查询导致 P99 升高；响应时限 15 分钟" times the response
                window = _CLAUSE_END.split(window)[-1]
            if any(t in window for t in names):
                return True
        return False

    def limit_words(self, text: str) -> int:
        """How many of the asked limits (最多, 默认, …) the text states."""
        return sum(1 for p in self.limits if p.search(text))


def _asking_clause(question: str) -> str:
    """The last clause when it asks a quantity ("报太大了，最多能放多大" -> "最多能放多大"); "" when it does
    not: "只能看到几条 trace，是不是丢了" reports a count, it asks whether data is lost (as asked_unit reads it)."""
    clause = last_clause(question)
    return clause if clause and _ASK.search(clause) else ""


def asked_quantity(question: str) -> Quantity | None:
    """The quantity the question asks for, or None when it asks none."""
    clause = _asking_clause(question)
    if not clause or asks_place(clause):  # "去哪看积分还剩多少": where to look, not the number
        return None
    limits = tuple(line for ask, line in _LIMITS if ask.search(clause))
    if _ASKS_RATE.search(clause) and re.search(r"多少|几", clause):
        return Quantity("rate", _RATE, limits)
    if _ASKS_DURATION.search(clause):
        return Quantity("duration", _DURATION, limits)
    if _ASKS_SIZE.search(clause):
        return Quantity("size", _SIZE, limits)
    return Quantity("number", _NUMBER, limits)


_COUNTED = re.compile(r"(?:几|多少)\s*[个条台块张种份家套组]\s*(.{1,12})")


def counted_thing(terms: QuestionTerms, question: str) -> str | None:
    """The question's term right after the count it asks ("一个 vpc 能建几个 nat" -> "nat"): what is counted,
    which a line stating the number must name (a count of VPCs answers no count of NAT gateways)."""
    m = _COUNTED.search(question.lower())
    after = m.group(1).lstrip() if m else ""
    return next((t for t in sorted(terms.weights, key=len, reverse=True) if after and after.startswith(t)), None)


def asked_subject(terms: QuestionTerms, question: str) -> QuestionTerms:
    """The question's terms written in its asking clause ("max_allowed_packet 默认是多大" after the
    error story): what the value is of, rather than the story around it."""
    clause = _asking_clause(question).lower()
    return QuestionTerms({t: w for t, w in terms.weights.items() if t in clause}, set(), [], terms.aliases)


SUBJECT = 0.5
"""Added to a value line naming a word of the asking clause just before its quantity (`Quantity.named_before`):
"默认 `max_allowed_packet` 配额都为 `64M`" beats a line restating the error with another size in it."""


def subject_bonus(quantity: Quantity | None, subject: QuestionTerms, unit: Unit, own: set[str]) -> float:
    return SUBJECT if quantity is not None and quantity.named_before(unit.text, subject, own, unit.kind == "row") else 0.0


def without_asking(terms: QuestionTerms) -> QuestionTerms:
    """The terms without the words asking the quantity or its limit ("上限", "默认", "多少"): a line stating
    the value answers them in its own words ("最多 200 条")."""
    kept = {t: w for t, w in terms.weights.items()
            if not _ASK.fullmatch(t) and not any(a.fullmatch(t) for a, _ in _LIMITS)}  # "max_allowed_packet" stays
    return QuestionTerms(kept, {t for t in terms.expanded if t in kept}, terms.entities, terms.aliases)


def asking_word(term: str) -> bool:
    """A Chinese term holding a word that asks the quantity ("多长时间", "多少个"); a Latin name never is."""
    return not term.isascii() and bool(_ASK.search(term))


def without_asking_words(terms: QuestionTerms) -> QuestionTerms:
    """The terms less those asking the quantity (`asking_word`: "几个", "多少"): what the value is of; the value
    given answers the asking words."""
    return QuestionTerms({t: w for t, w in terms.weights.items() if not asking_word(t)}, terms.expanded, terms.entities,
                         terms.aliases)


def own_numbers(question: str) -> set[str]:
    return set(re.findall(r"\d+", question.replace(",", "")))


QUANTITY = 0.6
"""Added to a line holding a quantity of the asked kind (beside graph/value_fact.IN_UNIT)."""
LIMIT_WORD = 0.3
"""Added per asked limit (最多, 默认, …) the line states: "默认为 6" answers "默认重试几次", "间隔 10 秒" less."""


def value_bonus(quantity: Quantity | None, text: str, own: set[str], in_unit: float = 0.0) -> float:
    """What a line holding the asked quantity adds to its score: QUANTITY, or `in_unit` when the line gives
    the number in the very unit asked (graph/question_type.asked_unit), and LIMIT_WORD per asked limit it
    states; 0 when it holds none."""
    held = quantity is not None and quantity.held(text, own)
    if not (held or in_unit):
        return 0.0
    return max(in_unit, QUANTITY if held else 0.0) + (LIMIT_WORD * quantity.limit_words(text) if quantity else 0.0)


BEFORE = 2
"""Lines before a value line read with it: the list it closes ("TiDB Server 的全局变量 `max_allowed_packet`"
before "设置为比默认 67108864 (64M) 更大的值")."""


def paragraph(units: Sequence[Unit], i: int) -> str:
    """The line with the other sentences of its paragraph and the BEFORE lines before it ("可以将
    `.spec.backoffLimit` 设置为…。失效回退的限制值默认为 6。"): the subject is often named before the value;
    an item with the other items of its list."""
    u = units[i]
    if u.kind == "item":  # an item: with the other items of its list ("TiDB 单个事务大小限制" / "默认值：104857600")
        first = last = i
        while first > 0 and units[first - 1].kind == "item":
            first -= 1
        while last + 1 < len(units) and units[last + 1].kind == "item":
            last += 1
        return " ".join(v.text for v in units[first:last + 1])
    same = [v.text for v in units if v.para == u.para and v.kind in ("sentence", "leadin")] if u.para >= 0 else [u.text]
    before = [v.text for v in units[max(0, i - BEFORE):i] if v.heading == u.heading and v.kind != "code"]
    return " ".join(dict.fromkeys([*before, *same]))


_REFERS_BACK = re.compile(r"^(?:该|此|这|上述|以上|其|它)")


def antecedent(units: Sequence[Unit], i: int, terms: QuestionTerms) -> set[int]:
    """The sentence before a value line in its paragraph, when the line refers back to it ("此间隔固定为
    30 秒") or it names more of the question than the line ("可以将 `.spec.backoffLimit` 设置为…。" before
    "失效回退的限制值默认为 6。"): without it the value reads as of nothing."""
    u = units[i]
    if i == 0 or u.para < 0 or u.kind != "sentence":
        return set()
    before = units[i - 1]
    if before.para != u.para or before.kind != "sentence":
        return set()
    return {i - 1} if _REFERS_BACK.match(u.text) or coverage(terms, before.text) > coverage(terms, u.text) else set()


MIN_SUBJECT = 0.1
"""Share of the question beyond the page's title a line (with its headings) must hold: a number
on the page about another thing of the page does not answer."""


def value_passage(pages: Sequence[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]], terms: QuestionTerms,
                  question: str, have: set[str]) -> dict | None:
    """Over the evidence's pages (a passage of each, with all the page's chunks): the section holding the
    best line with the asked quantity, as an evidence passage (`meta.added` "value"), or None when no
    line holds one or its chunk is already in evidence (`have`: chunk ids)."""
    quantity = asked_quantity(question)
    if quantity is None:
        return None
    own = own_numbers(question)
    subject = asked_subject(terms, question)
    best: tuple[float, Mapping[str, Any], Mapping[str, Any]] | None = None
    for page, doc_chunks in pages:
        title = title_context(page)
        beyond = terms.without(title)
        for chunk in doc_chunks:
            heads = " ".join(chunk.get("heading_path") or [])
            units = parse_units(chunk.get("text") or "", chunk.get("kind") or "doc")
            for i, u in enumerate(units):
                if u.kind not in ("sentence", "item", "row", "leadin") or not quantity.held(u.text, own):
                    continue
                where = f"{heads} {u.heading} {paragraph(units, i)}"
                if coverage(beyond, f"{u.text} {where}") < MIN_SUBJECT:
                    continue
                score = coverage(terms, u.text) + 0.5 * coverage(terms, f"{title} {where}") \
                    + value_bonus(quantity, u.text, own) + subject_bonus(quantity, subject, u, own)
                if best is None or score > best[0] + 1e-9:
                    best = (score, page, chunk)
    if best is None or best[2].get("chunk_id") in have:
        return None
    _, page, chunk = best
    return page_section(page, chunk, "value")
