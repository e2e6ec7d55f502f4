"""Streamed answer tokens through the sanitizer, without ever taking back what was sent.

`SafeTokens.event` sanitizes the answer-so-far (app.ui.sanitize) but only up to the last
point where nothing is still open — an inline code span or fence not yet closed, a `<`
without its `>`, a link without its `)`, an entity without its `;` — because closing one
can change how the text before it is read (`<公网IP>` is escaped in prose but kept inside
code). Each event carries what that stable, sanitized prefix adds; `flush` at the end sends
the rest, so the tokens join up to the sanitized final answer. Tests: tests/app/test_ui_api.py,
tests/hardening/test_hostile_answers.py.
"""

from __future__ import annotations

import re
from typing import Any

from app.ui.sanitize import safe_markdown

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_TICKS = re.compile(r"`+")


def stable_cut(text: str) -> int:
    """Length of the longest prefix of `text` with no construct left open at its end."""
    cut = len(text)
    fences = list(_FENCE_LINE.finditer(text))
    if len(fences) % 2:  # inside a fenced block: hold it back until it closes
        return fences[-1].start()
    prose_from = fences[-1].end() if fences else 0
    runs: dict[int, list[int]] = {}
    for m in _TICKS.finditer(text, prose_from):
        runs.setdefault(len(m.group(0)), []).append(m.start())
    for starts in runs.values():
        if len(starts) % 2:  # an opening run of this length has no closer yet
            cut = min(cut, starts[-1])
    for opener, closer in (("<", ">"), ("[", "]"), ("](", ")")):
        at = text.rfind(opener, prose_from)
        if at >= 0 and text.find(closer, at + len(opener)) < 0:
            cut = min(cut, at)
    amp = text.rfind("&", prose_from)
    if amp >= 0 and ";" not in text[amp:amp + 34] and len(text) - amp < 34:
        cut = min(cut, amp)
    return cut


class SafeTokens:
    """Per answer section: the raw tokens received and the sanitized text already sent."""

    def __init__(self) -> None:
        self.raw: dict[Any, str] = {}
        self.sent: dict[Any, str] = {}
        self.template: dict[Any, dict] = {}

    def _delta(self, key: Any, clean: str) -> str | None:
        sent = self.sent.get(key, "")
        if not clean.startswith(sent) or len(clean) == len(sent):
            return None
        self.sent[key] = clean
        return clean[len(sent):]

    def event(self, event: dict) -> dict | None:
        """The token event to send for this raw one (None: nothing stable to add yet)."""
        key = event.get("section")
        self.template[key] = event
        raw = self.raw[key] = self.raw.get(key, "") + str(event.get("text") or "")
        delta = self._delta(key, safe_markdown(raw[:stable_cut(raw)]))
        return None if delta is None else {**event, "text": delta}

    def flush(self) -> list[dict]:
        """What is left to send once the turn is over (the whole sanitized text of each section)."""
        out = []
        for key, raw in self.raw.items():
            delta = self._delta(key, safe_markdown(raw))
            if delta is not None:
                out.append({**self.template[key], "text": delta})
        return out
