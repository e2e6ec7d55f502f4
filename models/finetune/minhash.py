"""Near-duplicate detection: MinHash signatures over character n-grams, with LSH banding.

Character n-grams work for Chinese (no word segmentation needed) and English alike.
`NearDuplicateIndex.add(key, text)` returns the key of an earlier text whose estimated
Jaccard similarity is at least the threshold, or None. Candidates from the LSH buckets
are confirmed with the signature estimate, so false positives are rare.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 3) -> set[str]:
    """Character n-grams of the lower-cased, whitespace-collapsed text."""
    text = _SPACE.sub(" ", text.lower()).strip()
    if len(text) <= n:
        return {text} if text else set()
    return {text[i : i + n] for i in range(len(text) - n + 1)}


class MinHasher:
    """`num_perm` universal hash permutations, seeded (same seed -> same signatures)."""

    def __init__(self, num_perm: int = 128, seed: int = 1, ngram: int = 3) -> None:
        rng = np.random.RandomState(seed)
        self.num_perm = num_perm
        self.ngram = ngram
        self._a = rng.randint(1, 1 << 31, size=num_perm, dtype=np.uint64)
        self._b = rng.randint(0, 1 << 31, size=num_perm, dtype=np.uint64)

    def signature(self, text: str) -> np.ndarray:
        grams = shingles(text, self.ngram)
        if not grams:
            return np.full(self.num_perm, _MAX_HASH, dtype=np.uint64)
        hashes = np.array(
            [int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little") for g in grams],
            dtype=np.uint64,
        )
        permuted = (np.outer(hashes, self._a) + self._b) % _MERSENNE & _MAX_HASH
        return permuted.min(axis=0)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal signature slots: an unbiased estimate of the Jaccard similarity."""
    return float(np.mean(a == b))


def jaccard(a: str, b: str, n: int = 3) -> float:
    """Exact Jaccard similarity of two texts' character n-gram sets."""
    sa, sb = shingles(a, n), shingles(b, n)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


class NearDuplicateIndex:
    """Texts added so far, bucketed by LSH bands of their MinHash signatures."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, seed: int = 1, ngram: int = 3) -> None:
        self.threshold = threshold
        self.hasher = MinHasher(num_perm, seed, ngram)
        self.bands = _bands_for(threshold, num_perm)
        self.rows = num_perm // self.bands
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(self.bands)]
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def query(self, text: str) -> str | None:
        """Key of an indexed text at least `threshold` similar to `text`, or None."""
        return self._match(self.hasher.signature(text))

    def add(self, key: str, text: str) -> str | None:
        """Index `text` unless it near-duplicates one already there; return that one's key."""
        signature = self.hasher.signature(text)
        match = self._match(signature)
        if match is None:
            self._signatures[key] = signature
            for band, bucket in enumerate(self._band_keys(signature)):
                self._buckets[band].setdefault(bucket, []).append(key)
        return match

    def _match(self, signature: np.ndarray) -> str | None:
        seen: set[str] = set()
        for band, bucket in enumerate(self._band_keys(signature)):
            for key in self._buckets[band].get(bucket, ()):
                if key in seen:
                    continue
                seen.add(key)
                if estimate_jaccard(signature, self._signatures[key]) >= self.threshold:
                    return key
        return None

    def _band_keys(self, signature: np.ndarray) -> list[bytes]:
        return [signature[i * self.rows : (i + 1) * self.rows].tobytes() for i in range(self.bands)]


def _bands_for(threshold: float, num_perm: int) -> int:
    """Pick the band count whose S-curve midpoint (1/b)^(1/r) sits a little below threshold."""
    best, best_gap = 1, 1.0
    for bands in range(1, num_perm + 1):
        if num_perm % bands:
            continue
        rows = num_perm // bands
        midpoint = (1 / bands) ** (1 / rows)
        gap = abs(midpoint - (threshold - 0.1))
        if gap < best_gap:
            best, best_gap = bands, gap
    return best
