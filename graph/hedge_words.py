"""Whether the cited evidence speaks of a question word the base "never uses", in another form.

The named hedge ("知识库中没有找到“event”的相关内容…") names the question's Latin words that no
chunk of the base holds as a token (knowledge.subjects.unknown_terms). A token is one spelling:
the user's "event" is not the index's "events", their "renew" not the page's "续期", so a page
that answers the question exactly was introduced as if the base had nothing on it. A word is
only missing when the passages the answer cites hold it in none of its forms:

- as written, in any case, as a whole word ("Event" in "Events:" is the same word);
- inflected: its plural, -ed/-ing forms and stems (graph/crosslingual.stems) — "events" for "event";
- translated: its Chinese documentation terms, from the pairs the base itself states
  ("命名空间（Namespace）", mined at ingest) or the shipped general glossary (graph/glossary_en.yaml).

Used by graph.passages.hedge (the lead-in) and graph.hedge_terms.covered_share (the share a
passage holds). Tests: tests/graph/test_hedge_words.py.
"""

from __future__ import annotations

import re
from typing import Mapping

from graph.crosslingual import phrase_terms, stems

_LATIN = re.compile(r"^[a-z][a-z-]*$")


def forms(word: str) -> list[str]:
    """A Latin word's spellings: itself, its stems and its inflections ("event" -> events, evented...)."""
    low = word.lower()
    out = list(stems(low))
    for suffix in ("s", "es", "ed", "ing", "d"):
        out.append(low + suffix)
    if low.endswith("y") and len(low) > 3:
        out.append(low[:-1] + "ies")
    return list(dict.fromkeys(out))


def _as_word(form: str, low: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(form)}(?![a-z])", low) is not None


def translations(word: str, aliases: Mapping[str, list[str]] | None = None) -> list[str]:
    """The Chinese documentation terms of a Latin word (the base's stated pairs first, then the glossary)."""
    low = word.lower()
    stated = [t for f in stems(low) for t in (aliases or {}).get(f, [])]
    return list(dict.fromkeys(stated + (phrase_terms([low], {}) or [])))


def evidence_says(word: str, text: str, aliases: Mapping[str, list[str]] | None = None) -> bool:
    """The text holds the word in one of its forms or its Chinese terms (module docstring)."""
    low = (text or "").lower()
    if not _LATIN.match(word.lower()):
        return word.lower() in low
    if any(_as_word(f, low) for f in forms(word)):
        return True
    return any(t.lower() in low for t in translations(word, aliases))
