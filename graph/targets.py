"""Does a message give a runbook what it needs to start at once: its target, or a pasted error line?

Knowledge comes first (issue #12): a troubleshooting question gets the cited answer and the
offer of the matching runbook; the runbook starts at once only when asked for ("帮我排查…")
or when the message gives its target — a host / URL for a runbook whose slots are filled
from the question, or a host named in a report of a problem. A pasted error line without a
target ("ERROR 1045 … Access denied", with or without "how do I fix it") is answered from
the knowledge base; the answer offers the runbook. Quoted text is the error's own words, not a target
(`'app'@'10.0.1.23'`), and documentation names (RFC 2606: example.com, *.invalid …) are
placeholders, never a customer's machine; nor is an API error code written like a domain
(`DNS.TTLTooSmall`: tools.runbooks.slots.find_domain skips mixed-case top labels). Tested in
tests/graph/test_route_expand.py.
"""

from __future__ import annotations

import re

from tools.runbooks.schema import Runbook, Slot
from tools.runbooks.slots import ERROR_WORDS, from_question

# an opening quote ends the scan of the one before it: an unclosed “ cannot be rescanned from every “
# an apostrophe inside a word ("Can't") opens no quote: it would hide what follows and show what was quoted
_QUOTED = re.compile(r"(?<![A-Za-z])'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|“[^“”\n]*”|‘[^‘’\n]*’")
_PLACEHOLDER = re.compile(r"(?:^|\.)example\.(?:com|net|org)$|\.(?:example|invalid|test|localhost)$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
# an English ask anywhere: "ERROR 1045 … how do I fix it" asks, whatever it opens with
ASKING_EN = re.compile(r"\?\s*$|^\s*(?:what|how|why|which|where|when|who|is|are|can|could|does|do|should)\b|"
                       r"\b(?:how (?:do|can|should|to|come)|what (?:does|is|are|causes|should|can)|why (?:is|does|do|am|are|did)|"
                       r"any idea|(?:help|fix|solve|resolve) (?:it|this|me)\b)", re.I)


def _target_slots(runbook: Runbook) -> list:
    return [s for s in runbook.slots.values() if s.from_question and s.type in ("host", "url")]


def gives_target(runbook: Runbook, message: str) -> bool:
    """A host or URL the runbook fills from the question (outside quotes, not a documentation name)."""
    text = _QUOTED.sub(" ", message)
    for slot in _target_slots(runbook):
        value = from_question(slot, text)
        host = re.sub(r"^[a-z]+://", "", str(value or ""), flags=re.I).split("/")[0].split(":")[0]
        if host and not _PLACEHOLDER.search(host):
            return True
    return False


def is_error_line(message: str) -> bool:
    """A pasted log / error line: one line, no Chinese, an error word, not an English question."""
    text = message.strip()
    return ("\n" not in text and not _CJK.search(text) and bool(ERROR_WORDS.search(text))
            and not ASKING_EN.search(text))


_ANY_HOST = [Slot(prompt="", type="host")]


def names_a_host(message: str) -> bool:
    """A real host, IP or URL to check (outside quotes, not 0.0.0.0, not a documentation name)."""
    text = _QUOTED.sub(" ", message).replace("0.0.0.0", " ")
    value = str(from_question(_ANY_HOST[0], text) or "")
    return bool(value) and not _PLACEHOLDER.search(value)


def ready_to_start(runbook: Runbook, message: str, asked: bool = False) -> bool:
    """Reporting a problem rather than asking a question, the message gives the runbook's target or names
    a host to check ("203.0.113.10 远程连不上了"). A question about a target ("shop.acme.cn 证书过期了怎么办？")
    and a pasted error line without one are questions whose answer is in the knowledge base (the answer
    offers the runbook; "帮我排查" starts it)."""
    return not asked and (gives_target(runbook, message) or names_a_host(message))
