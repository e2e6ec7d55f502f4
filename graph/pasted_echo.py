"""The page's copy of the message the user pasted is not shown back to them.

A troubleshooting entry often opens with the error as the user meets it ("如果你遇到以下错误：" and a
console block holding the whole message). When the user pasted that message ("报 read parent:
connection reset by peer"), the block tells them nothing new and takes the room of the cause and fix
after it. `without_pasted_output` drops a code block quoting at least MIN_QUOTE words of a stretch
the user pasted (graph/pasted_run.py measures it) and ending where the paste ends (fewer than
MIN_RUN words after it), with the lead-in introducing it: what comes before the paste is the wrapper
of the message, what comes after is what the user did not see, often the fix the message suggests
("… not enabled for Istio injection. Run 'kubectl label namespace …'"), and such a block stays. The
units stay as they are when nothing but such blocks would be left. Used by graph/section_answer.from_section;
tested in tests/graph/test_pasted_echo.py.
"""

from __future__ import annotations

from graph.doc_units import Unit
from graph.pasted_run import MIN_QUOTE, MIN_RUN, WORD, pasted_runs, quoted_length

_SAYS = ("sentence", "item", "row")
"""Units that state something (a cause, a fix): one must be left for the drop to be worth it."""


def _words(text: str) -> list[str]:
    """Latin words as graph/pasted_run.py compares them (lowercased, edge separators stripped)."""
    return [w for w in (m.strip(".-/:").lower() for m in WORD.findall(text or "")) if w]


def words_after_paste(runs: list[list[str]], text: str) -> int:
    """Words of `text` after its earliest-ending longest stretch quoted from `runs` (all of them: none quoted)."""
    words = _words(text)
    best = quoted_length(runs, text)
    tail = len(words)
    if best <= 0:
        return tail
    for run in runs:
        for i in range(len(run) - best + 1):
            piece = run[i:i + best]
            for k in range(len(words) - best + 1):
                if words[k:k + best] == piece:
                    tail = min(tail, len(words) - (k + best))
    return tail


def pasted_blocks(units: list[Unit], question: str) -> set[int]:
    """Indices of the code blocks quoting what the user pasted and ending with it, with the lead-in just before each."""
    runs = pasted_runs(question)
    gone: set[int] = set()
    if not runs:
        return gone
    for i, unit in enumerate(units):
        if unit.kind == "code" and quoted_length(runs, unit.text) >= MIN_QUOTE \
                and words_after_paste(runs, unit.text) < MIN_RUN:
            gone.add(i)
            if i > 0 and units[i - 1].kind == "leadin":
                gone.add(i - 1)
    return gone


def without_pasted_output(units: list[Unit], question: str) -> list[Unit]:
    """`units` without the blocks repeating the pasted message (`pasted_blocks`), unless nothing
    stating a cause or a fix would be left."""
    gone = pasted_blocks(units, question)
    out = [u for i, u in enumerate(units) if i not in gone]
    return out if gone and any(u.kind in _SAYS for u in out) else units
