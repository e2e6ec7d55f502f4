"""guard: greeting, in-domain question, or off-domain (refused) — with a score.

The verdict comes from `graph.domain_check.judge_message` (deterministic evidence, plus
the model's judgment with a generative backend). Also starts the turn: clears the
previous turn's sections and records the user message. A message refused on its own is judged
again in its conversation (a follow-up by its standalone question; one pointing at something
never named goes on to be clarified, unless it names a topic the base never mentions).
"""

from __future__ import annotations

import time
from typing import Any, Mapping, Sequence

from langgraph.runtime import Runtime

from graph.alternatives import asks_alternative
from graph.context import GraphContext
from graph.domain_check import is_greeting, judge_message, strip_greeting
from graph.domain_score import content_tokens, names_known_thing, unknown_topic
from graph.expansion import synonyms
from graph.followup import FollowUps, thread_of
from graph.thread import Thread
from graph.thread_switch import foreign_words, switch_reason
from graph.language import message_language
from graph.progress import Stage, progress
from graph.schema import GuardVerdict
from graph.spoken_forms import written_forms
from tools.runbooks.replies import command_of
from graph.state import ConversationState


def in_conversation(ctx: GraphContext, message: str, history: Sequence[Mapping[str, Any]], kb: Any, verdict: GuardVerdict,
                    searched: dict) -> GuardVerdict:
    """A refused message judged again in its conversation: a follow-up ("8核16g的呢") by its standalone
    question, one that points at something never named ("那它的端口是多少") answered with a question."""
    if verdict["evidence"].get("service"):  # it names a game's or a phone's 充值/账号 itself: no thread makes it ours
        return verdict
    resolver = FollowUps.for_context(ctx, kb)
    thread = thread_of(history, resolver)
    found = resolver.resolve(message, thread)
    vocab = ctx.vocabulary.get(ctx.knowledge, ctx.kb_name(kb))
    tokens = content_tokens(message)
    unknown = unknown_topic(tokens, vocab)
    if found.decision == "clarify":
        if unknown:
            return verdict  # nothing to lean on, and it names what the base never mentions ("这周末杭州天气怎么样")
        return {**verdict, "kind": "answer", "in_domain": True, "evidence": {**verdict["evidence"], "clarify": True}}
    # it says what it is about in words the base never writes and names nothing the base knows ("今晚湖人队
    # 比赛谁赢了" after an SSH answer): a new, off-domain topic, however the thread could be read into it;
    # ONE ordinary word the pages do not use ("有啥规矩没") is the user's word for the thread's (graph/thread_switch)
    # — unless it asks for another way than the one given: its words rule that way out ("暂时不想升配，还有别的法子吗")
    switch = not names_known_thing(tokens, vocab, message) and not asks_alternative(message) \
        and switch_reason(message, vocab) is not None
    if found.decision == "new_topic" and not switch:
        return _on_thread_topic(ctx, message, kb, verdict, thread, resolver.entities(message), unknown)
    if found.decision != "follow_up" or found.standalone == message or switch:
        return verdict
    if not resolver.entities(message) and not foreign_words(message, vocab):
        # nothing of its own ("它要建在哪儿"): as in-domain as its thread
        return {**verdict, "kind": "answer", "in_domain": True,
                "evidence": {**verdict["evidence"], "follow_up": found.standalone}}
    # something of its own, or a word the pages do not use: in-domain when its standalone question is
    again = judge_message(ctx, found.standalone, ctx.kb_name(kb), searched)
    if again["kind"] == "refuse":
        return verdict
    return {**again, "evidence": {**again["evidence"], "follow_up": found.standalone}}


def _on_thread_topic(ctx: GraphContext, message: str, kb: Any, verdict: GuardVerdict, thread: Thread,
                     named: list[str], unknown: list[str]) -> GuardVerdict:
    """A message with a subject of its own, refused alone, right after a question of the base: judged with
    that question ("后端挂掉多久会被踢出去" after CLB health checks). Only when it names a term of the base
    and no topic the base never mentions — a switch ("帮我写首诗", "今天天气怎么样") names no term."""
    if thread.empty or verdict["evidence"].get("software") or unknown \
            or not named:
        return verdict
    topic = thread.question or thread.topic
    again = judge_message(ctx, f"{topic} {message}", ctx.kb_name(kb), {})  # not the turn's search
    if again["kind"] != "answer":
        return verdict
    return {**verdict, "kind": "answer", "in_domain": True, "evidence": {**verdict["evidence"], "thread_topic": topic}}


def guard(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    started = time.perf_counter()
    progress(runtime, Stage.UNDERSTAND)
    ctx = runtime.context
    raw = state.get("message", "").strip()
    message = strip_greeting(raw)
    searched: dict = {}
    if command_of(message) and not is_greeting(message):  # 退出 / 跳过 / 批准 with no runbook waiting
        verdict: GuardVerdict = {"kind": "command", "in_domain": True, "score": 1.0, "evidence": {}}
    else:
        verdict = judge_message(ctx, message, ctx.kb_name(state.get("kb")), searched)
    if verdict["kind"] == "refuse":
        verdict = in_conversation(ctx, message, list(state.get("messages") or []), state.get("kb"), verdict, searched)
    if verdict["kind"] == "answer":  # what follows reads the base's words ("充完钱" -> "充值完"), but
        # a colloquial word query expansion already reads (扣钱: graph/synonyms.yaml) stays the user's
        vocab = ctx.vocabulary.get(ctx.knowledge, ctx.kb_name(state.get("kb")))
        message = written_forms(message, vocab, keep=lambda phrase: phrase.lower() in synonyms())
    verdict["message"] = message
    return {
        "guard": verdict,
        "lang": message_language(raw),
        "searched": searched,
        "sections": None,
        "sub_questions": [],
        "unanswered": [],
        "standalone": [],
        "decisions": [],
        "focus": [],
        "decision": None,
        "routes": [],
        "runbook_reply": None,
        "messages": [{"role": "user", "content": raw}],
        "trace": {"_reset": True, "guard_ms": round((time.perf_counter() - started) * 1000, 2)},
    }
