"""Which sections of the anchor document an extractive answer uses, in order (graph/extractive.py).

`doc_order`: the anchor document's evidence sections by role — the procedure, the causes list, the
sections covering what is asked beyond the title, a step a matching sentence points to (a symptom
question: an error message matched word for word first); a section titled with the very problem
asked (`titled_anchor`) answers first; for a cause or symptom, the numbered troubleshooting steps no
role puts first are reordered in their places by how much of the problem they cover (a check step
the problem names before the anchor's generic one). `sibling_sections` / `same_part`: sections of one part of a page.
Tested in tests/graph/test_extractive.py and tests/graph/test_long_sections.py.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

from graph.contrast import sidedness
from graph.doc_units import Unit
from graph.evidence import is_on_topic
from graph.question_type import QuestionType
from graph.relevance import QuestionTerms, context_of, coverage, with_context
from graph.section_answer import TITLED_PROBLEM, section_units

def doc_order(passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms,
              compared: Sequence[str] = ()) -> list[int]:
    """Passage numbers of the anchor document's sections to answer from, in the order to use them;
    `compared`: the sides a comparison names (graph/contrast.sides)."""
    ordered = [n for n in range(len(passages), 0, -1) if passages[n - 1].get("kind") != "faq"
               and is_on_topic(terms, passages[n - 1]) and (passages[n - 1].get("meta") or {}).get("added") != "fix"]
    if not ordered:
        return []
    if qtype == "compare":  # the section answering the sides best (graph/contrast.sidedness), then covering the question best
        return sorted(ordered, key=lambda n: (-sidedness(section_units(passages[n - 1]), compared), -coverage(
            terms, f"{context_of(passages[n - 1])} {passages[n - 1].get('text') or ''}")))[:1]
    anchor = titled_anchor(passages, ordered, terms)
    source = passages[anchor if anchor is not None else ordered[0] - 1].get("source")
    if anchor is not None:  # the problem's own entry answers first, then its page's other sections
        ordered = [anchor + 1, *(n for n in ordered if n != anchor + 1)]
    same = [n for n in ordered if passages[n - 1].get("source") == source]
    role = {"procedure": 0, "alternative": 0, "causes": 1, "focus": 2, "step": 3}
    if qtype == "symptom":  # an error message matched word for word comes first
        role = {"focus": 0, "step": 1, "causes": 2, "procedure": 3, "alternative": 3}  # the CLI beside the console steps

    entry = problem_entry(passages, same, terms) if qtype in ("cause", "symptom") else None

    def rank(n: int) -> tuple[int, int]:
        meta = passages[n - 1].get("meta") or {}
        kind = "procedure" if meta.get("procedure") and not meta.get("added") else meta.get("added", "")
        if meta.get("remedy"):  # the page's solution, for a fix asked (graph/fix_asked.py), before its checks
            return (-1, same.index(n))
        if kind in ("variant", "aftermath", "heading"):  # the section for the variant asked about ("Windows 实例"), for
            return (-1, same.index(n))  # what stays after the action done (graph/aftermath.py), or headed with what the
            # question singles out (graph/heading_section.py), answers first
        if anchor is not None and n == anchor + 1:
            return (-1, -1)
        if n == entry:
            return (-1, -1)
        heads = passages[n - 1].get("heading_path") or []
        if not kind and qtype in ("cause", "symptom") and heads \
                and coverage(terms.codes_first(), heads[-1]) >= TITLED_PROBLEM:
            return (-1, same.index(n))  # a section titled with the very problem ("… 显示 `prometheus_not_found` 错误")
        if qtype == "symptom" and kind == "focus" and coverage(terms, passages[n - 1].get("text") or "") < 0.4:
            kind = "weak"
        return (role.get(kind, 4) if qtype in ("cause", "symptom") or kind == "procedure" else 4, same.index(n))

    out = sorted(same, key=rank)
    if qtype in ("cause", "symptom"):
        out = _steps_by_coverage(out, [rank(n)[0] == 4 and _is_step(passages[n - 1]) for n in out], passages, terms)
    return out


def _own_cover(passage: Mapping[str, Any], terms: QuestionTerms) -> float:
    """How much of the question a section covers by its own heading and text (not the anchor's words
    that led to it, `meta.via`)."""
    return coverage(terms, with_context(passage, via=False))


def problem_entry(passages: Sequence[Mapping[str, Any]], same: list[int], terms: QuestionTerms) -> int | None:
    """The passage number of the page's entry for the problem asked, when retrieval found it: a
    section evidence did not add, headed with a problem ("Envoy 在负载压力下崩溃", "Lock wait timeout
    exceeded"), covering by its own words at least as much of the question as every section the
    page's structure added (a "TLS 配置错误" section found through it says nothing on this problem);
    never before a numbered procedure of the page (the steps that fix what the entry describes)."""
    found = [n for n in same if not (passages[n - 1].get("meta") or {}).get("added")]
    added = [n for n in same if (passages[n - 1].get("meta") or {}).get("added") in ENTRY_BEFORE]
    if not found or not added or any((passages[n - 1].get("meta") or {}).get("procedure") for n in added):
        return None  # a numbered procedure of the page is what to do about it
    best = max(found, key=lambda n: (_own_cover(passages[n - 1], terms), -same.index(n)))
    heads = passages[best - 1].get("heading_path") or []
    if not heads or not _PROBLEM_HEAD.search(heads[-1]):
        return None
    own = _own_cover(passages[best - 1], terms)
    return best if own >= ENTRY_MIN and all(own >= _own_cover(passages[n - 1], terms) for n in added) else None


ENTRY_BEFORE = ("procedure", "focus", "causes", "step")
"""Sections the page's structure added that the problem's own entry answers before."""
ENTRY_MIN = 0.3
"""Share of the question the entry must cover by its own words."""


_STEP_HEAD = re.compile(r"^(第[一二三四五六七八九十\d]+步|\d{1,2}[.、]|步骤\s*\d+)")


def _is_step(passage: Mapping[str, Any]) -> bool:
    """A numbered step of the page's troubleshooting procedure ("3. 检查"已删除但未释放"的文件")."""
    heads = passage.get("heading_path") or []
    return bool(heads) and bool(_STEP_HEAD.match(heads[-1].strip()))


def _steps_by_coverage(order: list[int], step: list[bool], passages: Sequence[Mapping[str, Any]],
                       terms: QuestionTerms) -> list[int]:
    """The numbered troubleshooting steps no role puts first, in their places, reordered by how much
    of the problem reported each covers (rounded: near ties keep the evidence order): the step that
    checks for what is reported answers before the anchor's generic one. Other sections stay put."""
    slots = [i for i, s in enumerate(step) if s]
    steps = sorted((order[i] for i in slots), key=lambda n: -round(coverage(
        terms, with_context(passages[n - 1])), 1))
    out = list(order)
    for i, n in zip(slots, steps):
        out[i] = n
    return out


def _titled(passage: Mapping[str, Any], terms: QuestionTerms) -> float:
    """How much of the question (codes weighted up) the passage's own heading names ("2.1 部署过程中
    提示 `unable to authenticate…`"); the page title stands for a page without sections."""
    heads = passage.get("heading_path") or []
    return coverage(terms.codes_first(), heads[-1] if heads else (passage.get("title") or ""))


def titled_anchor(passages: Sequence[Mapping[str, Any]], ordered: list[int], terms: QuestionTerms) -> int | None:
    """Index (0-based) of the section titled with the very problem asked, when the best-ranked one is
    not: a page's entry for the quoted error answers it, not a page that only mentions its words."""
    best = max(ordered, key=lambda n: (_titled(passages[n - 1], terms), -ordered.index(n)))
    score, top = _titled(passages[best - 1], terms), _titled(passages[ordered[0] - 1], terms)
    if best == ordered[0] or top >= TITLED_PROBLEM:
        return None
    heads = passages[best - 1].get("heading_path") or []
    if not heads or not _PROBLEM_HEAD.search(heads[-1]):
        return None  # a heading naming the asked thing but no problem ("1. 让私有子网通过 NAT 网关访问外网")
    if score >= TITLED_PROBLEM or (score >= TITLED_MIN and all(
            score >= TITLED_RATIO * _titled(passages[n - 1], terms) for n in ordered if n != best)):
        return best - 1
    return None


_PROBLEM_HEAD = re.compile(r"异常|错误|报错|失败|崩溃|无法|不能|不可用|超时|拒绝|卡住|卡在|停滞|不生效|未生效|丢失|泄漏|过高|"
                           r"停止工作|不工作|失效|未按预期|不符合预期|"
                           r"提示|`[^`]+`|error|fail|crash|denied|refused|unable|cannot|invalid|timeout|timed out|exceeded|not found|"
                           r"unavailable|pending|oom|not working|stops? working|unexpected", re.I)
"""A section heading that states a problem (a symptom word, a quoted message), not an action nor a
question ("…后，怎么删除老集群节点监控信息？" asks how to do something else)."""


TITLED_MIN = 0.15


TITLED_RATIO = 2.0
"""A section heading stating a problem that names TITLED_MIN of a long spoken question ("设置
DestinationRule 之后出现 503 异常"), TITLED_RATIO times more of it than any other evidence heading,
also marks the problem's own entry."""


def numbered(units: Iterable[Unit]) -> int:
    return sum(1 for u in units if u.kind == "item" and u.number is not None and not u.depth)


def sibling_sections(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two sub-sections of one section of a page ("刷新 > 控制台操作", "刷新 > sscli 操作")."""
    heads_a, heads_b = list(a.get("heading_path") or []), list(b.get("heading_path") or [])
    return a.get("source") == b.get("source") and len(heads_a) >= 2 and heads_a[:-1] == heads_b[:-1] \
        and heads_a != heads_b


def same_part(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Sections of one part of a page: siblings, or one inside the other ("关于 X 错误" and its
    "更新你的 CNI 插件")."""
    heads_a, heads_b = list(a.get("heading_path") or []), list(b.get("heading_path") or [])
    short = min(len(heads_a), len(heads_b))
    return sibling_sections(a, b) or (a.get("source") == b.get("source") and short >= 1 and heads_a[:short] == heads_b[:short])
