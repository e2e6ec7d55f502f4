"""Scoring a question against runbook triggers: keyword hits and example similarity.

No tokenizer dictionary needed: Chinese is compared by character bigrams, other text
by lower-cased words, so matching is cheap and deterministic. URLs, IPs and host names
are left out (they name the target, not the problem).
"""

from __future__ import annotations

import re

from tools.runbooks.schema import Runbook
from tools.runbooks.slots import ERROR_WORDS

WORD = re.compile(r"[a-z0-9][a-z0-9._-]*|[\u4e00-\u9fff]+")


def features(text: str) -> set[str]:
    grams: set[str] = set()
    for token in WORD.findall(text.lower()):
        if "\u4e00" <= token[0] <= "\u9fff":
            grams.update(token[i:i + 2] for i in range(max(1, len(token) - 1)))
        else:
            grams.add(token)
    return grams


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' features (0..1)."""
    fa, fb = features(a), features(b)
    if not fa or not fb:
        return 0.0
    return 2 * len(fa & fb) / (len(fa) + len(fb))


def keyword_hit(keyword: str, text: str) -> bool:
    """Chinese keywords match as substrings; ASCII ones as whole words ("dig" is not in "digital")."""
    key = keyword.lower()
    if not key.isascii():
        return key in text
    return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", text) is not None


def keyword_score(question: str, keywords: list[str]) -> float:
    text = question.lower()
    hits = sum(1 for k in keywords if keyword_hit(k, text))
    return (0.0, 0.5, 0.7)[hits] if hits < 3 else 0.85


# Addresses say where to check, not what is wrong: "https" in a URL is no certificate problem.
_TARGET = re.compile(r"https?://\S+|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])(?::\d+)?|"
                     r"(?<![\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w-])", re.IGNORECASE)


# Asking for help says nothing about which problem: left out too ("帮我排查一下网站打不开").
_REQUEST = re.compile(r"请|麻烦|帮我|帮忙|带我|一步步|逐步|排查一下|排查下|排查|诊断|检查一下|查一下|查下|查查|看看|一下|吧")


def _about_problem(text: str) -> str:
    """The text without its addresses and requests for help: what it says about the problem."""
    return _REQUEST.sub(" ", _TARGET.sub(" ", text))


def score(question: str, runbook: Runbook) -> float:
    """0..1: how well the question fits the runbook (addresses and requests for help left out)."""
    question = _about_problem(question)
    kw = keyword_score(question, runbook.triggers.keywords)
    sim = max((similarity(question, ex) for ex in runbook.triggers.examples), default=0.0)
    return round(min(1.0, max(kw, sim) + 0.15 * min(kw, sim)), 4)


# Asking and filler words say nothing about which problem ("怎么办", "咋整", "一直", "提示").
_ASKING = re.compile(r"(?:怎么|如何|咋)(?:处理|解决|弄|搞|整)|怎么办|怎么回事|咋回事|什么原因|原因|怎么|怎样|如何|为什么|为啥|什么|咋整|咋办|咋|吗|呢|啊|了|的|是|还|能否|是否|有没有|"
                     r"一直|总是|经常|突然|已经|提示|显示|出现|报错")


# An error code among the triggers ("502", "1040") or an error identifier in the question
# ("COMMON_NAME_INVALID", "SignatureDoesNotMatch") names a problem, not a product.
_CODE = re.compile(r"\d{3,4}")
# (no nested or overlapping adjacent quantifiers: linear; three humps spelled out)
_IDENTIFIER = re.compile(r"(?<![\w.])(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z][a-z0-9]+[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)(?![\w.])")


def _content(text: str) -> set[str]:
    """Features of at least two characters, asking words and addresses left out."""
    text = _ASKING.sub(" ", _about_problem(text.lower()))
    return {f for f in features(text) if len(f) > 1}


def names_symptom(question: str, runbook: Runbook) -> bool:
    """Whether the question states the runbook's problem, not only a word it shares with it.

    One trigger word next to other words often names a product or an error word that other
    problems share ("MySQL 慢查询怎么看", "Access denied for user …" of a database, "旧样式（走
    CDN）"): the rest of the question must then be about the runbook too — another trigger word, or
    a content word its title, examples or triggers use. A question that is only the trigger
    ("磁盘满了", "证书过期了怎么办") states it.
    """
    text = _about_problem(question).lower()
    hits = [k.lower() for k in runbook.triggers.keywords if keyword_hit(k, text)]
    distinct = [k for k in hits if not any(k != other and k in other for other in hits)]
    if len(distinct) >= 2 or any(_CODE.fullmatch(k) for k in distinct):
        return True
    if distinct:  # a trigger word next to an error the question quotes besides it
        besides = text
        for key in distinct:
            besides = besides.replace(key, " ")
        if _IDENTIFIER.search(question) or ERROR_WORDS.search(besides):
            return True
    rest = _content(question) - set().union(*(_content(k) for k in distinct))
    if not rest:
        return bool(distinct) or bool(_content(question))
    described = [runbook.title, *runbook.triggers.examples, *runbook.triggers.keywords]
    return bool(rest & set().union(*(_content(t) for t in described)))
