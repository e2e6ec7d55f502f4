"""Tokenization for the lexical index: jieba search mode, domain terms kept whole, lower-cased, stop words out.

Technical tokens are kept whole before jieba sees them: error codes (`ERROR 1105` ->
`error_1105`), CamelCase words (`CrashLoopBackOff`), analyzer codes (`IST0101`) and config
keys (`tidb_ddl_reorg_worker_cnt`, `spec.replicas`); compound keys also emit their parts so
a partial mention still matches.

Each knowledge base has its own `KBTokenizer`: the shared jieba dictionary
(`knowledge.segmenter`, never modified) plus the base's own Chinese domain terms, which are
cut out whole before jieba runs (and also yield jieba's words inside them). Its tokens depend
only on the text and that base's term set, so ingest and query agree as long as both use the
term set stored with the index (`knowledge.corpus`). `tokenize` is the same without domain
terms, for texts compared with each other rather than with an index.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Callable, Iterable

from knowledge.segmenter import segmenter
from knowledge.stopwords import STOP_WORDS

RULES_VERSION = "2"
"""Bump when the token rules below change: every index is then re-tokenized on next use."""

# "ERROR 1105", "error: 1105", "Error 8027" -> one token; jieba cannot keep spaces.
_ERROR_CODE = re.compile(r"\b(error|errno|err|code)[\s:：#]*(\d{3,5})\b", re.IGNORECASE)
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_SPLIT = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-]*|[\u3400-\u9fff\uf900-\ufaff]+)")
_PART = re.compile(r"[._\-]")
_SHORT = 80  # titles and heading paths repeat for every chunk of a document: cached


def background_frequency(word: str) -> tuple[int, int]:
    """(count of `word`, total) in jieba's general-Chinese dictionary (no base's terms).

    The ranking layer compares a query word's share of the knowledge base with this
    general share to tell documentation terms from conversational filler; a base's
    tokenizer (`KBTokenizer.background_frequency`) counts its own domain terms as 0.
    """
    seg = segmenter()
    return seg.freq(word), seg.total


def normalize_codes(text: str) -> str:
    """Join error codes into one token: 'ERROR 1105' -> 'error_1105'."""
    return _ERROR_CODE.sub(lambda m: f"{m.group(1).lower()}_{m.group(2)}", text)


def cjk_terms(terms: Iterable[str]) -> frozenset[str]:
    """The terms that change Chinese segmentation: all-CJK words of two or more characters."""
    return frozenset(t.strip() for t in terms if len(t.strip()) >= 2 and _CJK_RUN.fullmatch(t.strip()))


def _ascii_tokens(chunk: str) -> list[str]:
    out: list[str] = []
    for token in _ASCII_TOKEN.findall(chunk):
        low = token.lower().strip("._-")
        if not low or low in STOP_WORDS:
            continue
        out.append(low)
        if _PART.search(low) and not low.startswith(("error_", "errno_", "err_", "code_")):
            out.extend(p for p in _PART.split(low) if len(p) > 1 and p not in STOP_WORDS and not p.isdigit())
        elif low.startswith(("error_", "errno_", "err_", "code_")):
            out.append(low.split("_", 1)[1])
    return out


def _jieba_words(run: str) -> list[str]:
    return [w for w in segmenter().cut_for_search(run) if w not in STOP_WORDS]


def _tokens(text: str, cut_cjk: Callable[[str], list[str]]) -> list[str]:
    out: list[str] = []
    for piece in _SPLIT.split(normalize_codes(text)):
        if not piece:
            continue
        if _CJK_RUN.fullmatch(piece):
            out.extend(cut_cjk(piece))
        elif piece[0].isascii() and (piece[0].isalnum() or piece[0] == "_"):
            out.extend(_ascii_tokens(piece))
    return out


class KBTokenizer:
    """Index/query tokens of one knowledge base: jieba words, its Chinese domain terms whole."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self.terms = cjk_terms(terms)
        digest = hashlib.sha1("\n".join(sorted(self.terms)).encode("utf-8")).hexdigest()[:12]
        self.version = f"{RULES_VERSION}:{len(self.terms)}:{digest}"
        """Changes with the term set (the jieba dictionary version is recorded per index separately)."""
        alternation = "|".join(re.escape(t) for t in sorted(self.terms, key=len, reverse=True))
        self._terms = re.compile(alternation) if alternation else None
        self._short = lru_cache(maxsize=4096)(self._tuple)

    def background_frequency(self, word: str) -> tuple[int, int]:
        """`background_frequency` with this base's domain terms counted 0 (they are the base's words)."""
        count, total = background_frequency(word)
        return (0 if word in self.terms else count), total

    def tokenize(self, text: str) -> list[str]:
        if not text:
            return []
        if len(text) <= _SHORT:
            return list(self._short(text))
        return _tokens(text, self._cut)

    def _tuple(self, text: str) -> tuple[str, ...]:
        return tuple(_tokens(text, self._cut))

    def _cut(self, run: str) -> list[str]:
        if self._terms is None:
            return _jieba_words(run)
        out: list[str] = []
        last = 0
        for m in self._terms.finditer(run):
            if m.start() > last:
                out.extend(_jieba_words(run[last:m.start()]))
            words = _jieba_words(m.group())
            out.extend(words if m.group() in words else [*words, m.group()])
            last = m.end()
        if last < len(run):
            out.extend(_jieba_words(run[last:]))
        return out


@lru_cache(maxsize=1)
def _plain() -> KBTokenizer:
    return KBTokenizer()


def tokenize(text: str) -> list[str]:
    """Tokens without any base's domain terms (comparing two texts, e.g. an answer and its sources)."""
    return _plain().tokenize(text)


def index_tokens(kind: str, text: str, indexed_text: str, tokenize_fn: Callable[[str], list[str]]) -> tuple[list[str], list[str]]:
    """(heading tokens, body tokens) of a chunk for the lexical index.

    The heading column is the first line of the indexed text (title and heading path, or a
    FAQ question); a FAQ answer's body leaves out the question already in the heading.
    """
    body = text.split("\n答：", 1)[-1] if kind == "faq" and text.startswith("问：") else text
    return tokenize_fn(indexed_text.split("\n", 1)[0]), tokenize_fn(body)
