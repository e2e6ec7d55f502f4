"""The spoken-word families of graph/synonyms.yaml, read once and checked: what users say -> what
documentation writes, for query expansion, question terms and the guard alike.

`words` maps a spoken word to its written forms; `written_in_base(word, vocab)` keeps the forms the
loaded base itself writes (a family never assumes a word the base lacks), so "收钱" on a base that
writes 计费 weighs and counts as 计费, and on a base that writes none of its forms as nothing.
The guard's other families (money verbs, replica names, everyday services, the words they share
with the desk) live in the same file. Tests: tests/graph/test_spoken_words.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from pydantic import BaseModel, Field

from knowledge.packaged_yaml import read_mapping, validated

FILE = "synonyms.yaml"


class SpokenWordsError(ValueError):
    """graph/synonyms.yaml is missing, not YAML, or has a field of the wrong shape."""


class SpokenWords(BaseModel):
    words: dict[str, list[str]]
    money_verbs: dict[str, list[str]] = Field(default_factory=dict)
    replica: list[str] = Field(default_factory=list)
    everyday_services: dict[str, list[str]] = Field(default_factory=dict)
    shared_with_services: list[str] = Field(default_factory=list)
    possessions: list[str] = Field(default_factory=list)


class _Vocabulary(Protocol):
    def knows(self, token: str) -> bool: ...

    def tokenize(self, text: str) -> list[str]: ...

    def association(self, token: str, others: list[str]) -> float: ...


@lru_cache(maxsize=1)
def spoken_words() -> SpokenWords:
    """The families, keys lower-cased (users type "Timeout" as often as "timeout")."""
    data = validated(SpokenWords, read_mapping("graph", FILE, SpokenWordsError), f"graph/{FILE}", SpokenWordsError)
    data.words = {str(k).lower(): [str(t) for t in v] for k, v in data.words.items()}
    return data


def written_in_base(word: str, vocab: _Vocabulary) -> list[str]:
    """The written forms of a spoken word that the base writes, in the file's order (most specific first)."""
    return [t for t in spoken_words().words.get(word.lower(), ()) if writes(vocab, t.lower())]


def form_words(vocab: _Vocabulary, form: str) -> list[str]:
    """The words of a written form as the base's index cuts it ("无法连接": 无法, 连接), one-character
    pieces left out."""
    return [t for t in dict.fromkeys(w.strip().lower() for w in vocab.tokenize(form))
            if len(t) >= 2 or t.isdigit()]


def writes(vocab: _Vocabulary, form: str) -> bool:
    """The base writes the form: a word of its index, or a phrase whose words its chunks hold
    together ("连接中断": 连接 and 中断 in one chunk)."""
    if vocab.knows(form):
        return True
    words = form_words(vocab, form)
    if not words or not all(vocab.knows(w) for w in words):
        return False
    return len(words) == 1 or vocab.association(words[0], words[1:]) > 0


def spoken_words_in(token: str) -> list[str]:
    """The family keys (two characters or more) a token is or holds, or that hold it ("收钱" in "收钱不")."""
    return [w for w in spoken_words().words if len(w) >= 2 and (token in w or w in token)]


def spoken_in(text: str) -> list[str]:
    """The family keys (two characters or more) a text says, longest first; one inside a longer key
    the text says is that key's ("连不上" in "ssh连不上" once, not also "不上")."""
    low = text.lower()
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    for word in sorted((w for w in spoken_words().words if len(w) >= 2), key=len, reverse=True):
        at = [i for i in _starts(low, word) if not any(s <= i and i + len(word) <= e for s, e in spans)]
        if at:
            out.append(word)
            spans += [(i, i + len(word)) for i in at]
    return out


def _starts(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out
