"""Is a message for us? Greetings, and the domain verdict of a text (guard and route share it).

`judge` scores one text with `graph.domain_score` evidence (KB vocabulary coverage,
lexicon, retrieval) plus the model's IN/OUT when a generative model is configured; a
text a runbook matches is in-domain too, and so is one for which the base's own selection
(calibrated per base, knowledge.calibration) keeps a strong match: the vocabulary is the first
look, the base's passages the second. `judge_message` judges a whole message and,
when it is refused, its pieces: a message is in-domain when any of its questions is.
The verdicts of the pieces are kept (`parts`) so route need not judge them again.
"""

from __future__ import annotations

import re

from graph.bases import KBScope, search
from graph.context import GraphContext
from graph.crosslingual import judged_text, search_terms
from graph.domain_score import (about_unknown_head, content_tokens, gather_evidence, latin_terms_beside_subject,
                                names_known_thing, one_known_word, parse_model_verdict, unknown_topic)
from graph.everyday_services import about_everyday_service
from graph.expansion import synonym_groups, synonym_query
from graph.general_software import about_general_software
from graph.model_calls import ask_model
from graph.questions import domain_terms, split_message
from graph.passages import from_state, to_state
from graph.schema import GuardVerdict, PassageData
from graph.spelling import SpellingFixer
from graph.spoken_forms import written_forms

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


def judge(ctx: GraphContext, message: str, kb: KBScope,
          searched: dict[str, list[PassageData]] | None = None) -> GuardVerdict:
    """The guard verdict for one text: kind, in_domain, score, evidence.

    When retrieval is part of the evidence, the search (k = retrieve_k, so retrieve can
    reuse it) is recorded in `searched` under its query.
    """
    if is_greeting(message):
        return {"kind": "greet", "in_domain": True, "score": 1.0, "evidence": {}}
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    raw, message = message, SpellingFixer.for_vocabulary(vocab).correct(message)  # "isito" is the base's "istio"
    message = written_forms(message, vocab, sep=" ")  # "充完钱" is the base's "充值"
    passages: list = []
    if ctx.settings.guard_weights.get("retrieval", 0.0) > 0:
        passages = _search(ctx, message, kb, searched)
    evidence = gather_evidence(message, vocab, passages[:3])
    if ctx.generative:
        domain = "、".join(sorted(vocab.lexicon, key=len, reverse=True)[:30])
        out = ask_model(ctx, "guard", max_tokens=8, message=message, domain=domain)
        evidence.model = parse_model_verdict(out) if out is not None else None
    score = evidence.score(ctx.settings)
    in_domain = score >= ctx.settings.guard_threshold
    details = evidence.to_json(ctx.settings)
    service = about_everyday_service(raw, vocab, message)
    if service is not None:  # its 充值/账号/内存 are a game's or a phone's: neither runbook nor passage proves more
        return {"kind": "refuse", "in_domain": False, "score": round(score, 4), "evidence": {**details, "service": service}}
    software = about_general_software(message, vocab)
    if software is not None:  # its 字符串/线程/格式化 are the language's; a conversation may still make it ours
        return {"kind": "refuse", "in_domain": False, "score": round(score, 4), "evidence": {**details, "software": software}}
    if not in_domain and ctx.runbooks is not None and not about_unknown_head(evidence.tokens, vocab, message):
        found = ctx.runbooks.match(message, kb)  # a flow of this base covers it even if its documents do not
        if found:
            in_domain, details["runbook"] = True, found[0]
    if (not in_domain and names_known_thing(evidence.tokens, vocab, message)
            and not one_known_word(evidence.tokens, vocab, message)):  # a passage matching its one word proves no more
        strong = _second_look(ctx, message, kb, passages or _search(ctx, message, kb, searched))
        if strong:  # spoken words aside, the base holds a passage that answers it (its calibrated bars)
            in_domain, details["selected"] = True, strong
    if not in_domain and evidence.lexicon:  # a base's term, not a modifier: gather_evidence blanked those
        latin = latin_terms_beside_subject(evidence.tokens, vocab, message)
        if latin:  # a feature of the base's own subject it may not cover: not found, never a refusal
            in_domain, details["latin_terms"] = True, latin
    return {
        "kind": "answer" if in_domain else "refuse",
        "in_domain": in_domain,
        "score": round(score, 4),
        "evidence": details,
    }


def _search(ctx: GraphContext, message: str, kb: KBScope,
            searched: dict[str, list[PassageData]] | None) -> list:
    """The guard's search (k = retrieve_k, recorded in `searched` so retrieve reuses it); several
    chosen bases are searched together (graph.bases)."""
    query = _query(ctx, message, kb)
    passages = search(ctx.knowledge, query, kb, ctx.settings.retrieve_k)
    if searched is not None:
        searched[query] = [to_state(p) for p in passages]
    return passages


def _query(ctx: GraphContext, message: str, kb: KBScope) -> str:
    return synonym_query(message, search_terms(ctx, message, kb))


def _second_look(ctx: GraphContext, message: str, kb: KBScope, ranked: list) -> str | None:
    """A strong passage for a message its words alone would refuse: in the ranking the turn uses, else
    (one base, a ranking fused with vectors or empty) in the keyword ranking — the verdict must not
    change when the vectors finish."""
    strong = _strong_match(ctx, message, kb, ranked)
    keyword_ranked = bool(ranked) and all(p.dense_score is None for p in ranked)
    if strong or isinstance(kb, tuple) or keyword_ranked:
        return strong
    return _strong_match(ctx, message, kb, ctx.knowledge.keyword_search(_query(ctx, message, kb), kb,
                                                                      ctx.settings.retrieve_k))


def _strong_match(ctx: GraphContext, message: str, kb: KBScope, passages: list) -> str | None:
    """The source of a passage the base's selection keeps as a strong match for the message, if any:
    the second look at a message its vocabulary alone would refuse ("值班碰到核心库不可写…")."""
    probe = [from_state(to_state(p)) for p in passages]  # selection marks its passages: work on copies
    judged = judged_text(ctx, message, kb)
    kept = ctx.knowledge.select(judged, probe, max_passages=ctx.settings.max_passages,
                                alternatives=synonym_groups(judged))
    return next((p.source for p in reversed(kept) if (p.meta or {}).get("match") == "strong"), None)


def judge_message(ctx: GraphContext, message: str, kb: KBScope,
                  searched: dict[str, list[PassageData]] | None = None) -> GuardVerdict:
    """The whole message's verdict; a message is in-domain when any of its questions is
    ("帮我写封邮件，顺便问下 CPU 100% 怎么排查"); route refuses the off-domain ones.

    The verdicts of the pieces judged on the way are returned in `parts`.
    """
    verdict = judge(ctx, message, kb, searched)
    if verdict["kind"] != "refuse":
        return verdict
    pieces = split_message(message, domain_terms(ctx.vocabulary.get(ctx.knowledge, kb).lexicon))
    parts: dict[str, GuardVerdict] = {}
    found: GuardVerdict | None = None
    for piece in pieces if len(pieces) > 1 else []:
        parts[piece] = part = judge(ctx, piece, kb, searched)
        if part["kind"] == "answer" and found is None:
            found = {**part, "evidence": {**part["evidence"], "by_part": piece}}
    return {**(found or verdict), "parts": parts}


def clearly_off_domain(ctx: GraphContext, text: str, kb: KBScope) -> bool:
    """For a sub-question of a message the guard accepted: does it name a topic the base never
    mentions ("红烧肉") and none of the base's mined terms (eip, 安全组, TiKV)? A piece with no topic of
    its own ("续完还要重启啥") goes on with the message rather than being refused."""
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    text = written_forms(SpellingFixer.for_vocabulary(vocab).correct(text), vocab)
    return bool(unknown_topic(content_tokens(text), vocab)) and not vocab.lexicon_terms_in(text)


def judged(ctx: GraphContext, text: str, kb: KBScope, known: dict[str, GuardVerdict] | None) -> GuardVerdict:
    """The verdict of `text`, reusing one the guard already computed for it."""
    return (known or {}).get(text) or judge(ctx, text, kb)
