"""What the shape of a value question adds to a line's score as its answer (graph/value_fact.best_fact).

The shape is read from the question (graph/question_type.py): "能找回来吗" wants the page's verdict,
read with the page's own question before it ("**Q：误释放了实例还能恢复吗？**"), with the reason
and the way out that follow it in its paragraph ("不能。释放是不可逆操作，建议…"); "用啥命令" the
line leading into a command block; "重点看哪几个字段" the lead-in announcing that kind of list (its
items follow it, graph/unit_fit.attach); "那包年包月的呢" the table row keyed 包年包月, not its
neighbour sharing the other words; "能不关机重置吗" the line saying it is done "无需关机". Each holds on any knowledge base: they read how pages write, not what
they are about. Tested in tests/graph/test_answer_shape.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from graph.console_path import PATH, asks_place
from graph.doc_units import Unit
from graph.paragraphs import grams
from graph.question_type import asks_command, asks_list
from graph.relevance import QuestionTerms, coverage
from graph.unit_fit import QUESTION_LINE

COMMAND = 0.4
"""Added to a line leading into a command block when the question asks which command to run ("查 sshd 用啥命令")."""
LIST = 0.4
"""Added to a lead-in with its list or table when the question asks for several things without naming
their kind ("有哪些")."""
LIST_NAMED = 1.0
"""Added instead when the lead-in announces the kind of thing asked ("关注以下字段：" for "哪几个字段"):
as with value_fact.IN_UNIT, a list of other things does not answer, however many words it shares."""
SHAPED_ROOM = 480
"""Characters a command block or a list with its lead-in may use as a value answer (a value sentence gets 200)."""
SAME_ASK = 0.5
"""Weight of the share of a page question's words the question holds ("误释放了" in both), beside the
share of the question's terms it covers: the user's own wording, not only the thread's subject."""
ROW_KEY = 0.3
"""Added to a table row whose first cell the question names."""
WITHOUT = 0.3
"""Added to a line saying a thing is done without what the question would do without ("无需关机"),
over the line saying it is needed ("需要关机")."""
REASON = 2
"""Sentences after the verdict a yes-or-no question brings from its paragraph (graph/paragraphs.with_reason)."""
SHORT_VERDICT = 8
"""Characters up to which a picked line is only a verdict ("不能。"): the reason after it comes with it."""

_NOT = r"(?:无需|无须|不需要?|不用|不必|免|不)"
# "不关机" names what is left out; "能不能 / 停不了 / 不想" do not
_NOT_VERBS = re.compile(rf"(?<![\u4e00-\u9fff]不){_NOT}(?![能会是行要到了上够好对得过想])([\u4e00-\u9fff]{{2}})")


@dataclass(frozen=True)
class Shape:
    """The shape one question asks for (read once per question)."""

    question: str
    command: bool
    """It asks which command to run."""
    listing: str | None
    """The kind of thing it asks several of ("字段"; "" when unnamed; None: it asks for one)."""
    without: tuple[str, ...]
    """What it would do without ("能不关机重置吗" -> 关机)."""
    place: bool = False
    """It asks where ("白名单在控制台哪加"): a console path, with the command doing the same after it."""

    @classmethod
    def of(cls, question: str) -> "Shape":
        return cls(question, asks_command(question), asks_list(question),
                   tuple(m.group(1) for m in _NOT_VERBS.finditer(question)), asks_place(question))

    def score(self, units: list[Unit], i: int, terms: QuestionTerms, asked: dict[int, str]) -> float:
        """What the shape adds to unit i (`asked`: the page questions, `page_questions`)."""
        u = units[i]
        score = asked_alike(asked[id(u)], self.question, terms) if id(u) in asked else 0.0
        score += self._block(units, i, terms)
        score += ROW_KEY if names_key(u, self.question) else 0.0
        return score + (WITHOUT if any(re.search(f"{_NOT}{re.escape(v)}", u.text) for v in self.without) else 0.0)

    def _block(self, units: list[Unit], i: int, terms: QuestionTerms) -> float:
        """A command asked for: the line with a command block after it (and what the command names);
        several things asked for: a lead-in with its items or rows (and what they name)."""
        u, after = units[i], units[i + 1:]
        if self.command and u.kind in ("sentence", "leadin", "item") and after and after[0].kind == "code":
            return COMMAND + 0.5 * coverage(terms, after[0].text)
        if self.listing is None or u.kind != "leadin" or not after or after[0].kind not in ("item", "row"):
            return 0.0
        if self.listing and not introduces(u.text, self.listing):
            return 0.0  # a list of other things ("两个方向如下：" for "哪些端口")
        listed = []
        for v in after:
            if v.kind not in ("item", "row", "code"):
                break
            listed.append(v.text)
        return (LIST_NAMED if self.listing else LIST) + 0.5 * coverage(terms, " ".join(listed))

    def room(self, units: list[Unit], i: int, budget: int) -> int:
        """The budget for the answer picked at unit i: a command block or a list comes whole; so does
        a console path with the command after it or within its item ("…“数据安全性 → 白名单”中添加…也可以用命令行：")."""
        code_after = i + 1 < len(units) and units[i + 1].kind == "code"
        if (self.command and code_after) or (self.listing is not None and units[i].kind == "leadin") \
                or (self.place and (code_after or "```" in units[i].text) and PATH.search(units[i].text)):
            return max(budget, SHAPED_ROOM)
        return budget

    def named_rows(self, units: list[Unit]) -> set[str]:
        """The row keys the question names in these units (empty: it names none, every row may answer)."""
        return {row_key(u) for u in units if names_key(u, self.question)}


def introduces(leadin: str, kind: str) -> bool:
    """The lead-in announces a list of that kind of thing ("关注以下字段：", "需要放行的端口："), not a
    list of something else that only mentions it ("访问 80 端口时，两个方向如下：")."""
    k = re.escape(kind)
    return re.search(rf"(以下|下列|如下|这些|这几|几个|几种|几类)[^，,。；;：:]{{0,6}}{k}|{k}[^，,。；;]{{0,6}}[：:]\s*$",
                     leadin, re.I) is not None


def asked_alike(page_question: str, question: str, terms: QuestionTerms) -> float:
    """How much a page's own question asks what the question asks: the terms it covers, and the share
    of its words the question holds."""
    words = grams(page_question)
    low = question.lower()
    share = sum(w in low for w in words) / len(words) if words else 0.0
    return coverage(terms, page_question) + SAME_ASK * share


def page_questions(units: list[Unit]) -> dict[int, str]:
    """The page's own question (left out of the answer, graph/unit_fit.usable) by the id of the first
    line answering it: that line is read with it, as a line is read under its heading."""
    return {id(units[i + 1]): u.text for i, u in enumerate(units[:-1])
            if QUESTION_LINE.match(u.text) and units[i + 1].kind == "sentence" and not QUESTION_LINE.match(units[i + 1].text)}


def verdict_reason(units: list[Unit], i: int, verdict: bool) -> set[int]:
    """A verdict brings the next REASON sentences of its paragraph, a bare one ("不能。") at least the
    next: why, and what to do instead ("…是硬性限制。可以把连续端口合并为端口范围…")."""
    keep: set[int] = set()
    j, last = i + 1, i + (REASON if verdict else 1 if len(units[i].text) <= SHORT_VERDICT else 0)
    while j <= last and j < len(units) and units[i].kind == units[j].kind == "sentence" and units[i].para == units[j].para:
        keep.add(j)
        j += 1
    return keep


def row_key(unit: Unit) -> str:
    """What a table row is keyed on: its first cell ("" for other units)."""
    return next(iter(unit.cells.values()), "").strip(" *`").lower() if unit.kind == "row" else ""


def names_key(unit: Unit, question: str) -> bool:
    key = row_key(unit)
    if len(key) < 2:
        return False
    if key.isascii():  # "on" is no key named inside "connection"
        return re.search(rf"(?<![\w.-]){re.escape(key)}(?![\w-])", question.lower(), re.ASCII) is not None
    # a state row "已关机" is named by "关机后 / 关机了": the aspect mark is the table's, not the asker's
    return key in question.lower() or (key[0] == "已" and len(key) >= 3 and key[1:] in question.lower())


def shaped(question: str, units: Sequence[Unit]) -> bool:
    """The units give what the question's shape asks for: a command block for "用啥命令", two items or
    rows for "哪几个字段", a console path for "在控制台哪改"."""
    if asks_command(question) and any(u.kind == "code" for u in units):
        return True
    if asks_place(question) and any(u.kind != "code" and PATH.search(u.text) for u in units):
        return True
    return asks_list(question) is not None and sum(u.kind in ("item", "row") for u in units) >= 2
