"""Spoken money phrases read as the documentation's billing words, for the guard's judgment.

Users say 交钱 / 充完钱 / 钱没交够 / 欠了几天钱 / 钱怎么扣得这么快 where documentation writes
缴费 / 充值 / 欠费 / 扣费: a verb of paying and the object 钱 (money), the verb before or after it
within one clause. `written_forms(text, vocab)` replaces each such phrase by the written term the
loaded base itself uses (V费, or 充值 for 充), so the guard weighs the base's word instead of a
spoken compound no document has. A base that never writes the term is unchanged (the words must
be its own), and a fee the base never names (话费, 学费, 电费) stays what it is: 钱 is the only object read.
Used by graph.domain_check (judge, clearly_off_domain). Tests: tests/graph/test_guard_spoken.py.
"""

from __future__ import annotations

import re
from typing import Protocol

# A verb of paying -> the written terms it forms with money, most specific first (交钱 = 缴费 = 交费 = 付费).
_WRITTEN: dict[str, tuple[str, ...]] = {
    "交": ("缴费", "交费", "付费"), "缴": ("缴费", "交费", "付费"), "付": ("付费", "缴费"),
    "充": ("充值",), "续": ("续费",), "欠": ("欠费",), "扣": ("扣费", "计费"), "收": ("收费", "计费"),
    "退": ("退费", "退款"),
}
_GAP = 4
"""Characters at most between the verb and 钱 (欠了好几天钱, 钱怎么扣)."""
_CLAUSE_BREAK = r"\s，,。.!！?？;；、：:"
_PHRASE = re.compile(
    rf"(?P<verb>[{''.join(_WRITTEN)}])[^{_CLAUSE_BREAK}钱]{{0,{_GAP}}}?钱"
    rf"|钱[^{_CLAUSE_BREAK}钱{''.join(_WRITTEN)}]{{0,{_GAP}}}(?P<after>[{''.join(_WRITTEN)}])")


class _Knows(Protocol):
    def knows(self, token: str) -> bool: ...


def written_forms(text: str, vocab: _Knows) -> str:
    """`text` with each spoken money phrase the base has a written term for replaced by that term
    ("充完钱多久能恢复" -> "充值多久能恢复" on a base that writes 充值)."""
    def written(match: re.Match) -> str:
        verb = match.group("verb") or match.group("after")
        term = next((t for t in _WRITTEN[verb] if vocab.knows(t)), None)
        return term if term is not None else match.group(0)

    return _PHRASE.sub(written, text) if "钱" in text else text
