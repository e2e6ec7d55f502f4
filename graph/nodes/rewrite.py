"""rewrite: each sub-question made standalone from the conversation, with its decision.

Deterministic strategy (`graph.followup`): new topic, follow-up (ordinals into the previous
answer's list, items it named, "那 X 呢", pronouns, missing subjects) or clarify (it points
at something but there is nothing before it, not even an earlier question of the same message);
typos fixed against the KB's words (`graph.spelling`). While a runbook waits (state `runbook`), a question is a step question —
rewritten with the step's prompt and the runbook's title — or a new question, resolved against
the conversation like any other. Model strategy (a generative backend): the `rewrite` prompt for
follow-ups, accepted only when it is one line drawn from the question and the history; a new
topic or a clarification never goes to the model. The standalone question is never empty.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Mapping, Sequence

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.followup import CONTINUES, SWITCH, TRIM, FollowUps, Resolution, Thread, thread_of
from graph.bases import page_chunks
from graph.model_calls import ask_model
from graph.prior import prior_answer
from graph.referent import outranks, pointed_referent, points, referent_question, titles_of
from graph.spelling import SpellingFixer
from graph.state import ConversationState
from graph.subject import DomainTerms
from graph.vocabulary import KBVocabulary
from graph.turns import prompt_core
from graph.waiting import classify


def _model_rewrite(ctx: GraphContext, question: str, history: Sequence[Mapping[str, Any]]) -> str | None:
    recent = history[-ctx.settings.history_turns:]
    lines = "\n".join(f"{m['role']}: {m['content'][:300]}" for m in recent)
    out = ask_model(ctx, "rewrite", max_tokens=80, history=lines, message=question)
    if not out or not out.strip():
        return None
    text = out.strip().splitlines()[0].strip(" \"'“”")
    source = set(question) | set(lines)
    if not text or sum(c in source for c in text) / len(text) < 0.8:
        return None
    return text


def opened_anew(message: str, question: str) -> bool:
    """Was `question` (a sub-question split out of `message`) introduced there by 另外/顺便问下/对了…?"""
    at = message.find(question)
    return at > 0 and bool(_OPENER_BEFORE.search(message[:at]))


_OPENER_BEFORE = re.compile(rf"(?:^|[，,。；;？?！!\s])(?:{SWITCH.pattern})$", re.IGNORECASE)
"""An opener right before a sub-question, after the previous ask's punctuation (split drops it)."""


def step_question(question: str, waiting: Mapping[str, Any], title: str) -> str:
    """A question about the waiting step, with what the step asks and the runbook it belongs to."""
    core = prompt_core(str(waiting.get("prompt") or ""))
    context = "；".join(p for p in (core, title) if p and p.lower() not in question.lower())
    return f"{question.strip(TRIM)}（{context}）" if context else question.strip(TRIM)


def rewrite_question(question: str, history: Sequence[Mapping[str, Any]], terms: DomainTerms, vocab: KBVocabulary | None = None) -> str:
    """Deterministic standalone question of one sub-question after `history` (benchmarks, tests)."""
    resolver = FollowUps(terms, vocab, SpellingFixer.for_vocabulary(vocab) if vocab is not None else None)
    return resolver.resolve(question, thread_of(history, resolver)).standalone


def rewrite(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    history = list(state.get("messages") or [])[:-1]  # the last one is this turn's message
    resolver = FollowUps.for_context(ctx, state.get("kb"))
    thread = thread_of(history, resolver)
    paused = state.get("runbook") or None
    waiting = (paused or {}).get("waiting") or {}
    runbook = ctx.runbooks.get(paused["runbook_id"]) if paused and ctx.runbooks is not None else None
    standalone: list[str] = []
    decisions: list[str] = []
    focus: list[str] = []
    raw = ((state.get("guard") or {}).get("message") or state.get("message") or "").strip()
    fresh, goes_on = bool(SWITCH.match(raw)), bool(CONTINUES.match(raw))
    subs = state.get("sub_questions") or []
    prior = functools.cache(lambda: prior_answer(list(state.get("messages") or [])))
    pages = functools.cache(lambda source: page_chunks(ctx.knowledge, ctx.kb_name(state.get("kb")), source))
    for i, q in enumerate(subs):
        # "只读实例最多能建几个？顺便问下锁等待超时默认是几秒": an ask the user opened anew that names a thing of
        # the base keeps its own subject; an elliptic one ("另外多久生效") still leans on its sibling
        own = i > 0 and opened_anew(raw, q) and resolver.names_own_thing(q)
        opened = bool(standalone) and not thread.empty and decisions[0] == "new_topic"
        swapped = bool(standalone) and not thread.empty and decisions[0] == "follow_up" and focus[0].startswith("swap:")
        if opened or swapped:
            # "另外 发票怎么开，能开专票吗": the message opened a topic of its own; "那 Windows 呢，要重启吗": it
            # moved the previous question to another case — its later questions lean on that, not on the
            # previous turn's question
            found = resolver.resolve(q, Thread(question=standalone[-1], topic=standalone[0]), aside=bool(paused))
            if opened and found.decision == "follow_up":
                found = Resolution(found.standalone, "new_topic", found.focus, found.kind)
            elif swapped and found.decision == "new_topic" and not resolver.entities(q):
                found = Resolution(found.standalone, "follow_up", found.focus, found.kind)
        else:
            found = resolver.resolve(q, thread, fresh=(fresh and i == 0) or own, goes_on=goes_on and i == 0,
                                     aside=bool(paused))
            leaned = bool(standalone) and not thread.empty and decisions[0] == "follow_up" and not focus[0]
            if leaned and found.decision == "follow_up" and not found.kind and resolver.names_thing(subs[0]):
                # "白名单在哪加？加完要重启吗" after a MySQL answer: the later ask is about the thing the message's
                # earlier question named (MySQL 白名单), not the previous turn's question — still a follow-up
                # (a facet like "上限到底是多少？现在登不上去怎么处理" names none: both lean on the previous turn)
                within = resolver.resolve(q, Thread(question=standalone[0], topic=standalone[0]), aside=bool(paused))
                found = within if within.decision == "follow_up" else found
        if thread.empty and standalone and not own and decisions[-1] != "clarify" \
                and found.decision in ("clarify", "new_topic"):
            # "默认安全组放了哪些端口，新建的安全组呢", "…OOMKilled，这是被谁杀的？咋处理": a later question of a
            # first message leans on the message's own earlier question (the message stays a new topic)
            within = resolver.resolve(q, Thread(question=standalone[-1], topic=standalone[-1]), aside=bool(paused))
            if within.decision == "follow_up" or found.decision == "clarify":
                found = Resolution(within.standalone, "new_topic", within.focus, within.kind)
        if paused and waiting and classify(q, waiting, runbook).decision == "step_question":
            found = Resolution(step_question(found.standalone, waiting, runbook.title if runbook else ""),
                               "step_question")
        elif paused:
            found = Resolution(found.standalone, "new_question", found.focus, found.kind)
        elif not thread.empty and not fresh and not own and found.decision != "clarify" \
                and points(q) and (referent := pointed_referent(q, prior(), pages, resolver.vocab)) is not None \
                and outranks(referent, found.kind, found.focus, q):
            # "私钥权限那条 改成多少": the part of the previous answer's page its own words select (graph/referent.py),
            # with the thread's subject (a question read as standalone has none: its page's title); also over an
            # item the answer named that is not in that part ("我是ubuntu pidstat那条提示没有这个命令": not the
            # answer's last command, the line installing pidstat), or a list item when the page labels that part
            # with the ordinal said ("方法二那个不重启的咋弄": the page's 方法二, not the answer's second line)
            subject = resolver.anchor(thread, q) if found.decision == "follow_up" else titles_of(prior(), referent.unit)
            found = Resolution(referent_question(q, referent, subject), "follow_up",
                               (referent.terms or [referent.unit.source])[0], "unit")
        elif found.decision == "follow_up" and ctx.generative and history:
            found.standalone = _model_rewrite(ctx, q, history) or found.standalone
        standalone.append(found.standalone or q)
        decisions.append(found.decision)
        focus.append(found.encoded)
    return {"standalone": standalone, "decisions": decisions, "focus": focus}
