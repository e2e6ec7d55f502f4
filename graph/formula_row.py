"""A value worked out from the formula a page gives, for the number the question gives
(graph/value_fact.best_fact).

"极速 SSD 云盘 500G 的 IOPS 能到多少" on a page whose row gives "min(1800 + 50 × 容量GiB, 100000)":
the row, then the same formula with 500 put in and its result ("500 GiB 时：min(1800 + 50 × 500,
100000) = 26,800"). Only what the page writes is computed: a formula of one named variable (a word
holding no digit), of numbers, + - × * / and min / max; the question gives one number in the
variable's unit (500G for 容量GiB). No other arithmetic is ever made up. A line giving several formulas "分别为" for the names it lists
is worked out for the name the question asks about, or not at all. `work_in` works out the formula
line of a value answer that came another way (a FAQ entry).
Tested in tests/graph/test_formula_row.py.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import replace
from typing import TypeVar

from graph.doc_units import Unit

K = TypeVar("K")

# bounded repeats only: a formula is short, and no line can make the scan backtrack without end
_TERM = r"(?:\d[\d,]{0,12}(?:\.\d{1,6})?|[A-Za-z\u4e00-\u9fff]{1,16})"
_FORMULA = re.compile(rf"(?:(?:min|max) ?\( ?)?{_TERM}(?: ?[+\-×*/] ?{_TERM}){{1,8}}(?: ?, ?\d[\d,]{{0,12}} ?\))?", re.I)
_VARIABLE = re.compile(r"[A-Za-z\u4e00-\u9fff]+")
_UNIT = re.compile(r"[A-Za-z]+$")
_ASKED_NUMBER = re.compile(r"(\d{1,9}(?:\.\d{1,6})?) ?个? ?([A-Za-z]{1,8}|[\u4e00-\u9fff])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _unit_key(unit: str) -> str:
    """GiB, GB and G count the same unit; so do MiB, MB and M."""
    low = unit.lower().replace("i", "")
    return low[:-1] if low.endswith("b") and len(low) > 1 else low


def _evaluate(node: ast.AST) -> float:
    """Numbers, + - * /, min and max; anything else is no formula the page gives (ValueError)."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("min", "max") \
            and node.args and not node.keywords:
        values = [_evaluate(a) for a in node.args]
        return min(values) if node.func.id == "min" else max(values)
    raise ValueError("not a formula")


def _names(formula: str) -> set[str]:
    """The variables of a formula ("容量GiB"), min and max left out."""
    return {v for v in _VARIABLE.findall(formula) if v.lower() not in ("min", "max")}


# "三种云盘：A、B 和 C。IOPS 分别为 f1、f2 和 f3": the names listed, paired in order with the formulas
_LISTED = re.compile(r"([^：:，,。；;（(]{1,24}(?:[、]|和|及|与)[^：:，,。；;]{1,80}?)[。；;，,]?[^。；;]{0,24}?分别(?:为|是)")
_ITEM_SPLIT = re.compile(r"\s*(?:、|和|及|与)\s*")


def _asked_formula(text: str, formulas: list[str], question: str) -> list[str]:
    """The formulas a line gives to work out: all of them when it gives one; when it gives several
    "分别为" for the names it lists, the one of the name the question names (the longest such, "极速
    SSD 云盘" over "SSD 云盘"); none when the question names none or the names do not pair."""
    if len(formulas) <= 1:
        return formulas
    listed = _LISTED.search(text)
    if listed is None:
        return []
    names = [n.strip(" ：:") for n in _ITEM_SPLIT.split(listed.group(1).split("：")[-1].split(":")[-1]) if n.strip()]
    if len(names) != len(formulas):
        return []
    low = re.sub(r"\s+", "", question.lower())
    named = [(len(n), f) for n, f in zip(names, formulas) if re.sub(r"\s+", "", n.lower()) in low]
    return [max(named)[1]] if named else []


def worked_out(text: str, question: str) -> str | None:
    """The formula of the line with the question's number put in and its result ("500 GiB 时：
    min(1800 + 50 × 500, 100000) = 26,800"), or None when the line gives no formula of one variable
    in a unit the question gives one number of (or several, none of them for the type asked)."""
    found = [m.group(0).strip() for m in _FORMULA.finditer(text)]
    for formula in _asked_formula(text, [f for f in found if len(_names(f)) == 1], question):
        variable = _names(formula).pop()
        unit = _UNIT.search(variable)
        given = [(n, u) for n, u in _ASKED_NUMBER.findall(question)
                 if unit is not None and _unit_key(u) == _unit_key(unit.group(0))]
        if len(given) != 1:
            continue
        number, _ = given[0]
        put_in = formula.replace(variable, number)
        try:
            value = _evaluate(ast.parse(_THOUSANDS.sub("", put_in).replace("×", "*"), mode="eval"))
        except (SyntaxError, ValueError, ZeroDivisionError):
            continue
        shown = f"{int(value):,}" if value == int(value) else f"{value:,.2f}"
        return f"{number} {unit.group(0) if unit else ''} 时：{put_in} = {shown}"
    return None


def work_in(picked: list[tuple[K, Unit]], question: str) -> list[tuple[K, Unit]]:
    """A value answer's first line giving the formula for the number the question gives, worked out
    (a FAQ entry "SSD 云盘 IOPS = min(1800 + 30 × 容量GiB, 26000)" for "300个G 的话怎么算"); as is
    when no line gives one or one is worked out already."""
    for i, (key, unit) in enumerate(picked):
        if unit.kind not in ("sentence", "row", "item", "leadin"):
            continue
        worked = worked_out(unit.text, question)
        if worked is None:
            continue
        if worked in unit.text:
            return picked
        shown = replace(unit, text=f"{unit.text.rstrip('。；;')}；{worked}")
        return [*picked[:i], (key, shown), *picked[i + 1:]]
    return picked
