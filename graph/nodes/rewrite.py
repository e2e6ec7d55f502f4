"""rewrite: make each sub-question standalone using the conversation history.

Deterministic strategy, in order: "第三步具体怎么做" takes step 3 of the previous answer;
"如果是 RDS 呢" puts RDS in place of the previous question's subject; a pronoun
("那它的端口是多少") becomes the previous subject; a fragment without any domain term
borrows the previous subject. A question with its own domain terms is left unchanged,
so a topic switch does not drag the old topic in. Model strategy: the `rewrite` prompt,
accepted only when it is one line drawn from the question and the history.
"""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.model_calls import ask_model
from graph.questions import domain_terms
from graph.state import ConversationState
from graph.vocabulary import KBVocabulary
from graph.subject import DomainTerms, attach_subject, needs_subject, subject_of, substitute

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_STEP_REF = re.compile(r"(?:第\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:步|点|条|项)|步骤\s*(\d{1,2}))")
_WHAT_IF = re.compile(
    r"^(?:(?:那|那么)?(?:如果|要是|假如|换成|改成)(?:是|用)?\s*(.{1,15}?)\s*(?:的话)?\s*(?:呢|怎么样|怎么办)?"
    r"|(?:那|那么)?\s*(.{1,30}?)\s*呢)[？?]?$"
)
_PRONOUN = re.compile(r"(它们|它|这个|那个|该|其|这种|那种)")
_STEP_LINE = re.compile(r"^\s*(?:#+\s*)?(?:(\d{1,2})[.、)）]|第\s*([一二两三四五六七八九十]|\d{1,2})\s*步[：:，,]?)\s*(.+)$")
_CITATION = re.compile(r"\[\d+\]")
_INLINE_STEP = re.compile(r"(?:^|(?<=[\s：:；;，,。]))(\d{1,2})[.、)）]\s*([^；;。\n]+)")
_SWITCH = re.compile(r"^(换个问题|换个话题|另外问一下|另外问下|另外|对了|顺便问一下|顺便问下|顺便|再问一个|再问个|新问题|还有个问题)[，,：:\s]*")
_TRIM = " ，,。？?"
# Openings that only continue a previous question ("能缩回去吗", "需要重启吗"); 怎么/如何 also open new ones.
_FOLLOW_START = re.compile(r"^(那|还|也|跟|和|与|是否|需要|要不要|能|可以|会|有没有|是不是)")


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _CN_NUM.get(token, 0)


def previous_steps(answer: str) -> dict[int, str]:
    """Numbered steps of an answer: {1: "检查安全组是否放通 22 端口", ...}."""
    steps: dict[int, str] = {}
    for line in answer.splitlines():
        m = _STEP_LINE.match(line)
        if m:
            n = _number(m.group(1) or m.group(2))
            text = _CITATION.sub("", m.group(3)).strip(" *`：:。")
            if n and text and n not in steps:
                steps[n] = text
    if not steps:  # inline: "排查步骤：1. 确认…；2. 检查…；3. 用 telnet…"
        for m in _INLINE_STEP.finditer(answer):
            steps.setdefault(int(m.group(1)), _CITATION.sub("", m.group(2)).strip(" *`：:。"))
    return steps


def _previous(history: list[dict], terms: DomainTerms, vocab: KBVocabulary | None) -> tuple[str, str]:
    """The previous standalone question (follow-ups resolved in order) and the previous answer."""
    question, answer = "", ""
    for i, msg in enumerate(history):
        if msg.get("role") == "user":
            asked = history[i + 1].get("questions") if i + 1 < len(history) else None
            question = asked[-1] if asked else (
                _rewrite(msg.get("content", ""), question, answer, terms, vocab) if question else msg.get("content", ""))
        elif msg.get("role") == "assistant":
            answer = msg.get("content", "")
            if msg.get("questions") == []:  # a greeting or refusal: nothing to follow up on
                question, answer = "", ""
    return question.strip(_TRIM), answer


def _new_words(question: str, vocab: KBVocabulary | None) -> bool:
    from graph.domain_score import content_tokens

    """Are most of the question's words unknown to the KB (a new topic, e.g. 发票 in a TiDB KB)?"""
    if vocab is None:
        return False
    tokens = content_tokens(question, vocab)
    return bool(tokens) and sum(not vocab.knows(t) for t in tokens) * 2 >= len(tokens)


def _follows_on(question: str, prev_entity: str, vocab: KBVocabulary | None) -> bool:
    """Does a question with its own words belong to the previous subject? (KB co-occurrence)"""
    from graph.domain_score import content_tokens

    own = [t for t in content_tokens(question, vocab) if vocab is None or vocab.knows(t)]
    anchor = content_tokens(prev_entity, vocab)
    if not own or not anchor or set(own) & set(anchor):
        return False
    if vocab is None:
        return len(question) <= 8
    rare = sorted(own, key=vocab.idf, reverse=True)[:2]
    return max(vocab.association(t, anchor) for t in rare) >= FOLLOW_ON_ASSOCIATION


FOLLOW_ON_ASSOCIATION = 0.3
"""Share of a word's chunks that mention the previous subject for the word to count as about it."""


def rewrite_question(question: str, history: list[dict], terms: DomainTerms,
                     vocab: KBVocabulary | None = None) -> str:
    """Deterministic rewrite of one sub-question."""
    switched = _SWITCH.match(question.strip())
    if switched:
        return question.strip()[switched.end():].strip() or question
    prev_q, prev_a = _previous(history, terms, vocab)
    return _rewrite(question, prev_q, prev_a, terms, vocab)


def _rewrite(question: str, prev_q: str, prev_a: str, terms: DomainTerms, vocab: KBVocabulary | None) -> str:
    if not prev_q:
        return question
    entity = terms.phrase(subject_of(prev_q)) or terms.first(prev_q)
    step = _STEP_REF.search(question)
    if step:
        n = _number(step.group(1) or step.group(2))
        text = previous_steps(prev_a).get(n)
        if text:
            rest = question[step.end():].strip(" ，,的")
            prefix = "" if entity and entity.lower() in text.lower() else f"{entity} " if entity else ""
            return f"{prefix}{text}，{rest}".strip("，")
    what_if = _WHAT_IF.match(question.strip())
    new = (what_if.group(1) or what_if.group(2) or "").strip() if what_if else ""
    if new and not _PRONOUN.search(new) and subject_of(new) == new:
        return substitute(prev_q, new, terms)
    if _PRONOUN.search(question[:6]) and entity:
        body = re.sub(r"^(那么|那)\s*", "", question.strip())
        subject = subject_of(prev_q)
        return _PRONOUN.sub(subject if 0 < len(subject) <= 20 else entity, body, count=1)
    if _new_words(question, vocab) and not _FOLLOW_START.match(question.strip()):
        return question  # words the KB has never seen: a new topic, not a follow-up
    if needs_subject(question, terms):
        return attach_subject(subject_of(prev_q), question, entity)
    if entity and len(question.strip(_TRIM)) <= 16 and _follows_on(question, entity, vocab):
        return attach_subject(subject_of(prev_q), question, entity)
    return question


def _model_rewrite(ctx: GraphContext, question: str, history: list[dict]) -> str | None:
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


def rewrite(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    history = list(state.get("messages") or [])[:-1]  # the last one is this turn's message
    vocab = ctx.vocabulary.get(ctx.knowledge, ctx.kb_name(state.get("kb")))
    terms = domain_terms(vocab.lexicon)
    standalone = []
    for q in state.get("sub_questions") or []:
        result = (_model_rewrite(ctx, q, history) if history else None) or rewrite_question(q, history, terms, vocab)
        standalone.append(result)
    return {"standalone": standalone}
