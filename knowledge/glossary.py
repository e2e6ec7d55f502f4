"""Spoken ops Chinese -> documentation words: keyword query expansion from a shipped glossary.

Support questions say "退回上一个版本", "拦掉", "抓个包" where every manual writes 回滚, 阻止,
tcpdump; no page of a base holds the spoken word, so neither the base's own statistics nor
its FAQ questions (written in documentation words) can supply the pair. `knowledge/
colloquial_zh.yaml` is a general list of such pairs (its header says how it was written).

A key is found in the query's words as one word or two or three consecutive words ("拦" +
"掉"). Its terms join the query at `colloquial_weight` x their own term weight, never above
the user's words, and only terms the base holds; they share a group with the key (a chunk
earns the best of the key and its terms, and the group counts once in the coordination
share: knowledge.bm25.BM25Index.scores_and_coverage). Used by knowledge.lexical.LexicalRanker;
tests: tests/knowledge/test_glossary.py.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator

MAX_SPAN = 3
"""Consecutive query words a key may span."""


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: dict[str, list[str]]
    _forms: dict[str, str] | None = PrivateAttr(default=None)

    @field_validator("terms")
    @classmethod
    def _clean(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, terms in value.items():
            word = "".join(str(key).lower().split())
            if len(word) < 2 or not terms:
                raise ValueError(f"key {key!r}: needs two or more characters and at least one term")
            out[word] = [str(t).lower() for t in terms]
        return out


@lru_cache(maxsize=1)
def colloquial() -> Glossary:
    text = resources.files("knowledge").joinpath("colloquial_zh.yaml").read_text(encoding="utf-8")
    return Glossary.model_validate(yaml.safe_load(text))


def spans(tokens: list[str]) -> list[str]:
    """Each query word and each run of two or three consecutive words, joined."""
    out: list[str] = []
    for i in range(len(tokens)):
        for n in range(1, MAX_SPAN + 1):
            if i + n <= len(tokens):
                out.append("".join(tokens[i:i + n]).lower())
    return out


def _forms(glossary: Glossary) -> dict[str, str]:
    """Matchable form -> key: the key itself, and the key's words as the tokenizer keeps them when
    they are two or more ("拉不起来" -> 拉 + 起来: the question's words lost 不 the same way). A key
    that keeps one shorter word ("一直重启" -> 重启) would fire on that word alone: only the key."""
    if glossary._forms is not None:
        return glossary._forms
    from knowledge.text import tokenize
    out: dict[str, str] = {}
    for key in glossary.terms:
        out.setdefault(key, key)
        words = list(dict.fromkeys(tokenize(key)))
        if 2 <= len(words) <= MAX_SPAN:
            out.setdefault("".join(words), key)
    glossary._forms = out
    return out


def expansions(tokens: list[str], glossary: Glossary | None = None) -> dict[str, str]:
    """term -> the glossary key that brought it, for the keys among the query's words and word runs
    (longer keys first; a term the query already holds is not added)."""
    glossary = glossary or colloquial()
    forms = _forms(glossary)
    held = {t.lower() for t in tokens}
    found = sorted({forms[s] for s in spans(tokens) if s in forms}, key=len, reverse=True)
    out: dict[str, str] = {}
    for key in found:
        for term in glossary.terms[key]:
            if term not in held and term not in out:
                out[term] = key
    return out
