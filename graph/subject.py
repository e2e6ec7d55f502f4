"""Finding a question's subject and telling whether a fragment has one.

Shared by split (restore the first question's subject in follow-on questions) and
rewrite (restore the previous turn's subject in an elliptical follow-up).
"""

from __future__ import annotations

import re
from typing import Iterable

MEASURE_ASK = r"(?<![不很太好许])多[大长高快远重宽深](?![家量数半])"
"""多 with a measure ("最大能扩到多大", "给多长时间", "能跑多快") asks a value as 多少 does; not 差不多大/多数."""
COUNT_ASK = r"(?<![这那好前后面头末近])(?:几(?:[个条次天种秒核块台位家张周号]|分钟|小时)|(?<!有)几点)"
"""几 with a counted unit (the units graph/question_type._VALUE counts: "几台", "几块盘"), a span of time
("默认几秒探一次") or a time of day or date ("每天几点开始", "几号出账") asks a number; "好几个小时", "这几台"
count nothing (as in graph/question_type._VALUE), nor "有几点" (some points)."""

# Where the asking part of a question starts: the subject is what comes before ("好几个小时", "这几台"
# count nothing: 几 asks only where no demonstrative leads it, as in graph/question_type._VALUE).
_PREDICATE = re.compile(
    r"(怎么|怎样|如何|为什么|为啥|是什么|是多少|是否|是不是|有没有|有哪些|有什么|有啥|会不会|能不能|能否|可不可以|"
    r"可以|需要|应该|要不要|哪些|哪个|哪里|在哪|哪儿|什么|多少|多久|" + MEASURE_ASK + r"|是啥|啥|咋|是几|" + COUNT_ASK + r"|跟|和.{0,12}(有关|相关|关系)|"
    r"与.{0,12}(有关|相关)|"
    r"吗|呢|\bhow\b|\bwhy\b|\bwhat\b|\bcan\b|\bis\b)",
    re.IGNORECASE,
)
# A fragment that begins with one of these continues the previous question.
_CONTINUATION = re.compile(
    r"^(那么?|那它|它|这个|那个|这|该|其|还|也|并且|而且|跟|和|与|是否|是不是|能不能|能否|可以|可不可以|需要|要不要|"
    r"会不会|有没有|怎么|如何|为什么|为啥|多久|多少|哪些|什么|([\u4e00-\u9fff])[不没]\2|"  # 需不需要, 用不用
    r"[\u4e00-\u9fff]完(?![全整成善美]))",  # "续完还要重启啥": done with the action just asked about
)
_DONE = re.compile(r"^[\u4e00-\u9fff]完(?![全整成善美])")
# longer forms first: "另外问下" must not leave "问下" behind
_LEADING_FILLER = re.compile(r"(?:(?:另外|顺便|再|还想)(?:问一下|问下|问一句|问个事儿?|想问)|对了|换个(?:问题|话题|事儿?)|换一个(?:问题|话题)|"
                             r"还有[一两]?(?:个|件)(?:问题|事儿?|疑问)|那么|那(?![个些种边里样])|还有|另外|以及|顺便|此外|还想问|然后(?!呢))[，,：:\s]*")
# 其他 / 其余 / 其实 / 其中 and 应该 / 活该 are words of their own, not 其 "its" or 该 "that" (as graph/cues.PRONOUN)
_PRONOUN = re.compile(r"(它们|它的|它|这个|那个|(?<![应活])该|其(?![他它余实中次]))")


def _same_class(a: str, b: str) -> bool:
    """Two ASCII letters, or two digits: characters that run on as one word ("servfail", "33060")."""
    return (a.isascii() and b.isascii()) and ((a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit()))


def term_at(low: str, term: str, start: int = 0) -> int:
    """Where `term` stands in `low` from `start` as a word of its own, -1 if nowhere: an English term
    is not a piece of a longer English word ("fail" is not in "servfail", "ip" not in "eip")."""
    at = low.find(term, start)
    while at >= 0:
        end = at + len(term)
        if not (at and _same_class(low[at - 1], term[0])) and not (end < len(low) and _same_class(low[end], term[-1])):
            return at
        at = low.find(term, at + 1)
    return -1


class DomainTerms:
    """Domain terms (KB lexicon + built-in cloud terms) and lookups in a text."""

    def __init__(self, terms: Iterable[str], symptoms: Iterable[str] = ()) -> None:
        self.terms = sorted({t.lower() for t in terms if len(t) >= 2}, key=len, reverse=True)
        skip = {s.lower() for s in symptoms}
        self.entities = [t for t in self.terms if t not in skip]
        """Terms naming things (products, components), not symptoms like 连不上."""

    def has(self, text: str) -> bool:
        low = text.lower()
        return any(term_at(low, t) >= 0 for t in self.terms)

    def first(self, text: str) -> str:
        """The earliest (then longest) domain term in the text, as written there; "" if none."""
        low = text.lower()
        best: tuple[int, int] | None = None
        for t in self.entities:
            pos = term_at(low, t)
            if pos >= 0 and (best is None or pos < best[0] or (pos == best[0] and len(t) > best[1])):
                best = (pos, len(t))
        return text[best[0]: best[0] + best[1]] if best else ""

    def phrase(self, text: str) -> str:
        """Domain terms of the text in reading order, without overlaps: "云服务器 SSH"."""
        low = text.lower()
        taken: list[tuple[int, int]] = []
        for t in self.entities:  # longest first
            start = term_at(low, t)
            while start >= 0:
                end = start + len(t)
                if all(end <= a or start >= b for a, b in taken):
                    taken.append((start, end))
                    break
                start = term_at(low, t, start + 1)
        return " ".join(text[a:b] for a, b in sorted(taken))

    def all_in(self, text: str) -> list[str]:
        low = text.lower()
        return [t for t in self.terms if term_at(low, t) >= 0]


# Words that belong to the ask just before its asking word ("规则最多多少条", "到底是多少", "生效要等多久"), not to the subject
_ASK_MODIFIER = re.compile(r"(?:最多|最少|最长|最短|最大|最小|最高|最低|一般|通常|大概|到底|究竟|具体|能|可以|要等|得等|需要|要)+$")


def subject_of(question: str) -> str:
    """"云服务器 CPU 100% 怎么排查" -> "云服务器 CPU 100%"; "安全组规则最多多少条" -> "安全组规则";
    "" when nothing precedes the asking part."""
    match = _PREDICATE.search(question)
    if not match:
        return question.strip(" ，,。？?")
    head = question[: match.start()].strip(" ，,。？?的")
    return _ASK_MODIFIER.sub("", head).strip(" ，,。？?的") or head


def strip_filler(fragment: str) -> str:
    """Without the openers it starts with, however many ("对了顺便问下 X" -> "X")."""
    text, end = fragment.strip(), 0
    while (found := _LEADING_FILLER.match(text, end)) is not None and found.end() > end:
        end = found.end()
    return text[end:].strip()


def needs_subject(fragment: str, terms: DomainTerms) -> bool:
    """Does this fragment lean on an earlier subject ("跟带宽有关吗", "它的端口是多少")?"""
    text = fragment.strip()
    if not text:
        return False
    if _PRONOUN.search(text[:4]) or _DONE.match(text):
        return True
    if _CONTINUATION.match(text):
        own_subject = subject_of(text)
        return not own_subject or not terms.has(own_subject)
    return not terms.has(text)


# Under IGNORECASE `[A-Z][a-z]+(?:[A-Z][a-z]+)+` meant "4+ letters" and backtracked exponentially
# on a long word followed by a digit; `[a-z]{4,}` matches the same words in linear time.
_CODE = re.compile(r"(?:error\s*)?\b\d{3,5}\b|\b[a-z]{4,}\b", re.IGNORECASE)


def substitute(previous: str, new: str, terms: DomainTerms) -> str:
    """"如果是 RDS 呢" / "504 呢": the previous question about `new` instead of its own subject."""
    if _CODE.fullmatch(new.strip()) and _CODE.search(previous):
        return _CODE.sub(new.strip(), previous, count=1)
    entity = terms.phrase(subject_of(previous)) or terms.first(previous)
    if entity and entity.lower() in previous.lower() and new.lower() != entity.lower():
        return re.sub(re.escape(entity), new, previous, count=1, flags=re.IGNORECASE)
    return f"{new} {previous}"


def starts_elliptical(fragment: str) -> bool:
    """Begins with the asking part itself ("跟带宽有关吗", "需要重启吗"): the whole subject is elided."""
    return bool(_CONTINUATION.match(fragment.strip())) and not _PRONOUN.search(fragment.strip()[:4])


def attach_subject(subject: str, fragment: str, entity: str = "") -> str:
    """Put the subject in front of the fragment; a pronoun is replaced by the entity."""
    body = strip_filler(fragment)
    pronoun = re.match(r"^(它们|它|这个|那个|该|其(?![他它余实中次]))", body)
    if pronoun and entity:
        return entity + body[pronoun.end():]
    body = body[pronoun.end():] if pronoun else body
    if entity and not starts_elliptical(body):
        subject = entity
    if not subject:
        return body
    if body.startswith(subject):
        return body
    joiner = "" if body.startswith("的") else " "
    return f"{subject}{joiner}{body}".strip()


FACETS = frozenset({"上限", "下限", "默认值", "默认", "最大值", "最小值", "最大", "最小", "最多", "最长", "阈值", "取值",
                    "范围", "原因", "时间", "时长", "多久", "有效期", "期限", "限制", "数量", "个数", "大小", "含义",
                    "意思", "影响", "后果", "区别", "单位", "位置", "作用"})
"""What a question can ask of any subject (its limit, default, cause, duration…): no thing of its own."""
