"""A tiny deterministic embedder for fast tests: hashed character n-grams, L2-normalised.

Not a semantic model: texts sharing many characters and words get similar vectors, which
is enough to exercise the dense index and fusion without loading any weights.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Sequence

_WORD = re.compile(r"[A-Za-z0-9_]+|[\u4e00-\u9fff]")


class HashEmbedder:
    """Feature hashing of words and CJK character bigrams into `dim` buckets."""

    name = "hash"

    def __init__(self, dim: int = 256, max_chars: int = 512) -> None:
        self.dim = dim
        self.max_chars = max_chars

    def _vector(self, text: str) -> list[float]:
        units = _WORD.findall(text[: self.max_chars].lower())
        feats = units + [a + b for a, b in zip(units, units[1:])]
        vec = [0.0] * self.dim
        for feat in feats:
            digest = hashlib.blake2b(feat.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dim
            vec[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
