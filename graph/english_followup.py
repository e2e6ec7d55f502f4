"""English follow-ups in the forms the follow-up resolver knows, and what an English question is about.

    as_cues("What about step 3?")      -> "那第3步呢"        (an item of the list the last answer gave)
    as_cues("And for Windows?")        -> "那 Windows 呢"    (the previous question about Windows)
    as_cues("what does the second command do")  -> "what does 第2个命令 do"
    english_subject("What is the default SSH port?") -> "default SSH port"
    names_thing("check", False, entities) -> False       (an English word, no thing of its own)

    spelled("Is an EIP charged", fixer) -> unchanged     (English words are no typos of the base's words)

graph.followup applies these to messages in English (graph.language); Chinese messages are untouched.
Tests: tests/graph/test_english.py.
"""

from __future__ import annotations

import re

from typing import Any, Sequence

from graph.crosslingual import glossary, known_english
from graph.language import FUNCTION_WORDS, message_language

_NUMBERS = {"one": 1, "first": 1, "1st": 1, "two": 2, "second": 2, "2nd": 2, "three": 3, "third": 3, "3rd": 3,
            "four": 4, "fourth": 4, "4th": 4, "five": 5, "fifth": 5, "5th": 5, "six": 6, "sixth": 6, "6th": 6,
            "seven": 7, "seventh": 7, "7th": 7, "eight": 8, "eighth": 8, "8th": 8}
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBERS) + r")"
_KINDS = {"step": "步", "steps": "步", "command": "个命令", "cause": "个原因", "reason": "个原因", "method": "个方法",
          "way": "个方法", "option": "个", "item": "个", "point": "点", "one": "个"}
_KIND = r"(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")"
_NTH = re.compile(rf"\b(?:the\s+)?(last|{_NUMBER[1:-1]})\s+{_KIND}\b", re.I)
_KIND_N = re.compile(rf"\b{_KIND}\s+(?:no\.?\s*|number\s+|#)?{_NUMBER}\b", re.I)
# (matched on the text without its closing punctuation; each part starts with a non-space: linear)
_WHAT_ABOUT = re.compile(r"^(?:(?:and|so|ok|okay),?\s+)?(?:what|how)\s+about\s+(\S.*)$", re.I)
_AND_FOR = re.compile(r"^and\s+(?:(?:for|on|with|in)\s+)?(\S.*)$", re.I)
_WORD = re.compile(r"[A-Za-z][\w.+-]*[A-Za-z0-9]|[A-Za-z]")
_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_NEGATIONS = frozenset("不没别未无")


def _ordinal(number: str, kind: str) -> str:
    n = number.lower()
    head = "最后一" if n == "last" else f"第{n if n.isdigit() else _NUMBERS[n]}"
    return head + _KINDS[kind.lower()]


def as_cues(text: str) -> str:
    """The English follow-up with its ordinal and "what about X" in the resolver's forms."""
    text = _NTH.sub(lambda m: _ordinal(m.group(1), m.group(2)), text)
    text = _KIND_N.sub(lambda m: _ordinal(m.group(2), m.group(1)), text)
    bare = text.strip().rstrip("?？.!。 ")
    about = _WHAT_ABOUT.match(bare) or _AND_FOR.match(bare)
    if about:
        item = about.group(1).strip()
        return f"那{item}呢" if item.startswith(("第", "最后")) else f"那 {item} 呢"
    return text


def names_thing(word: str, first: bool, entities: Sequence[str]) -> bool:
    """Does a word of an English message name a thing of its own? A name or code (SSH, MySQL, Windows in
    mid-sentence, nginx.conf, 1045), or a word whose documentation term is one of the base's things
    ("password" -> 密码); not an ordinary word ("check", "first", "change")."""
    if any(c.isdigit() or c in "._-+" for c in word) or any(c.isupper() for c in word[1:]):
        return True
    if word[:1].isupper() and not first and word.lower() not in FUNCTION_WORDS:
        return True
    if word.lower() in FUNCTION_WORDS or word.lower() in glossary().filler:
        return False
    terms = glossary().terms.get(word.lower()) or []
    return any(t.lower() in entities for t in terms)


def naming_words(text: str, words: list[str], terms: Any) -> list[str]:
    """The Latin-letter words of a message that name things: in English, names, codes and words for the
    base's things (`names_thing`); in Chinese, all but a lower-case English word ("先 delete 掉")."""
    if message_language(text) == "en":
        start = re.match(r"\W*([A-Za-z][\w.+-]*)", text)
        opening = start.group(1) if start else ""
        return [w for w in words if names_thing(w, w == opening, terms.entities)]
    return [w for w in words if not (w.islower() and w not in terms.terms and known_english(w))]


def spelled(text: str, fixer: Any) -> str:
    """Typos fixed against the base's words (graph.spelling), never a negation (不/没…); in an English
    message only words that are no known English word ("Is an EIP charged when not bound" stays, it does
    not become "changed … found")."""
    if message_language(text) != "en":
        fixed = fixer.correct(text)
        if len(fixed) != len(text):
            return fixed
        # a negation is no typo: "一直不充呢" is not "一直补充呢" (bu chong)
        return "".join(o if o in _NEGATIONS else f for o, f in zip(text, fixed))
    return _ENGLISH_WORD.sub(lambda m: m.group(0) if known_english(m.group(0)) else fixer.correct(m.group(0)), text)


def english_subject(question: str) -> str:
    """What an English question is about: its words that are no function or filler word, in order
    ("What is the default SSH port?" -> "default SSH port")."""
    filler = FUNCTION_WORDS | glossary().filler
    return " ".join(w for w in _WORD.findall(question) if w.lower() not in filler)
