"""English names a base states for its Chinese terms: "安全组（Security Group）", "弹性公网 IP（Elastic IP，EIP）".

A short Chinese term (2-8 characters, optionally with a trailing ASCII word such as "IP") right
before full-width or ASCII parentheses holding English names gives each name (lower-cased) the
term. Mined from the chunks' text when an ingest ends and stored with the generation
(knowledge.corpus.Corpus.aliases); graph/crosslingual.py adds the terms to English questions.
A name given several different terms keeps the one stated most often. A name the base writes
on its own far more often than in pairs ("设备名（Linux）", "HTTP") is a name in its own right,
matched as written, not a translation: left out. Tests:
tests/knowledge/test_aliases.py.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Callable, Iterable

from knowledge.stopwords import STOP_WORDS

_PAIR = re.compile(
    r"(?<![\u4e00-\u9fff])"  # the term starts the phrase: not the tail of a longer sentence
    r"([\u4e00-\u9fff]{2,8}(?: ?[A-Z]{2,5})?) ?[（(]([A-Za-z][^（）()\n]{0,80})[）)]")
"""A term and the parenthesised text after it (linear: one bounded class each; names split in Python)."""
_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]{0,40}[A-Za-z]")
_SEPARATORS = re.compile(r"[，,、/]")
MAX_WORDS = 3
MAX_ALIASES = 2000
OWN_USE = 3
"""A name in more than this many chunks per stated pair is used in its own right."""
_PARTICLES = "的或和与及把被从向由"
_LEADS = sorted({*(w for w in STOP_WORDS if not w.isascii() and len(w) > 1), "通常", "则", "使用", "下表", "称为", "叫做",
                 "所谓", "即", "一种", "也就是", "就是"}, key=len, reverse=True)
"""Words a sentence runs into a term with ("通常是驼峰编码", "使用信封加密"): cut off the term's start."""


def mine_aliases(texts: Iterable[str], df: Callable[[str], int] = lambda name: 0) -> dict[str, list[str]]:
    """{english name (lower-case, at most MAX_WORDS words): [its Chinese term]} of the texts;
    `df`: chunks holding a name (its rarest word)."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        if "（" not in text and "(" not in text:
            continue
        for match in _PAIR.finditer(text):
            term = _bare(match.group(1))
            if len(term) < 2:
                continue
            for name in _SEPARATORS.split(match.group(2)):
                name = name.strip()
                if _NAME.fullmatch(name) and "." not in name and len(name.split()) <= MAX_WORDS \
                        and len(name) >= 3 and name.lower() not in STOP_WORDS and name.lower() not in term.lower():
                    seen[name.lower()][term] += 1
    ranked = sorted(((n, c) for n, c in seen.items() if df(n) <= OWN_USE * sum(c.values())),
                    key=lambda kv: -sum(kv[1].values()))[:MAX_ALIASES]
    return {name: [counts.most_common(1)[0][0]] for name, counts in ranked}


def _bare(term: str) -> str:
    """The term without the sentence running into it: after its last 的/是 ("访问的七层监听器" ->
    七层监听器), leading function words and particles cut off."""
    for mark in "的是":
        term = term.rsplit(mark, 1)[-1]
    while True:
        lead = next((w for w in _LEADS if term.startswith(w) and len(term) - len(w) >= 2), None)
        if lead is None:
            return term.lstrip(_PARTICLES).strip()
        term = term[len(lead):]
