"""What kind of unit a passage is, read from its structure: reference (looked up) or problem (diagnosed).

A reference unit describes how things are: a section or table titled as an overview, a spec, a
quota or limit, a price, a choice, defaults or a glossary ("如何选择规格", "配额与限制", "Concepts",
"实例规格一览"), where no table column says what went wrong or what to do. A problem page is written for
something that went wrong: its title or file name diagnoses (`DIAGNOSING`), or at
least PROBLEM_SECTIONS of its title and section headings name a symptom, a cause, a check, a fix or an
optimisation (现象 / 可能原因 / 排查步骤 / 解决方法 / 优化, "Symptoms", "Solution"). Read from
headings and table headers only, so it works on any base; used by graph/symptom_page.py and the
select node (graph/problem_pool.py). Tested in tests/graph/test_unit_kind.py.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

DIAGNOSING = re.compile(r"排查|故障排除|故障诊断|诊断|调试|troubleshoot|debug", re.I)
"""Words of a title or file name that say the page diagnoses problems ("故障注入" does not)."""
REFERENCE_HEAD = re.compile(
    r"概述|简介|介绍|规格|配额|限制|计费|价格|定价|费用|选择|选型|术语|概念|基础|速查|一览|默认值|默认参数|"
    r"overview|introduction|reference|limits?\b|quotas?|pricing|glossary|concepts?", re.I)
"""A section heading or page title naming a reference kind: it says how things are, not what went wrong."""
PROBLEM_HEAD = re.compile(
    r"现象|症状|原因|排查|诊断|解决|处理|优化|故障|报错|错误|异常|失败|symptoms?|causes?|troubleshoot|"
    r"diagnos|solutions?|resolution|workaround", re.I)
"""A section heading of a problem page: the symptom, its causes, the checks, the fix."""
PROBLEM_COLUMN = re.compile(r"原因|解决|处理|排查|建议|现象|症状|cause|solution|fix|action", re.I)
"""A table column that says what went wrong or what to do (an error-code table is not a spec table)."""
PROBLEM_SECTIONS = 2
"""Section headings of a page that must name a problem part for the page to be a problem page: one
"常见问题" or "错误处理" section does not make an overview a troubleshooting page."""
_QUESTION = re.compile(r"[？?][\s`]*$")
_HEADER = re.compile(r"（表头：([^）]*)）|\(header: ([^)]*)\)")


def is_diagnosing(passage: Mapping[str, Any]) -> bool:
    """The passage's page is written to diagnose problems (its title or file name says so)."""
    name = (passage.get("source") or "").rsplit("/", 1)[-1]
    return bool(DIAGNOSING.search(f"{passage.get('title') or ''} {name}"))


def table_header(passage: Mapping[str, Any]) -> str:
    """The column names of a table unit (the indexer writes them as "（表头：A | B）"), else ""."""
    match = _HEADER.search(passage.get("text") or "")
    return next((g for g in match.groups() if g), "") if match else ""


def is_reference_unit(passage: Mapping[str, Any]) -> bool:
    """A unit whose own section heading (or, for a table or a page's opening, its page title) names a
    reference kind, on a page that is not itself diagnosing; a table with a problem column is none
    (a configuration example's table under "访问另一个 VPC" is none either: its heading names no kind)."""
    if passage.get("kind") == "faq" or is_diagnosing(passage):
        return False
    table = passage.get("kind") == "table"
    if table and PROBLEM_COLUMN.search(table_header(passage)):
        return False
    heads = list(passage.get("heading_path") or [])
    own = heads[-1] if heads else ""
    if own and (PROBLEM_HEAD.search(own) or _QUESTION.search(own)):
        return False  # a FAQ entry's heading is its question ("为什么默认值不一致？"): no reference kind
    return bool(REFERENCE_HEAD.search(own) or ((table or not heads) and REFERENCE_HEAD.search(passage.get("title") or "")))


def is_problem_page(passage: Mapping[str, Any], doc_chunks: Iterable[Mapping[str, Any]]) -> bool:
    """The passage's page is written for a problem: its title diagnoses, or PROBLEM_SECTIONS of its
    title and section headings name a symptom, cause, check or fix."""
    if passage.get("kind") == "faq":
        return False
    if is_diagnosing(passage):
        return True
    heads = {h for c in doc_chunks for h in (c.get("heading_path") or [])} | {str(passage.get("title") or "")}
    return sum(1 for h in heads if PROBLEM_HEAD.search(h)) >= PROBLEM_SECTIONS
