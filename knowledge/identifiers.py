"""What an identifier is: a token written as the exact name of one thing, not as a word of the language.

An identifier is an ASCII token that is written the way names are, not the way words are: parts
joined by "." "::" or "_" ("DNS.RecordConflict", "tidb_mem_quota_query", "NET::ERR_CERT_DATE_INVALID"),
letters with digits ("IST0161", "C5"), capitals inside the word ("OOMKilled", "RequestTimeTooSkewed"),
or a number where codes are numbers (the key of an error-code table, "1040"). A page states the cause
and fix of an identifier in a unit about it, and a search for it should find that unit first.

The shape is read in three places, which see different things and need different caution (`reading`):

- "term": a search-index term (knowledge/lexical.py weighs rare ones up). The analyzer has lower-cased
  it, so capitals are gone: a digit or underscore, or a run-together word of 12+ letters
  ("requesttimetooskewed"), marks it.
  Lower-casing also hides how a long letters-only term was written: `written_as_words` reads that from
  the question ("SERIALIZABLE", "Insufficient" are words of the language, "RequestTimeTooSkewed" a name).
- "asked": a word of the user's message (graph/identifier_anchor.py leads the evidence with the units
  about it). A question's ordinary words must not count: plain capitals (SDK, NTP), short letter-digit
  mixes (M5, ecs.g7), bare numbers (a port) and snake_case variables stay words.
- "key": the first cell of a table row (graph/keyed_rows.py tells error-code tables): whatever is
  code-shaped counts, a number and an upper-case word ("ERROR", "OK") too.

    is_identifier("IST0108", "asked")      # True
    is_identifier("1040", "key")           # True; "asked": False (a port as often as a code)

Other finders of identifier-shaped words keep shapes of their own, tuned with the answers they change:
knowledge/evidence.identifiers (the names a question quotes), graph/relevance._CODE_LIKE (query terms
weighted up as codes), knowledge/lexicon (codes mined from the pages). Tested in tests/knowledge/test_identifiers.py.
"""

from __future__ import annotations

import re
from typing import Literal

Reading = Literal["term", "asked", "key"]
"""Where the token is read: a lower-cased search term, a word the user wrote, a table row's key."""

LONG_TERM = 12
"""Letters from which a lower-cased term counts as run-together words ("requesttimetooskewed")."""

_TERM = re.compile(r"[a-z0-9_.\-]+")
_QUALIFIED = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:(?:\.|::)[A-Za-z0-9_]+)+")
"""A qualified name as a user writes it: "DNS.RecordConflict", "NET::ERR_CERT_DATE_INVALID"."""
_JOINER = re.compile(r"\.|::|_")
_LETTER_WORD = re.compile(r"(?<![A-Za-z0-9_.\-])[A-Za-z]+(?![A-Za-z0-9_\-]|\.[A-Za-z0-9])")
"""A letters-only word standing alone: not a part of "java.sql.BatchUpdateException" or "kube-proxy"."""


def is_identifier(token: str, reading: Reading) -> bool:
    """The token is written as an identifier, read as `reading` says (the module docstring)."""
    if reading == "term":
        return bool(_TERM.fullmatch(token)) and (any(c.isdigit() or c == "_" for c in token) or len(token) >= LONG_TERM)
    t = token.strip(".:_") if reading == "asked" else token.strip()
    if not t or not t.isascii():
        return False
    if reading == "asked":
        return _asked(t)
    parts = _JOINER.split(t)
    if len(parts) > 1:
        return all(p.isalnum() for p in parts)
    return t.isalnum() and (t.isdigit() or _camel(t) or (t.isupper() and len(t) >= 3) or _letters_and_digits(t))


def _asked(t: str) -> bool:
    if t.isdigit():
        return False  # a bare number is a code only after "ERROR"/"报" (identifier_anchor), else a port
    if _QUALIFIED.fullmatch(t):
        return re.split(r"\.|::", t)[-1][:1].isupper()  # "DNS.RecordConflict", not "M5.xlarge"
    if not t.isalnum():  # "Seconds_Behind_Master" is a variable, not a code
        return False
    if re.fullmatch(r"[A-Za-z]{3,}\d{3,}", t):
        return True
    # a code ends in a word ("CredSSP" names a protocol); a lower-camel word ("corsPolicy",
    # "exitCode") is a field of a config or API, not a code
    return _camel(t) and t[0].isupper() and len(t) >= 6 and not _letters_and_digits(t) and t[-1].islower()


def _camel(t: str) -> bool:
    """Capitals inside a word that has lower-case letters ("OOMKilled", "corsPolicy")."""
    return any(c.isupper() for c in t[1:]) and any(c.islower() for c in t)


def _letters_and_digits(t: str) -> bool:
    return any(c.isdigit() for c in t) and any(c.isalpha() for c in t)


def written_as_words(question: str) -> frozenset[str]:
    """The question's letters-only words written as words of the language, lower-cased as the index holds them:
    in capitals ("SERIALIZABLE", an SQL keyword or an acronym) or with only an initial capital ("Insufficient",
    a pasted sentence's first word).

    The "term" reading takes any 12+ letter term for run-together words ("requesttimetooskewed"): once the
    analyzer has lower-cased it, an English word looks the same. How the user wrote it still tells them
    apart: a name joins its words with inner capitals ("RequestTimeTooSkewed"); a word of the language has
    none. A word written all in lower case stays undecided (the term reading keeps it)."""
    out = set()
    for match in _LETTER_WORD.finditer(question):
        word = match.group(0)
        if len(word) > 1 and (word.isupper() or (word[0].isupper() and word[1:].islower())):
            out.add(word.lower())
    return frozenset(out)
