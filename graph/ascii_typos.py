"""Misspelt English words and names read as the knowledge base's own: windwos -> windows, kubelt -> kubelet.

    typos = AsciiTypos({"kubelet": 706, "pending": 145})   # the base's words by the chunks they occur in
    typos.correct("kubelt")                               # "kubelet"
    typos.correct("pendding")                             # "pending"

A word of 5+ letters the base never uses becomes its most used word that is one slip away: one
letter changed, two neighbours swapped (in a 4-letter word too, the first letter kept: "tkiv" -> "tikv",
"hlem" -> "helm", as the knowledge layer's query repair reads it at search time), one letter dropped (from 6 letters on: "sidcar"; shorter ones
are too often a name of their own), one letter doubled ("pendding"), or, in a long word, two letters
of it swapped ("ternimating"). Never one letter added otherwise ("mysqld" is no typo), never a general
English word the user meant ("after", "would"), and the written case is kept ("DestinationRlue" ->
"DestinationRule"). Used by graph.spelling; tests: tests/graph/test_spelling.py.
"""

from __future__ import annotations

from collections import defaultdict

MIN_LENGTH = 4
"""Shortest word read as a typo; under MIN_CHANGED only a swap of two neighbours after the first letter."""
MIN_CHANGED = 5
"""Shortest word read as a base word with one letter changed (4-letter words are too often names)."""
MIN_DROPPED_LETTER = 6
"""Shortest word read as a base word with one letter dropped (shorter ones are often names: "ngin")."""
MIN_FAR_SWAP = 8
"""Shortest word read as a base word with two letters swapped that are not neighbours ("ternimating")."""
MIN_USES = 2
"""Chunks a base word must occur in to be what a typo meant."""


def one_slip(typed: str, word: str) -> bool:
    """Is `typed` the base's `word` with one slip (see the module docstring)?"""
    if typed == word:
        return False
    if len(typed) == len(word):
        diff = [i for i in range(len(typed)) if typed[i] != word[i]]
        if len(diff) == 1:
            return len(typed) >= MIN_CHANGED
        swapped = len(diff) == 2 and typed[diff[0]] == word[diff[1]] and typed[diff[1]] == word[diff[0]]
        if len(typed) < MIN_CHANGED:  # "tkiv": neighbours swapped, the first letter as typed
            return swapped and diff[1] == diff[0] + 1 and diff[0] > 0
        return swapped and (diff[1] == diff[0] + 1 or len(typed) >= MIN_FAR_SWAP)
    if len(typed) == len(word) - 1:  # a letter dropped
        return len(typed) >= MIN_DROPPED_LETTER and any(word[:i] + word[i + 1:] == typed for i in range(len(word)))
    if len(typed) == len(word) + 1:  # a letter doubled ("pendding"), never any other added
        return any(typed[i] == typed[i - 1] and typed[:i] + typed[i + 1:] == word for i in range(1, len(typed)))
    return False


def _as_written(typed: str, word: str) -> str:
    """The base's word in the typed word's case: capitals kept letter by letter where lengths agree."""
    if typed.islower():
        return word
    if typed.isupper():
        return word.upper()
    if len(typed) == len(word):
        return "".join(w.upper() if t.isupper() else w for t, w in zip(typed, word))
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


class AsciiTypos:
    """The base's words of 4+ letters by length, and how many chunks each occurs in."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = {w: n for w, n in counts.items() if w.isascii() and w.isalpha() and len(w) >= MIN_LENGTH}
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for word, n in self.counts.items():
            if n >= MIN_USES:
                self.by_length[len(word)].append(word)

    def correct(self, typed: str) -> str:
        """The base's word the typed one misspells, in the typed case; the typed word when none."""
        from graph.crosslingual import known_english

        low = typed.lower()
        if low in self.counts or known_english(low):
            return typed
        # a short swap between two general words is meant as typed ("form", not "from")
        near = [w for size in (len(low) - 1, len(low), len(low) + 1) for w in self.by_length.get(size, ())
                if one_slip(low, w) and (len(low) >= MIN_CHANGED or not known_english(w))]
        return _as_written(typed, max(near, key=lambda w: (self.counts[w], w))) if near else typed
