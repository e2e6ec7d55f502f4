"""Scoring a question against runbook triggers: keyword hits and example similarity.

No tokenizer dictionary needed: Chinese is compared by character bigrams, other text
by lower-cased words, so matching is cheap and deterministic. URLs, IPs and host names
are left out (they name the target, not the problem).
"""

from __future__ import annotations

import re

from tools.runbooks.schema import Runbook

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


def score(question: str, runbook: Runbook) -> float:
    """0..1: how well the question fits the runbook (addresses and requests for help left out)."""
    question = _REQUEST.sub(" ", _TARGET.sub(" ", question))
    kw = keyword_score(question, runbook.triggers.keywords)
    sim = max((similarity(question, ex) for ex in runbook.triggers.examples), default=0.0)
    return round(min(1.0, max(kw, sim) + 0.15 * min(kw, sim)), 4)
