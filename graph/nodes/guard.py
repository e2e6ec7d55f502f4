"""guard: greeting, in-domain question, or off-domain (refused) — with a score.

Deterministic strategy: greeting patterns, then `domain_score` evidence (KB vocabulary
coverage, lexicon, retrieval); a message a runbook matches is in-domain too. Model strategy (generative backend): the model's IN/OUT
judgment is mixed into the score; unusable output leaves the deterministic score.
Also starts the turn: clears the previous turn's sections and records the user message.
"""

from __future__ import annotations

import re
import time

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.domain_score import gather_evidence, parse_model_verdict
from graph.expansion import synonym_query
from graph.model_calls import ask_model
from graph.progress import progress
from graph.state import ConversationState

_GREETING = (
    r"(你好|您好|hi|hello|hey|嗨|哈喽|哈啰|在吗|在么|在不在|早上好|上午好|中午好|下午好|晚上好|早安|"
    r"谢谢|多谢|感谢|thanks|thank you|辛苦了|你是谁|您是谁|你叫什么(名字)?|你能(做|干)什么|你会(做)?什么|"
    r"你有(什么|哪些)功能|你可以(做|干)?什么|(请问)?你能帮(我|我们)?(做|干)?(些)?什么|谢谢(你|您)(的帮助)?|介绍(一下)?(你|您)自己|自我介绍(一下)?|who are you|what can you do|"
    r"好的|ok|嗯|再见|拜拜|bye)"
)
_GREETING_ONLY = re.compile(rf"^(?:{_GREETING}[\s，,。.!！~～？?呀啊哦呢吧]*)+$", re.IGNORECASE)
_GREETING_PREFIX = re.compile(rf"^(?:{_GREETING}[\s，,。.!！~～]+)+", re.IGNORECASE)


def is_greeting(message: str) -> bool:
    return bool(_GREETING_ONLY.match(message.strip()))


def strip_greeting(message: str) -> str:
    """"你好，SSH 连不上怎么办" -> "SSH 连不上怎么办"."""
    return _GREETING_PREFIX.sub("", message.strip()).strip() or message.strip()


def judge(ctx: GraphContext, message: str, kb: str | None) -> dict:
    """The guard verdict for one text: kind, in_domain, score, evidence."""
    if is_greeting(message):
        return {"kind": "greet", "in_domain": True, "score": 1.0, "evidence": {}}
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    uses_retrieval = ctx.settings.guard_weights.get("retrieval", 0.0) > 0
    passages = ctx.knowledge.search(synonym_query(message), kb=kb, k=3) if uses_retrieval else []
    evidence = gather_evidence(message, vocab, passages)
    if ctx.generative:
        domain = "、".join(sorted(vocab.lexicon, key=len, reverse=True)[:30])
        out = ask_model(ctx, "guard", max_tokens=8, message=message, domain=domain)
        evidence.model = parse_model_verdict(out) if out is not None else None
    score = evidence.score(ctx.settings)
    in_domain = score >= ctx.settings.guard_threshold
    details = evidence.to_json(ctx.settings)
    if not in_domain and ctx.runbooks is not None:
        found = ctx.runbooks.match(message)  # a troubleshooting flow covers it even if the KB does not
        if found:
            in_domain, details["runbook"] = True, found[0]
    return {
        "kind": "answer" if in_domain else "refuse",
        "in_domain": in_domain,
        "score": round(score, 4),
        "evidence": details,
    }


def judge_message(ctx: GraphContext, message: str, kb: str | None) -> dict:
    """The whole message's verdict; a message is in-domain when any of its questions is
    ("帮我写封邮件，顺便问下 CPU 100% 怎么排查"); route refuses the off-domain ones."""
    verdict = judge(ctx, message, kb)
    if verdict["kind"] != "refuse":
        return verdict
    from graph.nodes.split import domain_terms, split_message

    pieces = split_message(message, domain_terms(ctx.vocabulary.get(ctx.knowledge, kb).lexicon))
    for piece in pieces if len(pieces) > 1 else []:
        part = judge(ctx, piece, kb)
        if part["kind"] == "answer":
            return {**part, "evidence": {**part["evidence"], "by_part": piece}}
    return verdict


def guard(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    started = time.perf_counter()
    progress(runtime, "理解问题")
    ctx = runtime.context
    raw = state.get("message", "").strip()
    message = strip_greeting(raw)
    verdict = judge_message(ctx, message, ctx.kb_name(state.get("kb")))
    verdict["message"] = message
    return {
        "guard": verdict,
        "sections": None,
        "sub_questions": [],
        "unanswered": [],
        "standalone": [],
        "routes": [],
        "runbook_reply": None,
        "messages": [{"role": "user", "content": raw}],
        "trace": {"_reset": True, "guard_ms": round((time.perf_counter() - started) * 1000, 2)},
    }
