"""The sentence carrying the asked value or definition, for the extractive answer (graph/extractive.py).

`best_fact`: over every evidence passage on topic, the sentence or table row that covers most of
the question (read with its heading), a number when a number is asked, a console path when a place
is ("在控制台哪改": a path "“A → B”" more than a line only naming the console), the span between
two events when one is asked ("从坏了到被摘掉要多久"), the line defining
the term a "X 是什么意思" question asks about (`defines`); with the condition that follows it
("但…", "如果…"). By the question's shape (graph/question_type.py): a yes or no gets the line
judging it, read with the page's own question before it ("**Q：…还能恢复吗？**"), and a bare
verdict ("不能。") its reason; "用啥命令" the line leading into a command block; "哪几个字段"
the lead-in announcing that kind of list, with its items; a table row keyed on what the question
names beats its neighbours; "能不关机…吗" the line doing it "无需关机". A formula line for the number
the question gives comes worked out (graph/formula_row.py).
`repeats`: new units that say nothing the picked ones do not.
Tested in tests/graph/test_extractive.py, tests/graph/test_long_sections.py, tests/graph/test_answer_shape.py,
tests/graph/test_formula_row.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Mapping, Sequence

from graph.asked_clause import asked_first
from graph.doc_units import Unit, parse_units
from graph.evidence import is_on_topic
from graph.formula_row import worked_out
from graph.answer_shape import Shape, page_questions, row_key, verdict_reason
from graph.paragraphs import past_restatement, through_fix, with_reason
from graph.question_type import asked_unit, asks_verdict
from graph.relevance import QuestionTerms, context_of, coverage, found
from graph.section_answer import section_units
from graph.unit_fit import closed, fit_chosen, usable
from graph.value_reach import reached_line
from graph.verdict_line import action_score, asked_action, bare_verb_action
from graph.value_scan import antecedent, asked_quantity, asked_subject, paragraph, subject_bonus, value_bonus

_CONDITION = re.compile(r"^(但|但是|如果|若|否则|注意|不过|其中|除非|只有)")


_ASKS_NUMBER = re.compile(r"多少|(?<!哪)几|多久|多长|多大|多快|最大|最多|最小|最少|上限|默认|how (many|much|long)", re.I)


_ASKS_INTERVAL = re.compile(r"多久.{0,3}一次|多长时间.{0,3}一次|每隔|隔多久|频率|how often", re.I)
_INTERVAL = re.compile(r"间隔|周期|频率|每隔|每\s*\d+\s*(秒|分钟|小时|天)|interval|period", re.I)
""""多久探一次" asks how often: the line giving an interval, not another duration ("超时 2 秒")."""
INTERVAL = 0.3
"""Added to a line giving the interval "how often" asks for."""
WORKED = 1.0
"""Added to a line giving the formula the asked number is worked out by, for the number the question
gives (graph/formula_row.py): as with IN_UNIT, it gives the value asked."""
PARAGRAPH = 0.25
"""Times the share of the question a value line's paragraph holds, added to a line holding the asked
quantity: the subject is often named in the sentence before the value."""
IN_UNIT = 1.0
"""Added to a line giving a number in the unit asked ("失败几次" -> "3 次", "多久" -> "15 秒",
graph/question_type.asked_unit): a line without one does not answer, however many words it shares."""


_ASKS_SPAN = re.compile(r"从.{1,12}?到.{1,12}?(多久|多长时间|几分钟|几秒|几小时|几天)")
_SPAN = re.compile(r"从.{1,20}?到.{1,20}?(需要|要|约|大约|大概|最多|最长|通常)?.{0,6}?\d+\s*(秒|分钟|小时|天)")
""""从坏了到被摘掉要多久" asks the time between two events: the line giving that span ("从出现故障到被
摘除大约需要 15 秒"), not the parameters it is made of ("检查间隔 5 秒，不健康阈值 3 次")."""
SPAN = 1.0
"""Added to a line giving the span between two events when the question asks for one: as with IN_UNIT,
a line without it does not answer, however many words it shares."""


def asks_span(question: str) -> bool:
    return bool(_ASKS_SPAN.search(question))


def gives_span(text: str) -> bool:
    return bool(_SPAN.search(text))


# a "no" anywhere ("目前不提供对…的支持"); a "yes" only as the line's verdict ("可以。"), not "你可以观察到…"
_VERDICT = re.compile(r"不可行|不可以|不能|无法|不行|不要|会失败|会被拒绝|不支持|不提供|禁止|不允许|"
                      r"^(?:可以|可行|允许|能|会|不会|支持|需要|不需要|是的?|否)[。，,！!；;]")
VERDICT = 0.3
"""Added to a line that judges (不可行, 会被拒绝, 可以) when the question asks whether it may do something."""


# a line giving a verdict or the condition it holds under: "可以…", "不支持…", "默认…", "会导致…", "需要…"
_JUDGES = re.compile(_VERDICT.pattern.replace("^(?:", "(?:") + r"|可以|支持|需要|无需|必须|默认|导致|取决于|前提")


def judges(units: Sequence[Unit]) -> bool:
    """Some prose line of `units` states a verdict or its condition (not a table row or a bare setting line)."""
    return any(u.kind in ("sentence", "item", "leadin") and _JUDGES.search(u.text) for u in units)


# "在控制台哪改", "去哪下", "入口在哪": the place asked (up to a few words between the verb and 哪)
_ASKS_WHERE = re.compile(r"哪里|哪儿|(在|去|从|到)[^，,。？?\s]{0,8}哪|入口|\bwhere\b", re.I)


# the part before the arrow stops at the first arrow, a quote at the next quote: one scan per start
_PATH = re.compile(r"\*\*[^*\n>→]+[>→][^*\n]+\*\*|[“\"][^“”\"\n>→]+[>→][^“”\"\n]+[”\"]")
_PLACE = re.compile(_PATH.pattern + r"|控制台|页面|菜单")
"""A line naming a place: a path, or only the console, a page, a menu."""
PATH = 0.4
"""Added to a line giving a console path ("**A > B**", "“A → B”") when the question asks where."""
PLACE_WORD = 0.2
"""Added to a line only naming a place ("在控制台…") when the question asks where: it says less than a path."""
BROUGHT_PATH = 1.0
"""Added to the path line of the section select brought for it (graph/console_path.py): it judged that line's words
against the asked thing, where a follow-up's standalone carries words of the thread ("安全组 3306 rds 白名单在哪配")
that a line of the thread's page holds without saying where."""


def asks_where(question: str) -> bool:
    """The question asks where to do or find something ("白名单在控制台哪改")."""
    return bool(_ASKS_WHERE.search(question))


def best_fact(passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, question: str, budget: int,
              topic: QuestionTerms | None = None, pages: Sequence[str] = ()) -> tuple[int, list[Unit]] | None:
    """The sentence or row carrying the asked value over every passage on topic (`topic`, else
    `terms`; read with its heading), with the condition that follows it when there is one; of
    lines saying as much, one of the `pages` the conversation is on (THREAD_PAGE)."""
    wants_number = bool(_ASKS_NUMBER.search(question))
    wants_place = asks_where(question)
    own_numbers = set(re.findall(r"\d+", question))
    unit = asked_unit(question) if wants_number else None
    quantity = asked_quantity(question) if wants_number else None  # size, rate, a default (graph/value_scan.py)
    interval = bool(_ASKS_INTERVAL.search(question))
    span = asks_span(question)
    # the asked thing named before the value; a span's two events are judged by SPAN instead
    subject = asked_subject(terms, question) if not span else QuestionTerms()
    verdict = asks_verdict(question)
    action = asked_action(terms, question) if verdict else None  # the action a yes or no asks about
    if action is not None and action.total <= 0:  # "连接会断吗": the verb alone, where few lines hold it
        action = bare_verb_action(question, [u.text for p in passages if is_on_topic(topic or terms, p)
                                             for u in section_units(p) if u.kind in ("sentence", "item", "leadin")])
    shape = Shape.of(question)
    named = defined_terms(terms, question)
    asking = asked_first(terms, question)  # the asking clause picks the line (graph/asked_clause.py)
    best: tuple[float, int, int, list[Unit]] | None = None
    work: dict[tuple[int, int], str] = {}  # the asked value worked out from a line's formula
    scores: dict[tuple[int, int], float] = {}
    for n, passage in enumerate(passages, 1):
        if not is_on_topic(topic or terms, passage):
            continue
        raw = section_units(passage) if passage.get("kind") != "faq" else parse_units(passage.get("text") or "", "faq")
        asked = page_questions(raw)
        units = [u for u in raw if usable(u)]
        keyed = shape.named_rows(units)
        where = context_of(passage)
        for i, u in enumerate(units):
            if u.kind in ("code", "heading") or (keyed and u.kind == "row" and row_key(u) not in keyed):
                continue  # the question names another row of this table ("包年包月的呢": not the 按量付费 row)
            score = coverage(asking, u.text) + 0.5 * coverage(terms, f"{where} {u.heading}")
            score += shape.score(units, i, terms, asked)
            score += 0.15 if wants_number and set(re.findall(r"\d+", u.text)) - own_numbers else 0.0
            if wants_place and _PLACE.search(u.text):
                score += PATH if _PATH.search(u.text) else PLACE_WORD
                score += BROUGHT_PATH if _PATH.search(u.text) and (passage.get("meta") or {}).get("added") == "console_path" else 0.0
            in_unit = IN_UNIT if unit is not None and unit.search(u.text) else 0.0
            score += value_bonus(quantity, u.text, own_numbers, in_unit)
            if quantity is not None and quantity.held(u.text):  # read with its paragraph; the asked thing's own words
                score += PARAGRAPH * coverage(terms, paragraph(units, i)) + subject_bonus(quantity, subject, u, own_numbers)
            worked = worked_out(u.text, question) if wants_number and u.kind in ("row", "sentence", "item") else None
            if worked:
                work[(n, i)] = worked
                score += WORKED
            score += INTERVAL if interval and _INTERVAL.search(u.text) else 0.0
            score += SPAN if span and _SPAN.search(u.text) else 0.0
            score += VERDICT if verdict and _VERDICT.search(u.text) else 0.0
            if action is not None:  # the line judging that action
                score += action_score(action, u.text, u.kind, asked.get(id(u), ""))
            score += 0.05 if passage.get("kind") == "faq" else 0.0
            score += reached_line(passage, u.text)  # the line a page further down was brought for (graph/value_reach.py)
            score += THREAD_PAGE if passage.get("kind") != "faq" and passage.get("source") in pages else 0.0
            score += DEFINES if named and defines(u.text, named) else 0.0
            scores[(n, i)] = score
            if best is None or score > best[0] + 1e-9:
                best = (score, n, i, units)
    if best is None or best[0] <= 0:
        return None
    top, n, i, units = best
    if (n, i) in work:  # the line, then its formula with the question's number put in
        units = [*units[:i], replace(units[i], text=f"{units[i].text.rstrip('。；;')}；{work[(n, i)]}"), *units[i + 1:]]
    budget = shape.room(units, i, budget)
    picked = {i} | verdict_reason(units, i, verdict) | tied_rows(units, i, [scores.get((n, j), 0.0) for j in range(len(units))], top)
    if i + 1 < len(units) and units[i + 1].kind == "sentence" and _CONDITION.match(units[i + 1].text):
        picked.add(i + 1)
    picked |= table_condition(units, i, topic or terms)  # the whole question: a second fact reads what is left
    before = antecedent(units, i, terms) if quantity is not None and quantity.held(units[i].text) else set()
    if before:  # "此间隔固定为 30 秒": with the sentence naming what 此 is, the value line stands with it
        picked |= before
        units = [*units[:i], replace(units[i], whole=True), *units[i + 1:]]
    chosen = with_reason(units, past_restatement(units, through_fix(units, picked, whole=False), question), question)
    shown = fit_chosen(units, chosen, budget)
    if quantity is not None and units[i].kind == "leadin" and units[i] not in shown and quantity.held(units[i].text):
        # the value a lead-in states stands as a statement when what it leads into does not fit
        units = [*units[:i], replace(units[i], kind="sentence", text=closed(units[i].text)), *units[i + 1:]]
        shown = fit_chosen(units, chosen, budget)
    if shape.command and any(u.kind == "code" for u in shown):  # the command block is judged with its commands
        shown = [replace(u, whole=True) for u in shown]
    return n, shown


def table_condition(units: list[Unit], i: int, terms: QuestionTerms) -> set[int]:
    """For a table row: the condition sentence right after its table ("如果两个线程任一为 `No`，说明复制已
    中断…") when it names a word of the question the row does not — the case the user reports, which
    the row's normal value leaves unanswered. Empty otherwise."""
    if units[i].kind != "row":
        return set()
    j = i
    while j + 1 < len(units) and units[j + 1].kind == "row":
        j += 1
    after = units[j + 1] if j + 1 < len(units) else None
    if j == i or after is None or after.kind != "sentence" or not _CONDITION.match(after.text):
        return set()  # (a condition right after the row itself is taken already)
    row, cond = units[i].text.lower(), after.text.lower()
    return {j + 1} if any(found(t, cond) and not found(t, row) for t in terms.own().weights) else set()


SAME_ROW_SCORE = 0.05
"""Rows scoring within this of the best row score as high: a word of the question's 20 more or less
("欠费" in one row's key, "停服" in the next) does not make one row the answer."""


def tied_rows(units: list[Unit], i: int, scores: list[float], top: float) -> set[int]:
    """The other rows of the best row's table that score as high: the question names none of their
    keys, so each gives the asked value for its own case ("一天能刷多少次": the URL 刷新 row and the
    目录刷新 row); one alone would answer for a case the question did not pick."""
    if units[i].kind != "row":
        return set()
    return {j for j, u in enumerate(units) if u.kind == "row" and scores[j] >= top - SAME_ROW_SCORE}


THREAD_PAGE = 0.1
"""Added to a line of the page a follow-up's conversation is on: where it says as much as a FAQ line
(0.05) or another page, the agent reads on in the page they have open."""


DEFINES = 0.3
"""Added to the score of a sentence or item that defines the Latin term a "X 是什么意思" question asks about."""


_ASKS_MEANING = re.compile(r"什么意思|啥意思|是什么|是啥|什么含义|含义|代表什么|指什么|\bmean(s|ing)?\b", re.I)


# a line opening with a Latin term (in quotes or backticks) and a word that defines it: "`UO`：上游溢出…"
_DEFINED = re.compile(r"^[-*•\s]*[`\"“(（]?([a-z0-9_.=/\s-]{1,40}?)[`\"”)）]?\s*(?:：|:|是|表示|指|意味着|即|代表)")


def defined_terms(terms: QuestionTerms, question: str) -> set[str]:
    """The Latin terms a question asking what something means is about: its weightiest ones (half
    the top weight or more); empty for other questions."""
    if not _ASKS_MEANING.search(question):
        return set()
    latin = {t: w for t, w in terms.own().weights.items() if re.fullmatch(r"[a-z0-9_.=/-]+", t) and not t.isdigit()}
    top = max(latin.values(), default=0.0)
    return {t for t, w in latin.items() if w >= 0.5 * top}


def defines(text: str, named: set[str]) -> bool:
    """The line opens by defining one of the terms ("`UO`：上游溢出导致熔断…")."""
    m = _DEFINED.match(text.lower())
    return m is not None and any(t in m.group(1).split() or t == m.group(1).strip() for t in named)


def repeats(picked: list[tuple[int, Unit]], units: list[Unit]) -> bool:
    """The new units say nothing the picked ones do not (most of their words already there)."""
    have = " ".join(u.text for _, u in picked).lower()
    words = [w for u in units for w in re.findall(r"[a-z0-9_.]+|[\u4e00-\u9fff]{2}", u.text.lower())]
    return not words or sum(w in have for w in words) >= 0.85 * len(words)
