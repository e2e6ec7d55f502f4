"""What kind of list an ordinal asks into, and what kind of list an answer gave — and the short name of an item.

    ordinal_kind("第一步看啥", ordinal)          # "step"   (第三个条件 -> "condition", 第二个原因 -> "cause")
    list_kind("可能原因", ["资源不足：…", …])      # "cause"  (items that are actions -> "step")
    kinds_agree("step", "cause")                # False: "第一步" does not mean the first cause the answer listed
    item_name("资源不足：所有节点剩余的可分配 CPU…")  # "资源不足"

A follow-up "第一步看啥" after an answer that listed causes asks the first step of the procedure, not the
first cause; "第三个条件" after an answer that listed a procedure's steps asks the page's third condition.
Only a clear disagreement counts (an ordinal or a list of no recognisable kind agrees with anything).
Pure text functions. Tests: tests/graph/test_list_kind.py.
"""

from __future__ import annotations

import re

from graph.references import Ordinal

_ASKED = (("step", re.compile(r"^(?:个)?(?:步骤|步)")), ("condition", re.compile(r"^(?:个|条)?条件")),
          ("cause", re.compile(r"^(?:个|条|种)?(?:原因|可能)")))
"""The kind an ordinal names, read right after its number ("第三步", "第三个条件", "第二个原因")."""

_LEAD = (("cause", re.compile(r"原因|导致|引起")), ("condition", re.compile(r"条件|同时满足")),
         ("step", re.compile(r"步骤|操作如下|按以下|依次")))
"""The kind a list's lead-in names ("可能原因：", "需要同时满足三个条件", "排查步骤如下")."""

_ACTION = re.compile(r"^(?:在|进入|点击|执行|添加|选择|登录|打开|新建|创建|勾选|运行|确认|检查|查看|修改|重启|删除|使用|用)")
"""An item that opens with what to do: a procedure's step."""

_LABEL = re.compile(r"^([^：:，,。；;`\s][^：:，,。；;`]{0,11})[：:]\s*\S")
"""An item that opens with a short label and a colon ("资源不足：所有节点…"): a named case, not an action."""

_CLAUSE_END = re.compile(r"[，,。；;：:）)]")


def ordinal_kind(text: str, ordinal: Ordinal) -> str | None:
    """The kind of item the ordinal asks for, when its words name one (step, condition or cause)."""
    after = re.sub(r"^第\s*(?:[一二两三四五六七八九十]|\d{1,2})", "", text[ordinal.span[0]:]).lstrip()
    return next((kind for kind, pattern in _ASKED if pattern.match(after)), None)


def list_kind(lead: str, items: list[str]) -> str | None:
    """The kind of list an answer gave: named by its lead-in, else shown by most of its items (actions: steps;
    short labels with a colon: named cases, read as causes); None when neither says."""
    named = next((kind for kind, pattern in _LEAD if pattern.search(lead or "")), None)
    if named or not items:
        return named
    actions = sum(bool(_ACTION.match(i)) for i in items)
    labels = sum(bool(_LABEL.match(i)) and not _ACTION.match(i) for i in items)
    if actions * 2 > len(items):
        return "step"
    return "cause" if labels * 2 > len(items) else None


def kinds_agree(asked: str | None, listed: str | None) -> bool:
    """May an ordinal of kind `asked` point into a list of kind `listed`? Only a clear mismatch says no: a step
    asked of a list of causes, a cause or a condition asked of a list of steps."""
    if asked is None or listed is None or asked == listed:
        return True
    return not (asked == "step" or listed == "step")


def item_name(item: str, limit: int = 60) -> str:
    """An item as a standalone question carries it: its short label when it opens with one ("资源不足：…" ->
    "资源不足"), else its text up to `limit` characters cut at a clause's end — never inside a word or a
    quoted command (a half word such as "Insuffici" is a term no page holds)."""
    label = _LABEL.match(item)
    if label and not _ACTION.match(item):
        return label.group(1).strip()
    if len(item) <= limit:
        return item
    head = item[:limit]
    ends = [m.end() - 1 for m in _CLAUSE_END.finditer(head)]
    cut = head[:ends[-1]] if ends and ends[-1] >= 8 else head
    if cut == head and item[limit].isascii() and item[limit].isalnum():
        cut = re.sub(r"[A-Za-z0-9_.-]+$", "", cut)  # a word cut at the limit: leave it out whole
    if cut.count("`") % 2:
        cut = cut[:cut.rfind("`")]
    return cut.strip(" ，,。；;：:") or head
