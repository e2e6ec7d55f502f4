"""split: one message -> self-contained sub-questions (at most `max_sub_questions`).

Deterministic strategy: numbered lists, then question marks and clause-level
connectors (还有/另外/以及/顺便问下 after punctuation); statements before a question stay
with it; a follow-on question that lacks a subject gets the first question's subject
("…CPU 100% 怎么排查？跟带宽有关吗？" -> "…CPU 100% 跟带宽有关吗"). "A 和 B 有什么区别"
has no boundary, so it stays whole. Model strategy: the `split` prompt, accepted only
when every line is drawn from the message; otherwise the deterministic result.
"""

from __future__ import annotations

import re
from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.domain_score import CLOUD_TERMS, SYMPTOM_TERMS
from graph.model_calls import ask_model
from graph.state import ConversationState
from graph.subject import DomainTerms, attach_subject, needs_subject, strip_filler, subject_of

_NUMBERED = re.compile(r"(?:^|\n|\s)\s*(?:\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_QUESTION_END = re.compile(r"(?<=[？?])")
_CONNECTOR = re.compile(r"(?<=[，,。；;！!\s])\s*(?=(还有|另外|以及|顺便问下|顺便问一下|顺便|此外|再问一下|还想问)[，,\s]*)")
_ASKING = re.compile(r"[？?]|怎么|怎样|如何|为什么|为啥|什么|多少|哪些|哪个|吗|呢|能否|是否|有没有|区别|排查|解决|办法")
_TRIM = " \t\n，,。；;：:？?！!"


def _pieces(message: str) -> list[str]:
    text = message.strip()
    if len(_NUMBERED.findall(text)) >= 2:
        parts = _NUMBERED.split(text)
        head, items = parts[0], parts[1:]
        items = [p for p in items if p.strip(_TRIM)]
        if head.strip(_TRIM) and not _ASKING.search(head):
            items = [f"{head.strip(_TRIM)} {p.strip(_TRIM)}" for p in items]
        elif head.strip(_TRIM):
            items = [head] + items
        return items
    out: list[str] = []
    for part in _QUESTION_END.split(text):
        out.extend(_CONNECTOR.split(part))
    return [p for p in out if p and p.strip(_TRIM) and p.strip() not in _CONNECTOR_WORDS]


_CONNECTOR_WORDS = {"还有", "另外", "以及", "顺便问下", "顺便问一下", "顺便", "此外", "再问一下", "还想问"}


def _merge_statements(pieces: list[str]) -> list[str]:
    """A piece that asks nothing is context for the next one ("我的实例 CPU 100%。怎么排查？")."""
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        piece = strip_filler(piece.strip(_TRIM)) if merged or carry else piece.strip(_TRIM)
        if not piece:
            continue
        if not _ASKING.search(piece) and len(pieces) > 1:
            carry = f"{carry}{piece}，"
            continue
        merged.append(f"{carry}{piece}" if carry else piece)
        carry = ""
    if carry:
        if merged:
            merged[-1] = f"{merged[-1]}，{carry.rstrip('，')}"
        else:
            merged.append(carry.rstrip("，"))
    return merged


def split_message(message: str, terms: DomainTerms) -> list[str]:
    """Deterministic split with the shared subject restored."""
    questions = _merge_statements(_pieces(message))
    if not questions:
        return [message.strip(_TRIM)] if message.strip(_TRIM) else []
    first_subject = subject_of(questions[0])
    entity = terms.first(questions[0])
    result = [questions[0]]
    for q in questions[1:]:
        result.append(attach_subject(first_subject, q, entity) if needs_subject(q, terms) else strip_filler(q))
    return [q.strip(_TRIM) for q in result if q.strip(_TRIM)]


def domain_terms(lexicon: set[str]) -> DomainTerms:
    return DomainTerms(list(lexicon) + list(CLOUD_TERMS), SYMPTOM_TERMS)


def _model_split(ctx: GraphContext, message: str) -> list[str] | None:
    out = ask_model(ctx, "split", max_tokens=200, message=message)
    if not out:
        return None
    lines = [re.sub(r"^\s*(?:\d+[.、)]|[-*•])\s*", "", ln).strip(_TRIM) for ln in out.splitlines()]
    lines = [ln for ln in lines if ln]
    chars = set(message)
    if not lines or len(lines) > 2 * ctx.settings.max_sub_questions:
        return None
    for ln in lines:
        drawn = sum(1 for c in ln if c in chars) / len(ln)
        if drawn < 0.7:
            return None
    return lines


def split(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    message = state["guard"].get("message") or state["message"]
    vocab = ctx.vocabulary.get(ctx.knowledge, ctx.kb_name(state.get("kb")))
    questions = _model_split(ctx, message) or split_message(message, domain_terms(vocab.lexicon))
    limit = ctx.settings.max_sub_questions
    return {"sub_questions": questions[:limit], "unanswered": questions[limit:]}
