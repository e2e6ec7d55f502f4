"""Tokenization for the lexical index: jieba + a domain dictionary, lower-cased, stop words out.

One tokenizer for the index and for queries, so both sides agree. Technical tokens are
kept whole before jieba sees them: error codes (`ERROR 1105` -> `error_1105`),
CamelCase words (`CrashLoopBackOff`), analyzer codes (`IST0101`) and config keys
(`tidb_ddl_reorg_worker_cnt`, `spec.replicas`); compound keys also emit their parts so
a partial mention still matches. The jieba dictionary is loaded once, on first use.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import Any, Iterable

from knowledge.stopwords import STOP_WORDS

log = logging.getLogger(__name__)

# "ERROR 1105", "error: 1105", "Error 8027" -> one token; jieba cannot keep spaces.
_ERROR_CODE = re.compile(r"\b(error|errno|err|code)[\s:：#]*(\d{3,5})\b", re.IGNORECASE)
_ASCII_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_SPLIT = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-]*|[\u3400-\u9fff\uf900-\ufaff]+)")
_PART = re.compile(r"[._\-]")

_lock = threading.Lock()
_added: set[str] = set()


@lru_cache(maxsize=1)
def _jieba() -> Any:
    """The shared jieba tokenizer, initialised (dictionary loaded) once per process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def add_terms(terms: Iterable[str]) -> None:
    """Teach jieba domain words (product names, tags) so they are kept whole."""
    tok = _jieba()
    with _lock:
        new = False
        for term in terms:
            term = term.strip()
            if term and term not in _added and _CJK_RUN.search(term) and " " not in term:
                tok.add_word(term, freq=20000)
                _added.add(term)
                new = True
        if new:
            _tokenize_short.cache_clear()


def background_frequency(word: str) -> tuple[int, int]:
    """(count of `word`, total) in jieba's general-Chinese dictionary; domain terms added here count 0.

    The ranking layer compares a query word's share of the knowledge base with this
    general share to tell documentation terms from conversational filler.
    """
    tok = _jieba()
    return (0 if word in _added else int(tok.FREQ.get(word) or 0)), int(tok.total)


def normalize_codes(text: str) -> str:
    """Join error codes into one token: 'ERROR 1105' -> 'error_1105'."""
    return _ERROR_CODE.sub(lambda m: f"{m.group(1).lower()}_{m.group(2)}", text)


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


def tokenize(text: str) -> list[str]:
    """Index/query tokens: jieba (search mode) for Chinese, whole technical tokens for ASCII."""
    if not text:
        return []
    if len(text) <= 80:  # titles and heading paths repeat for every chunk of a document
        return list(_tokenize_short(text))
    return _tokenize(text)


@lru_cache(maxsize=4096)
def _tokenize_short(text: str) -> tuple[str, ...]:
    return tuple(_tokenize(text))


def _tokenize(text: str) -> list[str]:
    tok = _jieba()
    out: list[str] = []
    for piece in _SPLIT.split(normalize_codes(text)):
        if not piece:
            continue
        if _CJK_RUN.fullmatch(piece):
            for word in tok.cut_for_search(piece, HMM=True):
                if word not in STOP_WORDS:
                    out.append(word)
        elif piece[0].isascii() and (piece[0].isalnum() or piece[0] == "_"):
            out.extend(_ascii_tokens(piece))
    return out
