"""Domain lexicon mined at ingest: product names, error codes, CamelCase words, config keys.

Terms are lower-cased. Chinese terms (front-matter product and tags) also go into the
jieba user dictionary so they are kept whole. `mine_terms` is pure; tested in
tests/knowledge/test_text.py.
"""

from __future__ import annotations

import re

from knowledge.document import ParsedDocument
from knowledge.stopwords import STOP_WORDS

_ERROR = re.compile(r"\bERROR[\s:]*\d{3,5}\b")
_CODE = re.compile(r"\b[A-Z]{2,5}\d{3,5}\b")  # IST0101, DM-... style analyzer / error codes
_CAMEL = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+\b")  # CrashLoopBackOff, ImagePullBackOff
_DOTTED_CODE = re.compile(r"\b[A-Z][A-Za-z]+\.[A-Z][A-Za-z]+\b")  # SCS.QuotaExceeded
_CONFIG = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+){1,8}\b")  # tidb_ddl_reorg_worker_cnt
_NAME = re.compile(r"\b[A-Za-z][A-Za-z0-9-]{2,30}\b")


def _code_terms(text: str) -> set[str]:
    found = {re.sub(r"[\s:]+", " ", m).lower() for m in _ERROR.findall(text)}
    for pattern in (_CODE, _CAMEL, _DOTTED_CODE, _CONFIG):
        found.update(m.lower() for m in pattern.findall(text))
    return found


def mine_terms(doc: ParsedDocument) -> list[tuple[str, str]]:
    """(term, kind) pairs: kind is "declared" (front matter), "code" or "name" (title/heading words)."""
    terms: dict[str, str] = {}
    for term in doc.terms:
        terms.setdefault(term.lower(), "declared")
    heads = [doc.title] + [h for b in doc.blocks for h in b.heading_path]
    for head in set(heads):
        for word in _NAME.findall(head):
            low = word.lower()
            if low not in STOP_WORDS and not low.isdigit():
                terms.setdefault(low, "name")
    for block in doc.blocks:
        body = "\n".join([block.text, block.question, *block.rows])
        for term in _code_terms(body):
            terms.setdefault(term, "code")
    return sorted(terms.items())
