"""A tiny, safe condition language for runbook branches (no eval).

    tool.port.data.open == false and not (slots.os == "Windows" or tool.http.data.status_code >= 500)
    tool.log.data.codes contains "1040"        slots.port in [22, 3389]

Operands: dotted paths into `{"tool": {step: result}, "slots": {...}}` (a missing path is
null; digits index lists), numbers, "strings", true/false/null, [lists]. Operators:
== != < <= > >= contains in, combined with and/or/not and parentheses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

TOKEN = re.compile(  # (?<!\s): a whitespace run is entered at its start only (linear even under search)
    r"""(?<!\s)\s*(?:(?P<num>-?\d+(?:\.\d+)?)(?![\w.])|(?P<str>"[^"]*"|'[^']*')|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)"""
    r"""|(?P<word>[A-Za-z_][\w-]*(?:\.[\w-]+)*))"""
)
COMPARE = {"==", "!=", "<", "<=", ">", ">=", "contains", "in"}
ROOTS = ("tool", "slots")


class ConditionError(ValueError):
    """The condition text does not parse (developer error in a runbook)."""


@dataclass(frozen=True)
class Path:
    parts: tuple[str, ...]


def tokenize(text: str) -> list[tuple[str, Any]]:
    tokens: list[tuple[str, Any]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read condition at {text[pos:]!r}")
        pos = m.end()
        if m.group("num") is not None:
            num = m.group("num")
            tokens.append(("value", float(num) if "." in num else int(num)))
        elif m.group("str") is not None:
            tokens.append(("value", m.group("str")[1:-1]))
        elif m.group("op") is not None:
            tokens.append(("op", m.group("op")))
        else:
            word = m.group("word")
            literals = {"true": True, "false": False, "null": None, "none": None}
            if word.lower() in literals:
                tokens.append(("value", literals[word.lower()]))
            elif word in ("and", "or", "not", "contains", "in"):
                tokens.append(("op", word))
            elif word.split(".", 1)[0] in ROOTS:
                tokens.append(("path", Path(tuple(word.split(".")))))
            else:
                raise ConditionError(f"unknown name {word!r} (paths start with tool. or slots.; strings need quotes)")
    return tokens


class Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None or (op is not None and tok != ("op", op)):
            raise ConditionError(f"expected {op or 'more'} in condition {self.text!r}")
        self.pos += 1
        return tok

    def parse(self) -> Any:
        node = self.expr()
        rest = self.peek()
        if rest is not None:
            raise ConditionError(f"unexpected {rest[1]!r} in condition {self.text!r}")
        return node

    def expr(self) -> Any:
        node = self.conj()
        while self.peek() == ("op", "or"):
            self.take()
            node = ("or", node, self.conj())
        return node

    def conj(self) -> Any:
        node = self.neg()
        while self.peek() == ("op", "and"):
            self.take()
            node = ("and", node, self.neg())
        return node

    def neg(self) -> Any:
        if self.peek() == ("op", "not"):
            self.take()
            return ("not", self.neg())
        left = self.operand()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in COMPARE:
            self.take()
            return ("cmp", tok[1], left, self.operand())
        return ("truthy", left)

    def operand(self) -> Any:
        kind, value = self.take()
        if kind in ("value", "path"):
            return (kind, value)
        if value == "(":
            node = self.expr()
            self.take(")")
            return ("expr", node)
        if value == "[":
            items = []
            while self.peek() != ("op", "]"):
                items.append(self.operand())
                if self.peek() == ("op", ","):
                    self.take()
            self.take("]")
            return ("list", items)
        raise ConditionError(f"unexpected {value!r} in condition {self.text!r}")


def lookup(context: dict[str, Any], parts: tuple[str, ...]) -> Any:
    node: Any = context
    for part in parts:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _value(node: Any, context: dict[str, Any]) -> Any:
    kind = node[0]
    if kind == "value":
        return node[1]
    if kind == "path":
        return lookup(context, node[1].parts)
    if kind == "list":
        return [_value(n, context) for n in node[1]]
    return _eval(node[1], context)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "contains":
        return left is not None and (right in left if not isinstance(left, str) else str(right) in left)
    if op == "in":
        return right is not None and left in right
    try:
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
    except TypeError:
        return False  # null or mixed types never order


def _eval(node: Any, context: dict[str, Any]) -> bool:
    kind = node[0]
    if kind == "or":
        return _eval(node[1], context) or _eval(node[2], context)
    if kind == "and":
        return _eval(node[1], context) and _eval(node[2], context)
    if kind == "not":
        return not _eval(node[1], context)
    if kind == "cmp":
        return _compare(node[1], _value(node[2], context), _value(node[3], context))
    return bool(_value(node[1], context))


class Condition:
    """A parsed condition; `paths()` for validation, `evaluate(context)` at run time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tree = Parser(text).parse()

    def evaluate(self, context: dict[str, Any]) -> bool:
        return _eval(self.tree, context)

    def paths(self) -> list[tuple[str, ...]]:
        return [t[1].parts for t in tokenize(self.text) if t[0] == "path"]
