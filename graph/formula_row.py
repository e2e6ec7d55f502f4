"""A value worked out from the formula a page gives, for the number the question gives
(graph/value_fact.best_fact).

"极速 SSD 云盘 500G 的 IOPS 能到多少" on a page whose row gives "min(1800 + 50 × 容量GiB, 100000)":
the row, then the same formula with 500 put in and its result ("500 GiB 时：min(1800 + 50 × 500,
100000) = 26,800"). Only what the page writes is computed: a formula of one named variable (a word
holding no digit), of numbers, + - × * / and min / max; the question gives one number in the
variable's unit (500G for 容量GiB). No other arithmetic is ever made up.
Tested in tests/graph/test_formula_row.py.
"""

from __future__ import annotations

import ast
import operator
import re

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


def worked_out(text: str, question: str) -> str | None:
    """The formula of the line with the question's number put in and its result ("500 GiB 时：
    min(1800 + 50 × 500, 100000) = 26,800"), or None when the line gives no formula of one variable
    in a unit the question gives one number of."""
    for m in _FORMULA.finditer(text):
        formula = m.group(0).strip()
        names = {v for v in _VARIABLE.findall(formula) if v.lower() not in ("min", "max")}
        if len(names) != 1:
            continue
        variable = names.pop()
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
