"""Extractive answers composed by question type from coherent evidence — the no-model default.

Input: the evidence passages (graph/evidence.py: whole sections, FAQ entries, a document's
procedure or causes list), numbered in state order (most relevant LAST), and the
question's type (graph/question_type.py) and weighted terms (graph/relevance.py).

1. A FAQ entry — or a document section titled with a question (a FAQ page) — that asked
   the same kind of thing (a fix, a fact) and covers most of the question leads, whole (for
   a value question, its one or two sentences carrying the asked terms).
2. value / define: without such a FAQ entry, the one sentence or table row over all the
   evidence that carries the asked terms (read with its heading), plus the condition
   that follows it ("但…", "如果…").
3. how-to / cause / symptom: the anchor document's sections in evidence order — the
   procedure, the causes list, the sections covering what is asked beyond the title, a
   step a matching sentence points to — each through graph/section_answer.py (a "咋办" over the
   page's numbered fixes: the list from its first item, graph/fixes.fixes_in_order); a cause or symptom
   answer's row or item holding what is asked then leads (graph/answer_lead.py), followed by the page's
   fix for that cause and nothing else naming no other thing asked (graph/lead_fix.py); compare:
   the comparison table or sentences of the best section.
A yes or no (question_type.asks_verdict) is answered by an on-topic passage only: the line judging it
or its condition (value_fact.judges), kept whole, else the on-topic section's lead (`section_lead`).
Every block (a lead-in with its list, a sentence with its command) is checked on topic
(graph/relevance.on_topic) before it is kept; a block that is not goes with its command.
Within a per-type character budget; a sentence is never cut to fit, it is left out. Then a short
how-to / cause answer is completed from its own section (graph/short_fill.py), and a quoted lead-in
carries the rest of the list or command it introduces (graph/introduced.py).

Units are `{"text","cites":[n],"block": sentence|item|code|row|leadin|step,"group"}` (the draft and the parts
that may follow its first block: graph/answer_draft.py);
graph/answer_text.py numbers and renders them. Tested in
tests/graph/test_extractive.py and, end to end, by the answer set.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from graph.answer_lead import lead_with_answer
from graph.lead_fix import add_lead_fix
from graph.answer_draft import (BUDGET, AnswerDraft, add_faq_note, add_fixes, add_named_fix, add_solution, second_fact,
                                type_budget)
from graph.answer_text import renumber
from graph.antecedent import with_antecedents
from graph.aspect_lines import ChunksOf
from graph.doc_order import doc_order, numbered, problem_entry, same_part, sibling_sections
from graph.definition import definitions_units
from graph.doc_units import Unit, space_taken
from graph.evidence import is_on_topic
from graph.faq_entry import after_the_fact, faq_units, lead_faq
from graph.faq_subject import asks_what_is_asked
from graph.fixes import fixes_in_order
from graph.formula_row import work_in
from graph.passages import faq_question
from graph.paragraph_head import with_paragraph_heads
from graph.plan_answer import judges_plan, plan_way
from graph.verdict_line import asked_action
from graph.introduced import carry_introduced
from graph.item_body import carry_bodies
from graph.short_fill import fill_short
from graph.padding import (asked_beyond_topic, asked_items, before_the_answer, gives_fix, held_by_entry, holds_asked,
                           is_causes_list, is_procedure, pads)
from graph.paragraphs import opens_with_error, past_restatement, through_fix
from graph.question_type import QuestionType, asks_choice, asks_fix, asks_verdict, question_type
from graph.contrast import sides
from graph.rule_unit import RULE
from graph.observed_cause import OBSERVED
from graph.relevance import QuestionTerms, coverage, question_terms, with_context
from graph.section_answer import from_section, section_units
from graph.unit_fit import fit, fit_whole, usable
from graph.answer_shape import SHAPED_ROOM, shaped
from graph.value_fact import best_fact, judges, repeats

SUPPORTING_FACT = 0.5
"""Share of the question a page's own sentence must cover to follow a FAQ answer to a value question."""


def extractive_units(question: str, passages: Sequence[Mapping[str, Any]], max_units: int = 4, query: str = "",
                     vocab=None, qtype: QuestionType | None = None, siblings: int = 1, reserve: int = 0,
                     thread_pages: Sequence[str] = (), page: ChunksOf | None = None) -> list[dict]:
    """Units `{"text","cites","block"}` answering the question from the evidence (may be empty).

    `passages` are numbered 1..n in the given order (most relevant LAST); `max_units` bounds
    the sentences of the last-resort answer (nothing matched by type); `siblings` is how many
    questions the message asked (their answers share one reply); `reserve` is what the reply
    adds after the answer (the runbook offer), taken from the budget; `thread_pages` are the
    documents the previous reply cited when the question follows up on it; `page` reads a passage's
    page (a short answer is completed from its whole section, graph/short_fill.py; when `passages` is
    a list, that passage is replaced there by the whole section, which verify checks the units against).
    """
    qtype = qtype or question_type(question)
    terms = question_terms(question, query, vocab, [p.get("text") or "" for p in passages])
    budget = type_budget(qtype, siblings, reserve)
    answer = AnswerDraft(passages, terms, budget)
    faq = lead_faq(passages, qtype, terms, question)
    if faq:
        answer.add(faq, faq_units(passages[faq - 1], qtype, terms, budget, question))
        if not any((p.get("meta") or {}).get("procedure") for p in passages):  # a procedure needs its room
            budget = answer.budget = min(budget, answer.used + budget * 2 // 3)  # documents add to a FAQ answer, briefly
    # "eip 到底是个什么": the page's sentence saying what it is; "nat 网关和 eip 有啥区别" with no page contrasting
    # them: what each side is (graph/definition.py)
    said = definitions_units(passages) if qtype in ("define", "compare") else []
    defined = said[-1:] if qtype == "define" else said if len(said) >= 2 else []
    lead_fixed = False  # a cause that leads is followed by its own fix (graph/lead_fix.py): the answer is whole
    ruled = [n for n, p in enumerate(passages, 1) if (p.get("meta") or {}).get(RULE)]
    observed = [n for n, p in enumerate(passages, 1) if (p.get("meta") or {}).get(OBSERVED)]
    if ruled:  # "新密码有什么要求": the unit stating the rule, as it is (graph/rule_unit.py)
        answer.add(ruled[-1], _whole(fit_whole([u for u in section_units(passages[ruled[-1] - 1]) if usable(u)], budget)))
    elif observed:  # "cpu 每天凌晨两点冲到 100%": the cause observed, then its fix, as they are (graph/observed_cause.py)
        for n in reversed(observed):
            answer.add(n, _whole(fit_whole([u for u in section_units(passages[n - 1]) if usable(u)],
                                           budget - answer.used)))
    elif defined:
        if faq and question_type(faq_question(passages[faq - 1])) != qtype:  # an entry asking another thing
            answer.picked, answer.groups, answer.used = [], [], 0
        for n, units in defined:
            answer.add(n, units)
    elif qtype in ("value", "define"):
        # a FAQ answer gets the document's own sentence for the value too, when it adds to it
        docs = [p if p.get("kind") != "faq" else {**p, "text": ""} for p in passages] if answer.picked else passages
        fact = best_fact(docs, terms, question, budget, pages=thread_pages)
        adds_shape = fact is not None and shaped(question, fact[1]) and not shaped(question, [u for _, u in answer.picked])
        if adds_shape:
            answer.budget = max(answer.budget, answer.used + SHAPED_ROOM)  # the command, list or path a FAQ sentence lacks
        action = asked_action(terms, question) if asks_verdict(question) else None
        judged = fact is not None and judges_plan(action, fact[1])  # the page's line judging the plan stated
        if fact is not None and not (answer.picked and (repeats(answer.picked, fact[1]) or (max(
                (coverage(terms, u.text) for u in fact[1]), default=0.0) < SUPPORTING_FACT and not (adds_shape or judged)))):
            answer.add(*fact)
        if fact is not None and not answer.picked and asks_verdict(question) and judges(fact[1]):
            # a yes or no: the on-topic page's line judging it stands, though alone it shares few of a long
            # spoken question's words (best_fact reads on-topic passages only)
            answer.add(fact[0], _whole(fact[1]))
        way = plan_way(passages, answer.picked, action)
        if way is not None:  # "我想直接在控制台卸载，会有问题吗": after the caution, the section's way (graph/plan_answer.py)
            answer.budget = max(answer.budget, answer.used + space_taken(way[1]))
            answer.add(*way)
        elif not (faq and asks_what_is_asked(passages[faq - 1], terms)):  # that entry answers it alone
            second_fact(answer, passages, terms, question)
        answer.picked = work_in(answer.picked, question)  # a formula line for the number asked, worked out
        if qtype == "define" and answer.picked:  # "untolerated taint 是啥意思": what it means, then its fix
            add_named_fix(answer, passages)
    elif qtype == "compare" and answer.picked:  # after a FAQ answer: the page's comparison table, when it adds
        for n in doc_order(passages, qtype, terms, sides(question, terms.own().weights)):
            units = from_section(passages[n - 1], qtype, terms, budget - answer.used, question)
            if any(u.kind == "row" for u in units) and not repeats(answer.picked, units):
                answer.add(n, units)
    else:
        count = 0  # sections that gave something (a "现象" section restating the question gives nothing)
        steps_from: Mapping[str, Any] | None = None  # the section whose numbered procedure was given whole
        entry_from: Mapping[str, Any] | None = None  # the section opening with the pasted error, given whole
        order = doc_order(passages, qtype, terms, sides(question, terms.own().weights) if qtype == "compare" else ())
        entry = problem_entry(passages, order, terms) if qtype in ("cause", "symptom") and order else None
        for n in order:
            if answer.used >= budget * 0.8 or count >= 3:
                break
            if steps_from is not None and not sibling_sections(steps_from, passages[n - 1]):
                continue  # after a procedure, only its alternative ("sscli 操作" beside "控制台操作")
            if entry_from is not None and not same_part(entry_from, passages[n - 1]):
                continue  # after the entry of the very error pasted, only the sections of its part of the page
            before = len(answer.picked)
            meta = passages[n - 1].get("meta") or {}
            if meta.get("added") == "solution":
                continue  # what to do first follows the answer (add_solution)
            listed = fixes_in_order(passages[n - 1], question) if qtype == "howto" else None
            if meta.get("remedy"):  # the fix asked is the whole solution part, not the lines sharing its words
                listed = section_units(passages[n - 1])
            units = (fit_whole if meta.get("remedy") else fit)([u for u in listed if usable(u)], budget - answer.used) \
                if listed is not None else from_section(passages[n - 1], qtype, terms, budget - answer.used, question)
            if count and _holds_cause(answer, qtype, question):  # what follows an answer holding it (graph/padding.py)
                if is_causes_list(passages[n - 1]):
                    units = asked_items(units, asked_beyond_topic(terms, passages, answer.picked))
                elif pads(passages, answer.picked, passages[n - 1], units, terms) \
                        or (is_procedure(meta) and not gives_fix(passages[n - 1])  # a procedure not asked for
                            and held_by_entry(passages, answer.picked, terms)):
                    continue
            if meta.get("procedure"):  # the end of a numbered list begun in a step is shown beyond the budget
                answer.budget += space_taken(u for u in units if u.whole and u.kind == "item")
            answer.add(n, units)
            count += len(answer.picked) > before
            if meta.get("procedure") or (meta.get("added") == "variant" and len(answer.picked) > before) \
                    or (meta.get("remedy") and len(answer.picked) > before):
                break  # a procedure, the section for the variant asked about, or the fix asked (graph/fix_asked.py)
            if steps_from is not None:
                break
            if entry_from is None and len(answer.picked) > before \
                    and (n == entry or opens_with_error(section_units(passages[n - 1]), question)):
                entry_from = passages[n - 1]
            if qtype == "howto" and numbered(u for _, u in answer.picked[before:]) >= 2:
                steps_from = passages[n - 1]
        if answer.picked and qtype in ("cause", "symptom"):
            if _narrows(qtype, question):  # the line holding what is asked leads (graph/padding.py)
                answer.drop(before_the_answer(passages, answer.picked, answer.groups, terms))
                answer.picked, answer.groups = lead_with_answer(passages, answer.picked, answer.groups, terms)
                answer.used = space_taken(u for _, u in answer.picked)
            # the fix for the cause that leads follows it (graph/lead_fix.py): the page's first step is another's
            lead_fixed = _narrows(qtype, question) and add_lead_fix(answer, passages, terms)
            add_fixes(answer, passages, question, terms)
            if steps_from is None and not lead_fixed:
                add_solution(answer, passages, qtype, terms, question)
        elif answer.picked and steps_from is None:
            add_named_fix(answer, passages)
        variant = any((p.get("meta") or {}).get("added") == "variant" for p in passages)
        if not faq and answer.picked and not variant and not lead_fixed:  # a FAQ note on the other case says
            # nothing here, nor one after the cause and its fix
            add_faq_note(answer, passages, qtype, terms, question)
    if not answer.picked:  # nothing matched by type: the most relevant on-topic sentences
        yes_no = qtype == "value" and asks_verdict(question)
        for n in range(len(passages), 0, -1):
            if yes_no and not is_on_topic(terms, passages[n - 1]):
                continue  # a yes or no from a passage off the question's topic would judge another thing
            units = after_the_fact([u for u in section_units(passages[n - 1]) if usable(u) and u.kind != "code"],
                                   terms, question)
            ranked = sorted(range(len(units)), key=lambda i: -coverage(terms, units[i].text))[:max(1, max_units // 2)]
            chosen = past_restatement(units, through_fix(units, set(ranked), whole=qtype != "value"), question)
            answer.add(n, fit([units[i] for i in sorted(chosen)], budget))
            if answer.picked:
                break
        lead = section_lead(passages, terms) if yes_no and not answer.picked else None
        if lead is not None:  # no line of an on-topic passage judges it: what the best one is about
            answer.add(lead[0], _whole(lead[1]))
    whole = None
    if qtype in ("howto", "cause", "symptom") and not ruled and not observed and not lead_fixed:
        # a value is one line; a table row's neighbours are other cases; a cause with its fix is whole
        answer.picked, answer.groups, whole = fill_short(answer.picked, answer.groups, passages, terms, budget, page)
    if whole is not None and isinstance(passages, list):  # the section the short answer was completed from
        passages[whole[0] - 1] = whole[1]
    answer.picked, answer.groups = carry_introduced(answer.picked, answer.groups, passages, budget)  # a lead-in's list
    if qtype in ("howto", "cause", "symptom"):  # an entry of a troubleshooting list: what is written under it
        answer.picked, answer.groups = carry_bodies(answer.picked, answer.groups, passages, budget)
    answer.picked, answer.groups = with_antecedents(answer.picked, answer.groups, passages, section_units)  # "它…" named
    if qtype in ("howto", "cause", "symptom", "value"):  # the cause or the tool a line goes on from
        one_line = qtype == "value" and not asks_verdict(question)  # a value's line: room for the name it uses,
        answer.picked, answer.groups = with_paragraph_heads(  # as graph/nodes/answer._room gives a value's setting
            answer.picked, answer.groups, passages, section_units, budget + (BUDGET["value"] // 2 if one_line else 0),
            question, fact=one_line)
    out, in_step = [], False
    for (_, picked), unit, group in zip(answer.picked, renumber(answer.picked), answer.groups):
        in_step = picked.kind == "step" or (in_step and picked.depth > 0)  # the lines under a step heading
        judged_with = (in_step and picked.kind != "step") or picked.whole
        out.append({**unit, "group": group, **({"with_heading": True} if judged_with else {})})
    return out


def _narrows(qtype: QuestionType, question: str) -> bool:
    """A cause or symptom answer may be narrowed to the line holding what is asked (graph/padding.py,
    graph/answer_lead.py): not for a question asking what to do (the fix is what it wants) nor one asking
    which to choose (the page's choosing list answers it, though its words make it a symptom report)."""
    return qtype in ("cause", "symptom") and not asks_fix(question) and not asks_choice(question)


def _holds_cause(answer: AnswerDraft, qtype: QuestionType, question: str) -> bool:
    """A cause or symptom answer that may be narrowed (`_narrows`) already holding what is asked: the
    page's causes list gives only its items naming it, a section matched by words alone adding nothing is
    left out (graph/padding.py)."""
    return _narrows(qtype, question) and holds_asked(answer.passages, answer.picked, answer.terms)


def _whole(units: list[Unit]) -> list[Unit]:
    """The units marked as given whole (`Unit.whole`: verify judges them with their section's heading), as a
    line answering a yes or no is, though alone it shares few of the question's words."""
    return [replace(u, whole=True) for u in units]


def section_lead(passages: Sequence[Mapping[str, Any]], terms: QuestionTerms) -> tuple[int, list[Unit]] | None:
    """The first prose line of the on-topic passage covering most of the question (what the section is
    about, when none of its lines judges a yes or no asked), or None when no passage is on topic."""
    on = [n for n in range(len(passages), 0, -1) if is_on_topic(terms, passages[n - 1])]
    for n in sorted(on, key=lambda m: -coverage(terms, with_context(passages[m - 1]))):
        lead = next((u for u in section_units(passages[n - 1]) if usable(u) and u.kind in ("sentence", "item")), None)
        if lead is not None:
            return n, [lead]
    return None
