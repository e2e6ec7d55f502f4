"""Cross-lingual keyword retrieval: Chinese documentation terms for an English question.

The knowledge is Chinese; an English question ("What is the default SSH port of a cloud
server?") shares few words with it. Its English words and phrases get Chinese terms from
two sources: the pairs the base itself states ("安全组（Security Group）", mined per base at
ingest: knowledge.corpus.Corpus.aliases) and a shipped general glossary (graph/glossary_en.yaml:
default -> 默认, port -> 端口; the glossary wins where both have an entry). Retrieval adds the
terms to the query (the English words stay: pages hold English commands and error strings);
selection judges pages against the question in the documentation's words (`selection_text`:
each translated phrase replaced, English filler words left out), so its "not found" decision
sees the same terms. Chinese questions are untouched. Tests: tests/graph/test_english.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Callable, Mapping

import yaml

from graph.language import FUNCTION_WORDS, message_language

if TYPE_CHECKING:
    from graph.bases import KBScope
    from graph.context import GraphContext
    from graph.vocabulary import KBVocabulary

MAX_PHRASE = 3
"""Words in the longest phrase looked up."""
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*|[^\sA-Za-z]+")


@dataclass(frozen=True)
class Glossary:
    terms: dict[str, list[str]]
    filler: frozenset[str]


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    data = yaml.safe_load(resources.files("graph").joinpath("glossary_en.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"terms", "filler"} or not isinstance(data["terms"], dict) \
            or not all(isinstance(v, list) and v for v in data["terms"].values()):
        raise ValueError("graph/glossary_en.yaml: needs `terms` (word -> non-empty list) and `filler` (list)")
    return Glossary({str(k).lower(): [str(t) for t in v] for k, v in data["terms"].items()},
                    frozenset(str(w).lower() for w in data["filler"]))


def stems(word: str) -> list[str]:
    """The word and its likely stems ("disks" -> disk, "expanded" -> expand, "charged" -> charge)."""
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: len(word) - len(suffix)] + repl)
    return out


def phrase_terms(words: list[str], aliases: Mapping[str, list[str]]) -> list[str] | None:
    """Terms of a phrase: the glossary's, else the base's stated pair; the last word may be inflected."""
    head = " ".join(words[:-1])
    for last in stems(words[-1]):
        key = f"{head} {last}" if head else last
        found = glossary().terms.get(key) or aliases.get(key)
        if found:
            return found
    return None


def known_english(word: str) -> bool:
    """A general English word the glossary or the function-word list knows ("charged", "bound"): a word
    the user meant, never a misspelling of a word of the base ("changed", "found")."""
    low = word.lower()
    return low in FUNCTION_WORDS or low in glossary().filler or phrase_terms([low], {}) is not None


def english_name(term: str, aliases: Mapping[str, list[str]] | None = None) -> str:
    """The English name of a documentation term ("云盘" -> "cloud disk"), "" when none is known: a name
    written in Latin letters as it is ("CDN"), else the base's stated pair, else the glossary's most
    specific entry for it (the one that gives it first and fewest other terms: "security group", not "rule")."""
    if term.isascii():
        return term
    for source in (aliases or {}, glossary().terms):
        names = sorted((k for k, v in source.items() if term in v),
                       key=lambda k: (source[k].index(term), len(source[k]), -len(k.split()), len(k)))
        if names:
            return names[0]
    return ""


@dataclass(frozen=True)
class Piece:
    text: str
    """As written (a word, a phrase, or one other character)."""
    terms: tuple[str, ...] = ()
    """Its Chinese terms (none: untranslated)."""


def pieces(text: str, aliases: Mapping[str, list[str]] | None = None) -> list[Piece]:
    """The text cut into phrases (longest glossary or base phrase first) and other characters."""
    aliases = aliases or {}
    tokens = _TOKEN.findall(text)
    out: list[Piece] = []
    i = 0
    while i < len(tokens):
        if _WORD.fullmatch(tokens[i]):
            for n in range(MAX_PHRASE, 0, -1):
                span = tokens[i:i + n]
                if len(span) < n or not all(_WORD.fullmatch(t) for t in span):
                    continue
                found = phrase_terms([t.lower() for t in span], aliases)
                if found:
                    out.append(Piece(" ".join(span), tuple(found)))
                    i += n
                    break
            else:
                out.append(Piece(tokens[i]))
                i += 1
        else:
            out.append(Piece(tokens[i]))
            i += 1
    return out


def english_terms(text: str, aliases: Mapping[str, list[str]] | None = None) -> list[str]:
    """Chinese terms for an English question's words (none for a Chinese question)."""
    if message_language(text) != "en":
        return []
    return _terms(text, aliases)


def _terms(text: str, aliases: Mapping[str, list[str]] | None) -> list[str]:
    found: list[str] = []
    for piece in pieces(text, aliases):
        found += [t for t in piece.terms if t not in found and t.lower() not in text.lower()]
    return found


def selection_text(text: str, aliases: Mapping[str, list[str]] | None = None,
                   df: Callable[[str], int] = lambda w: 0) -> str:
    """The question in the documentation's words, for judging pages against it: each translated
    phrase as the form the base uses most (`df`: chunks holding a word; the first term on a tie,
    the English word only where the base writes it more: "error" in a base of error strings),
    English filler and function words the base never uses left out (names, codes and the words
    the base knows stay). A Chinese question is returned as is."""
    if message_language(text) != "en":
        return text
    return _in_documentation_words(text, aliases, df)


def documentation_words(text: str) -> str:
    """The English words of any text (a follow-up made of an English question and Chinese answer text)
    as the glossary's terms, English filler left out; the rest as it is."""
    return _in_documentation_words(text, None, lambda w: 0)


def _in_documentation_words(text: str, aliases: Mapping[str, list[str]] | None,
                            df: Callable[[str], int]) -> str:
    filler = glossary().filler | FUNCTION_WORDS
    kept: list[str] = []
    for piece in pieces(text, aliases):
        if piece.terms:
            forms = [*piece.terms, piece.text.lower()] if " " not in piece.text else list(piece.terms)
            kept.append(max(forms, key=lambda f: (df(f), -forms.index(f))))
        elif _WORD.fullmatch(piece.text) and piece.text.lower() in filler and not df(piece.text.lower()):
            continue
        else:
            kept.append(piece.text)
    return " ".join(kept)


def base_aliases(ctx: "GraphContext", kb: "KBScope") -> Mapping[str, list[str]]:
    """The English -> Chinese pairs the base states (graph.vocabulary.KBVocabulary.aliases)."""
    return ctx.vocabulary.get(ctx.knowledge, kb).aliases()


def search_terms(ctx: "GraphContext", text: str, kb: "KBScope") -> list[str]:
    """Chinese terms to add to an English question's keyword query ([] for a Chinese one)."""
    if message_language(text) != "en":
        return []
    return _terms(text, base_aliases(ctx, kb))


def judged_text(ctx: "GraphContext", text: str, kb: "KBScope") -> str:
    """What selection judges pages against: an English question in the base's words."""
    if message_language(text) != "en":
        return text
    return _base_words(text, ctx.vocabulary.get(ctx.knowledge, kb))


def in_base_words(text: str, vocab: "KBVocabulary | None") -> str:
    """`selection_text` with the base's pairs and frequencies (`vocab`; None: the glossary alone)."""
    if message_language(text) != "en":
        return text
    return _base_words(text, vocab)


def _base_words(text: str, vocab: "KBVocabulary | None") -> str:
    if vocab is None:
        return _in_documentation_words(text, None, lambda w: 0)

    def df(term: str) -> int:  # a term the index cuts in pieces ("公网 IP") is as common as its rarest piece
        tokens = vocab.tokenize(term)
        return min((vocab.doc_freq(t) for t in tokens), default=0)

    return _in_documentation_words(text, vocab.aliases(), df)
