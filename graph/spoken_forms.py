"""Spoken money phrases, split verbs and replica words read as the documentation's words, for the guard.

Users say 交钱 / 充完钱 / 钱没交够 / 欠了几天钱 / 钱怎么扣得这么快 where documentation writes
缴费 / 充值 / 欠费 / 扣费: a verb of paying and the object 钱 (money), the verb before or after it
within one clause. `written_forms(text, vocab)` replaces each such phrase by the written term the
loaded base itself uses (V费, or 充值 for 充; a paying verb under 没/未/忘了 is 欠费), so the guard
weighs the base's word instead of a spoken compound no document has. A base that never writes the
term is unchanged (the words must be its own), and a fee the base never names (话费, 学费, 电费)
stays what it is: 钱 is the only object read. A verb-object word of the base split by 了/过/完
("充了值", "扩完容") is joined first, and a verb said with 回去/回来 ("缩回去") is the base's word for it (缩小). The spoken names of a database replica (从库, 备库, slave) are read
as the replica's name in a base that writes none of them (只读实例, 只读节点, 副本): "从库老是跟不上主库"
is the base's 只读实例 lagging behind. A spoken verb the base never writes is read as the base's verb one
character away (换绑 -> 改绑). Used by graph.domain_check (judge,
clearly_off_domain) and the guard node (the message it hands on). Tests:
tests/graph/test_guard_spoken.py.
"""

from __future__ import annotations

import re
from typing import Callable, Protocol

# A verb of paying -> the written terms it forms with money, most specific first (交钱 = 缴费 = 交费 = 付费).
_WRITTEN: dict[str, tuple[str, ...]] = {
    "交": ("缴费", "交费", "充值", "付费"), "缴": ("缴费", "交费", "充值", "付费"), "付": ("付费", "缴费"),
    "充": ("充值",), "续": ("续费",), "欠": ("欠费",), "扣": ("扣费", "计费"), "收": ("收费", "计费"),
    "退": ("退费", "退款"),
}
_GAP = 4
"""Characters at most between the verb and 钱 (欠了好几天钱, 钱怎么扣)."""
_CLAUSE_BREAK = r"\s，,。.!！?？;；、：:"
_OWED = ("欠费",)
"""Not paying is owing: 没交钱 / 钱没交够 / 忘了充钱 are what the documentation calls 欠费."""
_PAYING = "交缴付充续"
_NOT = re.compile(r"没有?|未|忘了|忘记")
_PHRASE = re.compile(
    rf"(?P<neg>(?:没有?|未|忘了|忘记)(?:及时|按时)?)?(?P<verb>[{''.join(_WRITTEN)}])[^{_CLAUSE_BREAK}钱]{{0,{_GAP}}}?钱"
    rf"|钱[^{_CLAUSE_BREAK}钱{''.join(_WRITTEN)}]{{0,{_GAP}}}(?P<after>[{''.join(_WRITTEN)}])[够齐]?")


_REPLICA = re.compile(r"(?<!主)(?:从库|备库)(?![里中内上])|(?<![a-z])slave(?:库)?(?![a-z])", re.IGNORECASE)
"""What users call a database replica (not the 从 of "从库里导出": from the database; not 主从库)."""
_REPLICA_WRITTEN = ("只读实例", "只读节点", "只读库", "从库", "备库", "从节点", "副本", "slave")
"""What documentation calls it, most specific first: the first the base writes is read."""

_RETURN = re.compile(r"(?P<verb>[\u4e00-\u9fff])回(?:去|来)")
"""A verb with a complement saying "back" (缩回去, 降回来): spoken, the base writes a word for the change."""
_RETURNED = ("小", "容")
"""Endings of the base's word for a size said going back, in order: 缩小, 缩容 (扩容's opposite)."""

_SPLIT_VERB = re.compile(r"(?<=[\u4e00-\u9fff])(?P<aspect>[了过完])(?=[\u4e00-\u9fff])")
"""An aspect mark inside a verb-object word: 充了值, 扩过容, 开完票 (the base writes 充值, 扩容, 开票)."""
COMMON = 20
"""jieba frequency from which the characters around a split verb form a word of their own (机器)."""


class _Knows(Protocol):
    def knows(self, token: str) -> bool: ...


def written_forms(text: str, vocab: _Knows, keep: Callable[[str], bool] | None = None, sep: str = "") -> str:
    """`text` with each spoken money phrase the base has a written term for replaced by that term
    ("充完钱多久能恢复" -> "充值完多久能恢复" on a base that writes 充值); the words between the
    verb and 钱 stay, so the question keeps its asking words ("钱怎么扣得这么快" -> "怎么扣费得这么快").
    A verb-object word of the base split by an aspect mark is joined ("充了值" -> "充值了").
    Phrases `keep` says yes to stay as they are; `sep` goes around each written term (a tokenizer
    then cannot glue it to the next character: "扣费 多了" not "扣 / 费多")."""
    text = swapped_verbs(returned_verbs(text, vocab), vocab)
    return replica_names(_money(joined_verbs(text, vocab), vocab, keep, sep), vocab, sep)


_SWAPS: dict[str, tuple[str, ...]] = {"换": ("改",)}
"""A spoken verb heading a verb-object word -> the written verb (换绑 -> 改绑, 换名 -> 改名). The result
complement 掉 read as 闭/除 (关掉 -> 关闭) was measured and lost a turn: "防火墙怎么关掉" then got the
page's "关闭系统防火墙" line instead of its check commands; not applied."""
_GRAMMAR = "了过着个成到完好上下回去来掉"
"""What follows a verb without making a word with it: aspect marks, a classifier, result and direction
complements ("图片换了" is 换 done, not a word 换了 to read as 改了)."""
_SWAP = re.compile(rf"(?=(?P<head>[{''.join(_SWAPS)}])(?P<obj>[\u4e00-\u9fff]))")


def swapped_verbs(text: str, vocab: _Knows) -> str:
    """"eip 换绑" -> "eip 改绑": a spoken two-character verb the base never writes, read as the base's word
    that differs from it by the spoken verb (换 for 改); unchanged when the base writes the spoken word
    itself or none of its written forms, or when the spoken verb belongs to a word of the base before it (更换)."""
    out, last = [], 0
    for match in _SWAP.finditer(text):
        at, spoken = match.start(), match.group("head") + match.group("obj")
        if at < last or match.group("obj") in _GRAMMAR or vocab.knows(spoken) or (at and vocab.knows(text[at - 1:at + 1])):
            continue  # the base's own word, or 更换绑定: 换 is 更换's
        written = next((w + match.group("obj") for w in _SWAPS[match.group("head")] if vocab.knows(w + match.group("obj"))),
                       None)
        if written is not None:
            out.append(text[last:at] + written)
            last = at + 2
    return "".join(out) + text[last:]


def returned_verbs(text: str, vocab: _Knows) -> str:
    """"买多了能缩回去吗" -> "买多了能缩小吗": a size said going back (V回去/V回来) read as the base's word
    for the change — the verb with 小 or 容 (缩小, 缩容); unchanged when the base writes neither, or
    writes the verb with 回 (改回来 is 改回, not 改小; 找回来 stays, and 找回 alone matched any page's 无法找回)."""
    def written(match: re.Match) -> str:
        verb = match.group("verb")
        if vocab.knows(verb + "回"):
            return match.group(0)  # the base writes 改回 / 找回: a going back of its own, no size
        return next((verb + end for end in _RETURNED if vocab.knows(verb + end)), match.group(0))

    return _RETURN.sub(written, text) if "回" in text else text


def replica_names(text: str, vocab: _Knows, sep: str = "") -> str:
    """"从库老是跟不上主库" -> "只读实例老是跟不上主库" in a base that writes 只读实例 but never 从库; a
    spoken name the base itself writes stays."""
    def written(match: re.Match) -> str:
        spoken = match.group(0)
        if vocab.knows(spoken.lower()):
            return spoken
        term = next((t for t in _REPLICA_WRITTEN if vocab.knows(t)), None)
        return spoken if term is None else sep + term + sep

    return _REPLICA.sub(written, text)


def joined_verbs(text: str, vocab: _Knows) -> str:
    """"充了值怎么还停着" -> "充值了怎么还停着": the two characters around 了/过/完 are a word of the
    base, and neither forms a common word with its other neighbour ("停了机器" keeps its 机器)."""
    if not _SPLIT_VERB.search(text):
        return text
    from knowledge.segmenter import segmenter  # jieba's dictionary, loaded by first character

    seg = segmenter()
    out, last = [], 0
    for match in _SPLIT_VERB.finditer(text):
        at = match.start()
        if at - 1 < last:  # its verb was the object of the word just joined
            continue
        verb, obj = text[at - 1], text[at + 1]
        before, after = text[at - 2:at] if at >= 2 else "", text[at + 1:at + 3]
        if (not vocab.knows(verb + obj) or (len(after) == 2 and seg.freq(after) >= COMMON)
                or (len(before) == 2 and seg.freq(before) >= COMMON)):
            continue
        out.append(text[last:at - 1] + verb + obj + match.group("aspect"))
        last = at + 2
    return "".join(out) + text[last:]


def _money(text: str, vocab: _Knows, keep: Callable[[str], bool] | None, sep: str) -> str:
    def written(match: re.Match) -> str:
        if keep is not None and keep(match.group(0)):
            return match.group(0)
        verb = match.group("verb") or match.group("after")
        phrase = match.group(0)[len(match.group("neg") or ""):]
        owed = verb in _PAYING and bool(match.group("neg") or _NOT.search(phrase))
        term = next((t for t in (_OWED if owed else ()) + _WRITTEN[verb] if vocab.knows(t)), None)
        if term is None:
            return match.group(0)
        term = sep + term + sep
        if owed:
            return term  # "没及时交钱" -> "欠费", "钱没交" -> "欠费"
        # the words between stay: "钱怎么扣" -> "怎么扣费", "欠了几天钱" -> "欠费了几天"
        between = phrase[1:-1] if match.group("verb") else phrase[1:phrase.rindex(verb)]
        return term + between if match.group("verb") else between + term

    return _PHRASE.sub(written, text) if "钱" in text else text
