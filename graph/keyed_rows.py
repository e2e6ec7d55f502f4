"""Error-code tables: such a table answers only a question naming one of its rows (code or message).

An error-code table's rows carry many words each (product, message, causes, fixes), so its chunk
shares words with almost any question on the products it lists ("免费 SSL 证书能用多长时间" meets
the NET::ERR_CERT_DATE_INVALID row's "免费 DV 证书有效期仅 90 天"), and a row would be quoted, and the
table cited, instead of the page that states the fact. A row is looked up by what it is keyed on:

    keyed_table(passage)       # an error-code table: rows keyed on codes ("1040", "CLB.PortConflict")
    names_a_row(question, passage)  # by its code ("ERROR 1040") or its message ("--super-read-only")
    about_other_keys(question, passage)  # an error-code table none of whose rows the question names

Used by the select node (graph/nodes/select.py) on what the knowledge layer chose; tested in
tests/graph/test_keyed_rows.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from graph.doc_units import parse_units
from knowledge.identifiers import is_identifier

KEYED_SHARE = 0.5
"""Share of a table's rows whose first cell is a code for the table to be keyed on codes."""

def _rows(passage: Mapping[str, Any]) -> list[dict[str, str]]:
    """The cells (column name -> value) of each table row in the passage."""
    units = parse_units(passage.get("text") or "", passage.get("kind") or "doc")
    return [u.cells for u in units if u.kind == "row" and u.cells]


_ERROR_COLUMN = re.compile(r"错误|报错|异常|状态码|返回码|事件|\b(?:error|code|exception|status|reason)s?\b", re.I)
"""A key column naming errors: its rows are looked up by the error, not by what they say about it.
(A spec or severity table is looked up by its other cells too: "8 核的内存型" -> M5.2xlarge.)"""


def keyed_table(passage: Mapping[str, Any]) -> bool:
    """A table passage keyed on error codes: its key column names errors and at least half its
    rows (a chunk may hold one) open with a code."""
    return passage.get("kind") == "table" and _keyed(_rows(passage))


def _keyed(rows: list[dict[str, str]]) -> bool:
    if not rows or not all(_ERROR_COLUMN.search(next(iter(cells))) for cells in rows):
        return False
    return sum(is_identifier(next(iter(cells.values())), "key") for cells in rows) >= KEYED_SHARE * len(rows)


def _named(key: str, question: str) -> bool:
    """The key stands in the question as a word of its own; a spec's family ("C5" of "C5.large")
    names it too."""
    low = key.lower()
    family = re.split(r"\.|::|_", low)[0]
    probes = [low] + ([family] if family != low and re.search(r"\d", family) and re.search(r"[a-z]", family) else [])
    return any(re.search(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])", question) for p in probes)


_LATIN_WORD = re.compile(r"[a-z0-9-][a-z0-9_.:/'-]*")
_INNER_MARK = re.compile(r"[a-z0-9][-_.:]+[a-z0-9]")
QUOTED_PAIR = 10
"""Characters two adjacent Latin words of a row must have for the question holding them to quote it
("access denied", not "of the")."""


def _quoted(cells: dict[str, str], question: str) -> bool:
    """The question quotes the row's error message: a marked word of it ("--super-read-only") or two
    adjacent words ("too many connections")."""
    for value in list(cells.values())[1:]:
        low = value.lower()
        words = list(_LATIN_WORD.finditer(low))
        for m in words:
            word = m.group(0).strip("-.:")
            if len(word) >= 5 and _INNER_MARK.search(word) and word in question:
                return True
        for a, b in zip(words, words[1:]):
            pair = f"{a.group(0)} {b.group(0)}"
            if low[a.end():b.start()] == " " and len(pair) >= QUOTED_PAIR and pair in question:
                return True
    return False


def names_a_row(question: str, passage: Mapping[str, Any]) -> bool:
    """The question names one of the passage's rows: by its code, or by quoting its message."""
    return _names(question, _rows(passage))


def _names(question: str, rows: list[dict[str, str]]) -> bool:
    q = " ".join(question.lower().split())
    return any((is_identifier(key := next(iter(cells.values())), "key") and _named(key, q)) or _quoted(cells, q)
               for cells in rows)


def about_other_keys(question: str, passage: Mapping[str, Any]) -> bool:
    """A table keyed on error codes none of whose rows the question names: they answer other questions."""
    if passage.get("kind") != "table":
        return False
    rows = _rows(passage)  # parsed once for both checks
    return _keyed(rows) and not _names(question, rows)
