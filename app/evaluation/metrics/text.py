"""Text comparisons shared by the metrics: normalisation, similarity, term containment."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_NOISE = re.compile(r"[\s，。！？、；：,.!?;:\"'“”‘’（）()]+")


def normalise(text: str) -> str:
    return _NOISE.sub("", (text or "").lower())


def similarity(a: str, b: str) -> float:
    """Character-level similarity of two questions, 0..1 (punctuation and spaces ignored)."""
    x, y = normalise(a), normalise(b)
    if not x and not y:
        return 1.0
    return SequenceMatcher(None, x, y).ratio()


def contains(text: str, term: str) -> bool:
    return normalise(term) in normalise(text)


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
