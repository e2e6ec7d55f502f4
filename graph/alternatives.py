"""Asking for another way than the one the conversation gave: "还有别的办法吗", "除了升级规格，还有什么根本的解决办法".

    asks_alternative("业务停不了 不关机还有别的办法吗")        # True
    without_excluded("除了升级规格，还有什么根本的解决办法")    # "还有什么根本的解决办法"

Such a message goes on with the conversation's problem even when it says a few words of its own (不关机,
不想升配: what rules the given way out), so graph/followup.py resolves it against the thread rather than
taking those words for a subject. The way it excludes ("除了 X") is left out of the standalone question: a
search for X finds the way already given again. Tests: tests/graph/test_followup_turns.py.
"""

from __future__ import annotations

import re

from graph.cues import tidy
from graph.doc_units import Unit

_WAY = r"(?:解决办法|解决方法|解决方案|处理办法|办法|法子|方法|方案|招|思路|途径|方式|做法|选择)"
ALTERNATIVE = re.compile(rf"(?:别的|其他|其它|另外的|另一种|另外一种|其余的?)\s*{_WAY}|"
                         rf"还有(?:什么|啥|没有|哪些)[^，,。？?]{{0,6}}?{_WAY}|^\s*除了|"
                         r"还有(?:别的|其他|其它)的?(?:吗|呢|么|没有?)?[？?\s]*$")
"""Another way asked for ("别的法子", "还有什么根本的解决办法"), or one ruled out ("除了加内存…")."""
_EXCLUDED = re.compile(r"除了\s*[^，,。；;？?\s]{1,20}?\s*(?:以外|之外)?(?=[，,\s]|还有|还能|还可以|有没有|有啥|有什么)[，,\s]*")


_POINTED = re.compile(r"除了(?:这个|那个|这些|那些|这种|那种|上面的?|刚才的?)(?:以外|之外)?(?:呢|吗)?")
"""All of it "除了这个呢": the way just given ruled out, whatever it was — ask for the others."""


def asks_alternative(text: str) -> bool:
    """Does the message ask for another way than one already given?"""
    return bool(ALTERNATIVE.search(text))


def alternative_ask(text: str) -> str:
    """The words that ask for another way ("别的法子"), "" when none do."""
    found = ALTERNATIVE.search(text)
    return found.group(0).strip() if found else ""


def without_excluded(text: str) -> str:
    """The message without the way it rules out ("除了升级规格，"); the message itself when nothing is left."""
    if _POINTED.fullmatch(text.strip(" ，,。？?")):
        return "还有别的吗"
    rest = tidy(_EXCLUDED.sub(" ", text))
    return rest if rest.strip(" ，,。？?") else text


WAYS = 3
"""Top-level list items at least of a section that lists ways out ("1. **临时止血**…", "- **加 swap**…")."""


def lists_ways(units: list[Unit]) -> bool:
    """The section is a list of ways (WAYS items or more at the top level, most led by a bold name):
    asked for another way, it is given whole, in order — the matched words are those of the way
    already given or ruled out ("不想升配"), not of the others."""
    tops = [u for u in units if u.kind == "item" and not u.depth]
    named = sum(1 for u in tops if re.match(r"^\s*(?:\d+[.、)]\s*)?\*\*", u.text))
    return len(tops) >= WAYS and 2 * named >= len(tops)
