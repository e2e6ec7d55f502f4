"""The FAQ entry that answers a question, for the extractive answer (graph/extractive.py).

A FAQ entry (or a document section titled with a question, "## 如何…？") that asked the same kind
of thing (a fix, a fact) and covers most of the question leads the answer, whole (for a value
question, its first sentence and the one carrying most of the asked terms): `lead_faq`; the one
entry the knowledge layer alone judged strong leads a spoken question sharing few words with it
(`only_strong_entry`); an entry about a neighbouring case ("Connection timed out" beside a
"Connection refused" question) does not (`neighbour_case`). `faq_units` gives the entry's units.
Tested in tests/graph/test_extractive.py and tests/graph/test_faq_pages.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_units import Unit, parse_units
from graph.faq_subject import neighbour_case, question_heading
from graph.paragraphs import says_what_to_do, through_fix
from graph.question_type import QuestionType, asked_unit, asks_verdict, question_type
from graph.relevance import QuestionTerms, coverage, found, names_entity, with_context
from graph.section_answer import section_units
from graph.unit_fit import fit_whole, usable
from graph.value_fact import asks_span, gives_span
from graph.value_scan import without_asking_words
from graph.verdict_line import JUDGING, answers_action, asked_action

FAQ_MATCH = 0.5
"""Weighted share of the question a FAQ entry (its question and answer) must cover to lead."""


SAME_QUESTION = 0.6
"""Share of the question (codes weighted up) a FAQ entry's own question must cover to lead whatever
kind of thing it asks ("RequestTimeTooSkewed 啥意思" -> "RequestTimeTooSkewed 怎么解决？")."""


_GROUPS = {"howto": "fix", "symptom": "fix", "cause": "fix", "value": "fact", "define": "fact", "compare": "fact"}


def lead_faq(passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms,
             question_text: str = "") -> int | None:
    """The FAQ entry that answers the question: asked the same kind of thing, names what the
    question is about and covers most of it; the best such (None: none). A value question asking a
    count or a duration ("失败几次") is not answered by an entry giving no number in that unit, nor one
asking the span between two events by an entry that does not give it (graph/value_fact.asks_span)."""
    best, best_score = None, (0.0, 0.0)
    # a value's asking words ("几个", "多少") are in many entries' questions: of the entries covering enough of the
    # question, what the value is of picks one ("一个账号最多几个 eip": "EIP 配额是多少？", not "一个地域能建几个 VPC？")
    subject = without_asking_words(terms) if qtype == "value" else terms
    scoring = subject if subject.total > 0 else terms
    unit = asked_unit(question_text) if qtype == "value" else None
    action = asked_action(terms, question_text) if qtype == "value" and asks_verdict(question_text) else None
    action = action if action is not None and action.total > 0 else None  # "这样行吗" names no action to judge
    for n, p in enumerate(passages, 1):
        own = question_heading(p)
        if p.get("kind") != "faq" and not own:
            continue
        if unit is not None and not unit.search(p.get("text") or ""):
            continue
        if asks_span(question_text) and not gives_span(p.get("text") or ""):
            continue  # "从坏了到被摘掉要多久": an entry listing the parameters does not give the span
        question = _entry_question(p)
        if action is not None and not answers_action(action, question, p.get("text") or ""):
            continue  # "改了阈值得重启吗": an entry giving the default, or judging another action, answers another question
        if qtype == "howto" and coverage(terms.own(), question) <= 0:
            continue  # its question names nothing the how-to asks: it is about another task ("ImagePullBackOff
            # 怎么排查？" for "节点上怎么测能不能连上仓库"); the page's own step is the answer
        if _GROUPS[question_type(question)] != _GROUPS[qtype] \
                and coverage(terms.codes_first(), question) < SAME_QUESTION:
            continue  # asked another kind of thing, unless it asked about the very same thing
        text = with_context(p)
        if misses_colloquial(question_text, text):
            continue  # "实例关机了还扣钱吗": an entry on 关机 that never says 计费/费用 answers another question
        whole = coverage(terms, text)
        score = (coverage(scoring, text), whole)
        if whole >= FAQ_MATCH and names_entity(terms, text) and score >= best_score \
                and not neighbour_case(terms, p, passages):
            best, best_score = n, score
    strong = only_strong_entry(passages, terms) if best is None else None
    if strong is not None and unit is not None and not unit.search(passages[strong - 1].get("text") or ""):
        return None
    if strong is not None and action is not None and not answers_action(
            action, _entry_question(passages[strong - 1]), passages[strong - 1].get("text") or ""):
        return None
    return best if best is not None else strong


def _entry_question(passage: Mapping[str, Any]) -> str:
    """The question an entry answers: a FAQ entry's, or the question heading its section is titled with."""
    return str((passage.get("meta") or {}).get("question") or question_heading(passage))


STRONG_ENTRY = 0.25
"""Share of the question an entry the knowledge layer alone judged a strong match must cover to lead."""


_ASKS = re.compile(r"[吗么呢不？?]$")


def misses_colloquial(question: str, text: str) -> bool:
    """The colloquial words of the question's asking clause (graph/synonyms.yaml: 扣钱 -> 计费, 费用) are
    what it asks about, though the base never writes them; a text holding none of them nor any of their
    documentation terms is about something else the question also names."""
    from graph.expansion import synonym_groups  # graph.expansion reaches the graph context: import late

    clauses = [c for c in re.split(r"[\s，,。；;！!]+", question) if c]
    if not clauses or not _ASKS.search(clauses[-1]):
        return False  # only the clause that asks ("…还扣钱吗"), not a symptom told beside it ("用root登陆被拒绝")
    groups = synonym_groups(clauses[-1])
    low = (text or "").lower()
    return bool(groups) and not any(word in low or any(t.lower() in low for t in alts) for word, alts in groups.items())


def only_strong_entry(passages: Sequence[Mapping[str, Any]], terms: QuestionTerms) -> int | None:
    """The one page or section titled with a question (a FAQ page, "## 如何…？") the knowledge layer
    judged a strong match when no other evidence is: a spoken question shares few words with its
    title, yet it is the entry asked about (whatever kind of thing its own question asks). A short
    FAQ entry is measured well by its words and leads only by FAQ_MATCH."""
    strong = [n for n, p in enumerate(passages, 1) if (p.get("meta") or {}).get("match") == "strong"]
    if len(strong) != 1:
        return None
    p = passages[strong[0] - 1]
    text = with_context(p)
    if not question_heading(p) or not names_entity(terms, text) \
            or coverage(terms, text) < STRONG_ENTRY or neighbour_case(terms, p, passages):
        return None
    return strong[0]


_BARE_REPLY = re.compile(r"^(是|不是|是的|对|不对|需要|不需要|默认需要|默认不需要|可以|不可以|不能|能|会|不会|"
                         r"支持|不支持|有|没有|必须|不必|不用|要|不要)[。，,！!；;]")


VERDICT_ONLY = 12
"""Characters of an opening verdict sentence that states nothing but the verdict on its entry's own question
("不会立即停止。" for "欠费后服务器会马上停吗？")."""


def opens_with_verdict(text: str) -> bool:
    """A bare reply ("可以。") or a short verdict sentence ("不会立即停止。"): it answers the entry's own question."""
    return bool(_BARE_REPLY.match(text)) or (len(text.strip()) <= VERDICT_ONLY and bool(JUDGING.search(text)))


_ASKS_AFTER = re.compile(r"(之后|以后|后|完)(还|又)(要|需要|得|该)|还(要|需要|得)(做|干|改|配|注意)(什么|啥|哪些)|接下来|下一步")
"""The question asks what to do after something ("改过端口后还要做什么"), not what the thing is."""


def after_the_fact(units: list[Unit], terms: QuestionTerms, question: str) -> list[Unit]:
    """For a question asking what follows ("改过端口后还要做什么"), the entry without its opening fact
    ("SSH 默认监听 TCP 22 端口。") when that says nothing to do and a later sentence covers the question
    as well: the fact answers what the thing is, the later sentence what to do next."""
    if not _ASKS_AFTER.search(question) or len(units) < 2 or units[0].kind != "sentence" \
            or says_what_to_do(units[0].text):
        return units
    later = max(coverage(terms, u.text) for u in units[1:])
    return units[1:] if later > 0 and later >= coverage(terms, units[0].text) else units


ECHO_COVER = 0.8
"""Share of the question's own words the entry's question must hold for the question itself to be
what a bare "不可以。" answers."""


_YES_NO = re.compile(r"[吗么不没][？?\s]*$|能不能|能否|可不可以|会不会|要不要|需不需要|是否|行不行")


def asks_itself(terms: QuestionTerms, entry_question: str, question: str) -> bool:
    """The user asked yes or no and the entry asks the same ("云盘可以缩容吗" for "云盘能缩容吗"): its
    bare reply answers the user's own words, and repeating the entry's question before it reads as an
    echo. ("云盘扩容" asks no yes or no: "不需要。" alone would answer nothing it said.)"""
    own = terms.own()
    return bool(_YES_NO.search(question.strip())) and own.total > 0 and coverage(own, entry_question) >= ECHO_COVER


def faq_units(passage: Mapping[str, Any], qtype: QuestionType, terms: QuestionTerms, budget: int,
              question: str = "") -> list[Unit]:
    """The entry's answer (a value question: its first sentence and the one carrying most of the
    asked terms; a question asking what follows: without an opening fact, `after_the_fact`);
    an answer opening with a bare "不需要。" / "可以。" or a short verdict ("不会立即停止。", `opens_with_verdict`)
    reads with the entry's question before it, unless
    that question is the user's own (`asks_itself`)."""
    units = [u for u in (parse_units(passage.get("text") or "", "faq") if passage.get("kind") == "faq"
                         else section_units(passage)) if usable(u)]
    units = after_the_fact(units, terms, question)
    if qtype in ("value", "define") and len(units) > 2:  # its first sentence (the answer) and the best other
        ranked = sorted(range(1, len(units)), key=lambda i: (-coverage(terms, units[i].text), i))
        units = [units[i] for i in sorted(through_fix(units, {0, ranked[0]}, whole=False))]
    asked = str((passage.get("meta") or {}).get("question") or question_heading(passage)).strip()
    if qtype == "value" and len(units) > 1 and units[0].kind == "sentence" and _BARE_REPLY.match(units[0].text) \
            and not _YES_NO.search(question.strip()):
        units = units[1:]  # "一天能刷多少条": the count answers it; "有。" (to "有次数限制吗") asks back the entry's question
    # a verdict on the entry's own question reads as one on the user's ("数据会不会没" -> "不会立即停止。"): its question before it
    if units and asked and units[0].kind == "sentence" and opens_with_verdict(units[0].text) \
            and not asks_itself(terms, asked, question):
        units[0] = Unit("sentence", f"{asked.rstrip('？?')}？{units[0].text}", heading=units[0].heading)
    return fit_whole(units, budget)
