"""Which list comes with a matched line of a section (graph/section_answer.py): the numbered procedure
an item belongs to (`ordered_list`), the short list of signs a lead-in introduces (`short_lists`),
the checks right after a symptom's line (`checks_after`). Tested through tests/graph/test_extractive.py.
"""

from __future__ import annotations

import re

from graph.doc_units import Unit

_ACTION = re.compile(r"^(\*\*)?(进入|登录|打开|点击|单击|选择|填写|输入|提交|执行|运行|确认|检查|查看|在|到|使用|用|将|把|修改|"
                     r"添加|设置|开启|关闭|勾选|创建|新建|下载|安装|上传|等待|重启|删除|绑定|解绑|复制|配置|切换|返回|保存|"
                     r"申请|购买|启用|停用|停止|启动|挂载|卸载|扩容|刷新|清理|备份|恢复|导出|导入)")


def ordered_list(units: list[Unit], i: int) -> list[int]:
    """The numbered list (two items or more, with what is nested in them) unit `i` is a top-level
    item of; [] when it is not one."""
    if units[i].kind != "item" or units[i].depth or units[i].number is None:
        return []
    start = i
    while start > 0 and units[start - 1].kind in ("item", "code") and not (
            units[start - 1].kind == "item" and units[start - 1].depth == 0 and units[start - 1].number is None):
        start -= 1
    end = i + 1
    while end < len(units) and units[end].kind in ("item", "code") and not (
            units[end].kind == "item" and units[end].depth == 0 and units[end].number is None):
        end += 1
    while start < i and not (units[start].kind == "item" and units[start].depth == 0):
        start += 1  # a command before the list is not part of it
    numbered = [j for j in range(start, end) if units[j].kind == "item" and units[j].depth == 0]
    acts = sum(1 for j in numbered if _ACTION.match(units[j].text))  # steps say what to do; causes do not
    return list(range(start, end)) if len(numbered) >= 2 and 2 * acts >= len(numbered) else []


SHORT_LIST = 4
"""Items at most of a list introduced by a lead-in that is given whole when one item matches."""


def _same_list(unit: Unit, numbered: bool) -> bool:
    """A unit of the list being walked: a command, an item nested in one, or a top-level item numbered as it is."""
    return unit.kind == "code" or (unit.kind == "item" and (unit.depth > 0 or (unit.number is not None) == numbered))


def short_lists(units: list[Unit], matched: set[int]) -> set[int]:
    """The whole of each short list a lead-in introduces ("以下迹象提示可能是挖矿程序：", "而是：1. … 2. …")
    that a matched item belongs to: the user describes one sign, the others (and how to check them)
    say whether it is that. Lists of more than SHORT_LIST items stay read by match."""
    out: set[int] = set()
    for i in matched:
        if units[i].kind != "item" or units[i].depth:
            continue
        numbered = units[i].number is not None  # "而是：1. 把 www CNAME 到…；2. 根域名 301 跳转…": one fix in two steps
        start = i
        while start > 0 and _same_list(units[start - 1], numbered):
            start -= 1
        end = i + 1
        while end < len(units) and _same_list(units[end], numbered):
            end += 1
        tops = [j for j in range(start, end) if units[j].kind == "item" and not units[j].depth]
        if start > 0 and units[start - 1].kind == "leadin" and len(tops) <= SHORT_LIST:
            out |= set(range(start - 1, end))
    return out


def checks_after(units: list[Unit], matched: set[int]) -> set[int]:
    """The numbered list of checks right after a matched sentence of a troubleshooting section ("现象通常是
    `yum install` … 卡住" then "1. **检查路由表** …"): the line names the symptom, the list says what to do."""
    out: set[int] = set()
    for i in matched:
        if units[i].kind == "sentence" and i + 1 < len(units):
            out |= set(ordered_list(units, i + 1))
    return out
