"""The symbols the web app shows: characters every README install can draw (Noto Sans CJK).

A fresh Debian machine has no colour-emoji font, so emoji such as ✅ 🚫 ⏳ show as empty
boxes there. The app uses only the symbols below (all in fonts-noto-cjk, which the
README installs) and maps emoji that other layers put into text (tool summaries) to
them with `plain_symbols`. `tests/app/test_ui_fonts.py` checks the app's source against
the font; the browser test checks the rendered page.
"""

from __future__ import annotations

import re

DONE = "✓"
"""A finished stage, a healthy check, a verified citation."""
FAILED = "×"
"""A failed check or action."""
WARN = "⚠"
"""Something to look at (text presentation in Noto Sans CJK)."""
BAN = "⊘"
"""Refused: out of scope, not approved, blocked."""
CURRENT = "▶"
"""The stage running now."""
ADD = "＋"

# emoji other layers write (tool summaries, runbook texts) -> a symbol the fonts have
_EMOJI_MAP = {"✅": DONE, "✔": DONE, "☑": DONE, "❌": FAILED, "✗": FAILED, "✘": FAILED, "✖": FAILED,
              "⛔": BAN, "🚫": BAN, "⏱": "", "⏳": "", "⏸": "", "❓": "", "ℹ": "", "💡": "", "🔧": "", "🛠": "",
              "\ufe0f": ""}


_EMOJI_RE = re.compile("(" + "|".join(re.escape(k) for k in _EMOJI_MAP if k != "\ufe0f") + ")\ufe0f? ?|\ufe0f")


def plain_symbols(text: str) -> str:
    """Text with colour-emoji replaced by font-safe symbols (dropped, with their space, when decorative)."""
    if not text or all(ord(ch) < 0x2000 for ch in text):
        return text

    def swap(match: re.Match) -> str:
        symbol = _EMOJI_MAP.get(match.group(1) or "", "")
        return f"{symbol} " if symbol and match.group(0).endswith(" ") else symbol

    return _EMOJI_RE.sub(swap, text)
