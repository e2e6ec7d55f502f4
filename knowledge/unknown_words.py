"""General-language counts for query words no dictionary knows, predicted from their characters.

Query term weights (knowledge.query_terms) compare a word's share of the base with its share
of general Chinese (jieba's dictionary). jieba's HMM joins characters of a spoken question into
words its dictionary lacks ("有个", "全是", "它会", "会到", "越长"); counted 0 in general Chinese,
they weighed 0.9-0.99, like documentation terms, and a short chunk holding one of them
outranked the page the question was about. Unknown is no evidence of a domain term: such a
word is counted as its characters predict (their frequencies multiplied, times COLLOCATION
for characters standing together more often than chance). Filler made of common characters
drops to 0.02-0.2; technical words jieba lacks keep their weight (鉴权 0.99, 流控 0.98, 压测 0.96:
rare characters, or words the base uses far more than the prediction). The base's own domain
terms stay 0 (they are its words). Used by knowledge.keyword_indexes for the ranker's
weights; tests: tests/knowledge/test_unknown_words.py.
"""

from __future__ import annotations

import re
from typing import Collection

from knowledge.query_terms import Background

COLLOCATION = 30
"""How much more often two characters stand together in a word than chance predicts (10-300
ranked the corpora set alike, docs/benchmarks.md recall6)."""
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def predicting(background: Background, domain_terms: Collection[str]) -> Background:
    """`background` with the base's domain terms counted 0 and an unknown Chinese word of 2+
    characters counted as its characters predict."""

    def counts(word: str) -> tuple[int, int]:
        count, total = background(word)
        if word in domain_terms:
            return 0, total
        if count == 0 and _CJK.match(word):
            share = 1.0
            for char in word:
                share *= (background(char)[0] + 1) / max(total, 1)
            count = int(COLLOCATION * share * total)
        return count, total

    return counts

