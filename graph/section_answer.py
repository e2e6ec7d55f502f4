"""What one evidence section contributes to an extractive answer, by question type.

- a procedure (meta.procedure): the one step the question asks about, whole
  (graph/asked_step.py), else each step's heading, renumbered, with its first
  instructions and command, the budget shared by the steps (`outline`);
- a causes section, for a cause or symptom question: a list is given whole (the causes
  list); a table keyed by symptom gives the rows naming what is asked (NAMED_ROW of it),
  whole when no row does;
- value / define / compare: the unit carrying the asked terms (a comparison table whole);
- otherwise: the units covering what is asked beyond the section's own title and
  heading (its FOCUS), each with the lead-in before it and the command after it; when
  nothing matches the focus, the whole section.
Whole units only, in document order, within the budget; a lead-in never ends a piece. A section
given whole that does not fit keeps its fix before the user's own case (graph/section_fit.py).
Symptom sections ("现象") restate the question and answer nothing; link lists are skipped.
Used by graph/extractive.py; tested through tests/graph/test_extractive.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

import re

from graph.alternatives import asks_alternative, lists_ways
from graph.asked_clause import asked_first
from graph.asked_step import asked_step, step_units, steps_of
from graph.contrast import both_sides, side_rows, sides
from graph.doc_units import Unit, parse_units
from graph.heading_match import names_rarest
from graph.echo import asked_text, echo_line, past_echo, without_symptom_part
from graph.pasted_echo import without_pasted_output
from graph.list_reach import checks_after, ordered_list, short_lists
from graph.paragraphs import opens_with_error, past_restatement, through_fix, without_echo
from graph.relevance import QuestionTerms, context_of, coverage, title_context
from graph.sample_output import without_samples
from graph.section_fit import fit_section
from graph.setting_block import setting_shown
from graph.step_outline import STEP_PREFIX, SUB_HEADING, outline
from graph.unit_fit import QUESTION_LINE, attach, blocks, fit, fit_chosen, fit_ranked, fit_whole, usable

__all__ = ["CAUSES_SECTION", "SYMPTOM_SECTION", "TITLED_PROBLEM", "attach", "blocks", "fit", "fit_chosen", "fit_whole",
           "from_section", "ordered_list", "section_units", "usable"]  # fitting: graph/unit_fit.py; ordered_list: graph/list_reach.py

_SKIP_SECTIONS = re.compile(r"相关文档|相关链接|参考文档|参考资料|延伸阅读|更多信息|see also|related", re.I)
SYMPTOM_SECTION = re.compile(r"^(现象|症状|问题现象|故障现象|问题描述|典型报错|symptoms?)$", re.I)
CAUSES_SECTION = re.compile(r"原因|causes?\b", re.I)


_CAUTION = re.compile(r"^(?:请勿|切勿|千万不要|请不要|不要|禁止|避免)")
"""A caution: what not to do (the note after a procedure, "不要在客户端关闭证书校验…")."""
_LINK_ITEM = re.compile(r"^\s*(?:(?:[-*•]|\d+[.、)])\s*)?\[[^\]]+\]\([^)]+\)\s*(?:[。；;，,]\s*)?$")


def section_units(passage: Mapping[str, Any]) -> list[Unit]:
    """A section's units; one that opens with a command gets its heading as the lead-in
    ("2. 找到消耗 CPU 的进程" -> "找到消耗 CPU 的进程：")."""
    heads = passage.get("heading_path") or []
    lines = [x for x in (passage.get("text") or "").splitlines() if x.strip()]
    if _SKIP_SECTIONS.search(" ".join(heads)) or (lines and all(_LINK_ITEM.match(x) for x in lines)):
        return []  # a list of links answers nothing
    units = parse_units(passage.get("text") or "", passage.get("kind") or "doc")
    if units and units[0].kind == "code" and heads and not (passage.get("meta") or {}).get("procedure"):
        units.insert(0, Unit("leadin", f"{STEP_PREFIX.sub('', heads[-1]).strip()}："))
    return units


def qa_parts(units: list[Unit]) -> list[list[Unit]]:
    """A "常见问题" section as its question-and-answer pairs (the question line first)."""
    parts: list[list[Unit]] = []
    for u in units:
        if QUESTION_LINE.match(u.text) or not parts:
            parts.append([])
        parts[-1].append(u)
    return parts


def focus_of(terms: QuestionTerms, passage: Mapping[str, Any], units: list[Unit]) -> QuestionTerms:
    """What is asked beyond the section's title and heading, without words most of its units share."""
    focus = terms.without(context_of(passage, via=False))
    prose = [u.text.lower() for u in units if u.kind != "code"]
    if len(prose) >= 3:
        common = {t for t in focus.weights if sum(t in p for p in prose) > 0.75 * len(prose)}
        focus = QuestionTerms({t: w for t, w in focus.weights.items() if t not in common}, focus.expanded,
                              focus.entities)
    return focus


def _entry_score(terms: QuestionTerms, pair: list[Unit]) -> float:
    """How well a FAQ entry (its question line first) matches: its question line, then its whole text."""
    return coverage(terms, pair[0].text) + 0.3 * coverage(terms, " ".join(u.text for u in pair))


def _ranked(units: list[Unit], terms: QuestionTerms, focus: QuestionTerms) -> list[tuple[float, int]]:
    scored = []
    for i, u in enumerate(units):
        if u.kind == "code":
            continue
        score = coverage(focus, u.text) * 2 + coverage(terms, u.text) if focus.total else coverage(terms, u.text)
        scored.append((score, i))
    return sorted(scored, key=lambda s: (-s[0], s[1]))


def _matching_parts(units: list[Unit], terms: QuestionTerms) -> list[Unit]:
    """A section made of sub-sections (bold lead-ins from graph/doc_sections.subtree): the parts that
    cover the most of the question ("504" picks the 504 causes; all of them on a tie)."""
    parts: list[list[Unit]] = [[]]
    for u in units:
        if u.kind == "leadin" and SUB_HEADING.match(u.text) and parts[-1]:
            parts.append([])
        parts[-1].append(u)
    if len(parts) < 2 or not terms.total:
        return units
    # a part's own words: a table closing the last part (a summary of every part) names them all;
    # of such a table, the rows naming the most of the question stay ("502 | … | 首先检查 健康检查")
    scores = [coverage(terms, " ".join(u.text for u in p if u.kind != "row")) for p in parts]
    best = max(scores)
    rows = [coverage(terms, u.text) for u in units if u.kind == "row"]
    top_row = max(rows, default=0.0)
    return [u for p, sc in zip(parts, scores) for u in p
            if sc >= best - 1e-9 or (u.kind == "row" and top_row > 0 and coverage(terms, u.text) >= top_row - 1e-9)]


ONE_CAUSE = 0.75
"""Share of the best cause's score another cause of the list must reach to be shown with it (a
question naming one cause of a causes section it is not asking about as a whole)."""
NAMED_ROW = 0.25
"""Share of what is asked beyond the page's title a row of a causes table must name to be shown
alone: a row sharing one word with the symptom ("响应") does not name the cause."""
TITLED_PROBLEM = 0.5
"""Share of the question (codes weighted up) a section's heading must name to be the problem's own entry."""
# "执行时间：为什么配置了规则还没生效": the question may follow a topic and a colon
_ASKED = re.compile(r"[？?]\s*$|(^|[：:]\s*)(如何|怎么|怎样|为什么|为何)|(怎么办|如何处理|如何解决)")


PROCEDURE_ASKED = 0.5
"""Share of the question a section's title and headings must name for its numbered procedure to be
what is asked (not a detail of one of its steps)."""
def _asked_heading(passage: Mapping[str, Any]) -> str:
    """The section's own heading, or the page title for a page with one section."""
    heads = passage.get("heading_path") or []
    return heads[-1] if heads else (passage.get("title") or "")


def from_section(passage: Mapping[str, Any], qtype: str, terms: QuestionTerms, budget: int,
                 question: str = "") -> list[Unit]:
    """The units of one evidence section that answer the question, by type (module docstring);
    `question` as written (a sentence only restating it brings what follows it; its asking clauses
    choose the units, graph/asked_clause.py). Of a troubleshooting entry picked by its symptom, the part
    showing that symptom goes (graph/echo.without_symptom_part)."""
    units = _from_section(passage, qtype, terms, budget, question)
    if qtype not in ("howto", "symptom", "cause") or not units:
        return units
    asked = asked_text(question, terms)
    after = past_echo(units, section_units(passage), asked)
    if after is not None:  # only the section's symptom line restating the question: what it says next
        return fit([u for u in after if usable(u)], budget)
    return without_pasted_output(without_symptom_part(units, asked), question)  # nor the message they pasted


def _from_section(passage: Mapping[str, Any], qtype: str, terms: QuestionTerms, budget: int,
                  question: str = "") -> list[Unit]:
    terms = asked_first(terms, question)
    units = section_units(passage)
    heads = passage.get("heading_path") or []
    if not units or (heads and qtype in ("howto", "symptom", "cause") and (
            SYMPTOM_SECTION.match(heads[-1]) or echo_line(heads, units, asked_text(question, terms)))):
        return []  # the problem as the user meets it: what they said, not why or what to do (graph/echo.py)
    if qtype in ("howto", "symptom", "cause"):  # what a command prints is not what to do (graph/sample_output.py)
        rest = without_samples(units)
        if not any(u.kind in ("sentence", "item", "row", "code") for u in rest):
            return []  # a section that is only a sample
        if not (_ASKED.search(_asked_heading(passage)) or opens_with_error(units, question)
                or (heads and coverage(terms.codes_first(), heads[-1]) >= TITLED_PROBLEM)):
            units = rest  # a section given whole keeps its sample while it fits (graph/section_fit.py)
    if (passage.get("meta") or {}).get("procedure") and qtype in ("howto", "symptom", "cause"):
        steps = steps_of(units)
        # the page and the procedure's headings, not the step the retrieved chunk sits in ("3. 深入到线程和代码"):
        # that step's words are what tells it from the others
        where = " ".join([title_context(passage), *(passage.get("heading_path") or [])])
        asked = asked_step(steps, terms, where)
        if asked is not None:  # "第二步具体怎么写", an error one step handles: that step, whole
            return step_units(steps[asked], budget, usable)
        return outline(units, budget, terms.without(where), str(passage.get("title") or ""), question)
    pairs = qa_parts(units)
    if len(pairs) >= 2 and all(QUESTION_LINE.match(p[0].text) for p in pairs[1:]):
        # the entry is told by what is asked beyond the page's title: "VNC 可以登录，但 SSH 不行？" names the
        # title's words, "画面一直是黑屏？" the symptom asked
        focus = focus_of(terms, passage, units)
        pair = max(pairs, key=lambda p: _entry_score(focus, p) * 2 + _entry_score(terms, p) if focus.total
                   else _entry_score(terms, p))
        units = [u for u in pair[1:]] if QUESTION_LINE.match(pair[0].text) else pair
        return fit([u for u in units if usable(u)], budget)
    units = [u for u in units if usable(u)]
    if not units:
        return []
    focus = focus_of(terms, passage, units)
    ranked = _ranked(units, terms, focus)
    if qtype in ("howto", "symptom", "cause") and (_ASKED.search(_asked_heading(passage)) or (
            heads and coverage(terms.codes_first(), heads[-1]) >= TITLED_PROBLEM) or opens_with_error(units, question)
            or names_rarest(terms, passage)):
        # a section titled with a question (or the very problem asked), or the entry of the very error
        # pasted: its causes and fixes, whole — the fix before the user's own case when it does not fit
        shown = fit_section(units, budget, {i: s for s, i in ranked}, question)
        # the entry singled out by its heading alone: its lines are judged with that heading (verify), as the
        # fix closing it shares few of the question's words ("如果你的网络提供商不支持 portmap CNI 插件…")
        return [replace(u, whole=True) for u in shown] if names_rarest(terms, passage) else shown
    top = ranked[0][0] if ranked else 0.0
    if qtype == "compare":  # a table whose rows are the sides, a unit naming both, else one unit per side
        both = both_sides(units, sides(question, terms.own().weights))
        if both:
            return fit_chosen(units, both, budget)
    if qtype in ("value", "define", "compare"):
        if top <= 0:
            return []
        best = ranked[0][1]
        if qtype == "compare" and units[best].kind == "row":  # the rows naming the sides, else the table whole
            table = [(i, u.text) for i, u in enumerate(units) if u.kind == "row" and u.heading == units[best].heading]
            picks = side_rows(table, sides(question, terms.own().weights)) or {i for i, _ in table}
        else:
            picks = {best} | {i for s, i in ranked[1:3] if s >= top * 0.8 and qtype == "compare"}
        return fit_chosen(units, picks, budget)
    causes = bool(heads and CAUSES_SECTION.search(heads[-1])) and qtype in ("cause", "symptom") \
        or ((passage.get("meta") or {}).get("added") == "aftermath" and qtype in ("cause", "symptom", "howto"))
    # (the section named for what stays after the action done, graph/aftermath.py, lists that case's causes)
    rows = [i for i, u in enumerate(units) if u.kind == "row"]
    matched = {i for s, i in ranked if focus.total and s >= max(top * 0.5, 1e-9) and coverage(focus, units[i].text) > 0}
    if causes and not (rows and len(rows) >= len(units) - 1):
        return fit(_matching_parts(units, terms), budget)  # the causes list, whole
    if causes and rows:
        picks = {i for i in rows if i in matched}
        if not picks or max(coverage(focus, units[i].text) for i in picks) < NAMED_ROW:
            return fit(units, budget)  # no row names what is reported: the causes table, whole (as a list is)
        return fit_chosen(units, picks, budget)
    if matched and heads and CAUSES_SECTION.search(heads[-1]):
        # a causes list read for one cause ("空 Referer 被拒绝"): the causes close to the best, not one
        # sharing only the symptom's word ("显式拒绝") shown before it
        matched = {i for s, i in ranked if i in matched and s >= ONE_CAUSE * top}
    if qtype == "howto" and asks_alternative(question) and lists_ways(units):
        return fit(units, budget)  # "还有别的法子吗": the page's ways, in order (graph/alternatives.py)
    if (passage.get("meta") or {}).get("added") == "task":
        return fit(units, budget)  # the page's own task (graph/doc_sections.task_section): its steps and command, whole
    if (passage.get("meta") or {}).get("added") in ("named", "resolve"):
        # the sub-section a line of the answer names, the fix beside the example retrieval found
        # (graph/doc_sections.named_child, fix_beside_example): what it says to do, with its commands
        return fit_section(units, budget, {i: s for s, i in ranked}, question)
    chosen_steps = (passage.get("meta") or {}).get("added") == "procedure"  # evidence: what to do is this page's steps
    if matched and (chosen_steps or (qtype == "howto" and coverage(terms, context_of(passage)) >= PROCEDURE_ASKED)):
        # a matched step of a numbered procedure doing what is asked (or the steps evidence gave for the
        # problem reported): the procedure, whole (when it fits) — one step alone cannot be followed
        whole_list = matched | {j for i in matched for j in ordered_list(units, i)}
        if chosen_steps and whole_list == matched:  # the match sits beside the steps ("方式二：sscli"): the first way's steps
            first = next((ordered_list(units, i) for i in range(len(units)) if ordered_list(units, i)), [])
            whole_list |= set(first)
        shown = fit_chosen(units, through_fix(units, whole_list, whole=True), budget)
        if whole_list != matched and all(units[i] in shown for i in matched):
            return shown
    if matched and qtype in ("symptom", "cause") and not causes:
        matched |= short_lists(units, matched)
    if matched and (passage.get("meta") or {}).get("added") == "checks":
        matched |= checks_after(units, matched)  # the symptom's lines in a troubleshooting section: its checks
    if matched and qtype in ("howto", "symptom", "cause") and all(_CAUTION.match(units[i].text) for i in matched) \
            and any(u.kind == "item" and u.number is not None for u in units):
        return fit(units, budget)  # a "不要…" note qualifies the steps beside it: they answer, not the note alone
    if matched:  # a matched sentence with the rest of its paragraph: what it says to do
        chosen = without_echo(units, past_restatement(units, through_fix(units, matched, whole=True), question),
                              question)
        chosen = setting_shown(units, chosen) if qtype == "howto" else chosen
        return fit_ranked(units, chosen, {i: s for s, i in ranked}, budget)
    return fit(units, budget)
