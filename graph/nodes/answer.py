"""answer: a cited draft answer for one sub-question from its evidence.

The evidence is select's (graph/evidence.py): whole sections, FAQ entries, a procedure.
Model strategy (generative backend): the `answer` prompt with the same evidence as
numbered knowledge blocks (FAQ entries and document sections labelled apart, each at most
`BLOCK_CHARS`), streamed as token events; a reply that cites nothing, or is empty, falls
back to the extractive strategy. Extractive strategy: graph/extractive.py, composed by
the question's type; a sentence taken from a FAQ entry also cites the page stating the same
fact (graph/faq_sources.py), which joins the passages when the evidence lacked it. No passages
-> an empty draft (verify says so).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import time

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.answer_draft import BUDGET, type_budget
from graph.answer_text import units_text
from graph.aftermath import without_done
from graph.aspect_lines import ChunksOf, with_asked_lines
from graph.action_detail import with_action_details
from graph.asked_cover import with_asked_part
from graph.ask_line import with_ask_line
from graph.bases import page_reader, primary
from graph.extractive import extractive_units
from graph.faq_sources import SEARCH_K, cite_pages
from graph.sibling_answer import own_lines
from graph.model_calls import clean_model_answer, stream_model
from graph.passages import faq_question, location, to_state
from graph.progress import Stage, progress, token
from graph.question_type import asks_place
from graph.relevance import question_terms
from graph.prompts import replies
from graph.sentences import citations_of, split_units, strip_citations
from graph.state import QuestionState
from models.errors import ModelError
from models.llm.base import AdapterChoice



BLOCK_CHARS = 1500
"""Characters of one evidence section shown to the model (a long section is cut at a line end)."""


def _clip(text: str, limit: int = BLOCK_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + "\n…"


def knowledge_blocks(passages: Sequence[Mapping[str, Any]]) -> str:
    """Numbered blocks; FAQ entries show their own question apart from the answer."""
    blocks = []
    for n, p in enumerate(passages, start=1):
        asked = faq_question(p)
        if p.get("kind") == "faq" and asked:
            text = p["text"] if p["text"].lstrip().startswith("问") else f"问：{asked}\n答：{p['text']}"
            blocks.append(f"[{n}]（FAQ）\n{text}")
        else:
            blocks.append(f"[{n}]（文档：{location(p)}）\n{_clip(p['text'])}")
    return "\n\n".join(blocks)


def _adapter(state: QuestionState) -> AdapterChoice:
    """The router's choice for this sub-question (one adapter, a weighted mix, or the base model)."""
    choice: Mapping[str, Any] = (state.get("route") or {}).get("adapter_choice") or {}
    return AdapterChoice(name=choice.get("name"), weights=dict(choice.get("weights") or {}),
                         reason=choice.get("reason", ""))


def model_answer(ctx: GraphContext, runtime: Runtime[GraphContext], state: QuestionState) -> str | None:
    """The model's cited answer, streamed as tokens; None when unusable."""
    passages = state["passages"]
    pieces: list[str] = []
    try:
        with ctx.generation_lock:
            for piece in stream_model(ctx, "answer", adapter=_adapter(state), question=state["standalone"],
                                      knowledge=knowledge_blocks(passages)):
                pieces.append(piece)
                token(runtime, piece, state["index"])
    except ModelError:
        return None
    text = clean_model_answer("".join(pieces))
    cited = {n for unit in split_units(text) for n in citations_of(unit)}
    if not text or not cited or not cited <= set(range(1, len(passages) + 1)):
        return None
    return text


def offer_chars(ctx: GraphContext, state: QuestionState) -> int:
    """Characters of the runbook offer verify appends to this answer (0: none): the reply as a
    whole keeps to the type's budget."""
    hint = (state.get("route") or {}).get("runbook_hint")
    if not hint or ctx.runbooks is None or state.get("qtype") in ("value", "define", "compare"):
        return 0
    return len(replies()["runbook_hint"].strip().format(title=ctx.runbooks.get(hint).title))


def _asked_lines(ctx: GraphContext, state: QuestionState, units: list[dict], evidence: list[dict],
                 pages: ChunksOf) -> tuple[list[dict], list[dict]]:
    """Each ask's command, log, place, prevention or first fix the answer lacks (graph/aspect_lines.py);
    the page is chosen by the whole message (the sibling questions say what a bare ask is about)."""
    found = [dict(p) for p in state.get("retrieved") or [] if p.get("kind") != "faq"] if not units else []
    if not evidence and not found:
        return units, evidence
    kb = ctx.kb_name(state.get("kb"))
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    return with_asked_lines(state["standalone"], units, evidence, lambda text, texts: question_terms(text, "", vocab, texts),
                            pages, siblings=state.get("count", 1),
                            about=" ".join([state["standalone"], *(state.get("siblings") or [])]), found=found,
                            reserve=offer_chars(ctx, state))


def _asked_part(ctx: GraphContext, state: QuestionState, units: list[dict], evidence: list[dict],
                pages: ChunksOf) -> tuple[list[dict], list[dict]]:
    """The cited page's unit naming what the question asks beyond the answer (graph/asked_cover.py), in the
    type's room (a value's, with room for one more line). A follow-up's words are those it was written
    with (its standalone form also carries the thread's); a new question's, its standalone (spelling put right)."""
    if not units:
        return units, evidence
    kb = ctx.kb_name(state.get("kb"))
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    follow_up = state.get("decision") == "follow_up"
    unsaid = "" if follow_up else without_done(state["standalone"])  # a done action is not asked (graph/aftermath.py)
    return with_asked_part(state["standalone"], units, evidence, lambda text, texts: question_terms(text, "", vocab, texts),
                           pages, _room(ctx, state),
                           asked=(state.get("question") or "") if follow_up else
                           (unsaid if unsaid != state["standalone"] else ""))


def _action_details(ctx: GraphContext, state: QuestionState, units: list[dict], evidence: list[dict],
                    pages: ChunksOf) -> tuple[list[dict], list[dict]]:
    """How to do an action the answer only names, from the unit of its page saying it
    (graph/action_detail.py), in the type's room (a value's, with room for the setting it names: the
    detail is what a "在哪配" asks)."""
    qtype = state.get("qtype") or "howto"
    if not units or not (qtype in ("howto", "cause", "symptom") or asks_place(state["standalone"])):
        return units, evidence  # a value, a meaning or a comparison asks no action carried out
    # a first question's done action ("刷新都提交过了，还是旧的") asks no how-to (graph/aftermath.py)
    asked = state["standalone"] if state.get("decision") == "follow_up" else without_done(state["standalone"])
    return with_action_details(asked, units, evidence, pages, _room(ctx, state))


def _own_lines(ctx: GraphContext, state: QuestionState, units: list[dict], passages: list,
               pages: ChunksOf) -> tuple[list[dict], list]:
    """A later ask of the message whose lines are all its first sibling's gets the page's next lines for it
    (graph/sibling_answer.py): compose shows a repeated fact once, which would leave it unanswered."""
    kb = ctx.kb_name(state.get("kb"))
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)

    def extract(question: str, evidence: list[dict]) -> list[dict]:
        own = question == state["standalone"]
        return extractive_units(question, evidence, ctx.settings.answer_max_sentences,
                                query=state.get("query", "") if own else "", vocab=vocab,
                                qtype=state.get("qtype") if own else None,  # type: ignore[arg-type]
                                siblings=state.get("count", 1), reserve=offer_chars(ctx, state), page=pages)

    again = own_lines(state["standalone"], (state.get("siblings") or [""])[0], units, passages, extract)
    return again if again is not None else (units, passages)


def _ask_line(ctx: GraphContext, state: QuestionState, units: list[dict], evidence: list[dict],
              pages: ChunksOf) -> tuple[list[dict], list[dict]]:
    """An ask of a message with several wanting a time, a count or a yes or no its answer does not give: the
    found pages' line giving it leads (graph/ask_line.py)."""
    if state.get("count", 1) < 2 or state.get("decision") == "follow_up":
        return units, evidence
    vocab = ctx.vocabulary.get(ctx.knowledge, ctx.kb_name(state.get("kb")))
    return with_ask_line(state["standalone"], units, evidence, state.get("retrieved") or [],
                           lambda text, texts: question_terms(text, "", vocab, texts), pages)


def _room(ctx: GraphContext, state: QuestionState) -> int:
    """Characters a line added after composition may take: the type's budget, and for a short fact's
    answer (a value, a meaning) half a value's more, room for its condition or the setting it names."""
    qtype = state.get("qtype") or "howto"
    extra = BUDGET["value"] // 2 if qtype in ("value", "define") else 0
    return type_budget(qtype, state.get("count", 1), offer_chars(ctx, state)) + extra


def answer(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    started = time.perf_counter()
    ctx = runtime.context
    passages = state.get("passages") or []
    kb = ctx.kb_name(state.get("kb"))
    pages = page_reader(ctx.knowledge, kb)  # the composition, asked lines and asked part read the same pages
    if not passages:  # nothing selected for a second ask: its line on the page the message is about, if any
        units, evidence = _asked_lines(ctx, state, [], [], pages)
        if units:
            return {"draft": {"units": units, "mode": "extractive", "text": units_text(units)}, "passages": evidence}
        return {"draft": {"units": [], "mode": "none"}}
    progress(runtime, Stage.GENERATE, section=state["index"])
    if ctx.generative:
        text = model_answer(ctx, runtime, state)
        if text:
            units = [{"text": strip_citations(u), "cites": citations_of(u)} for u in split_units(text)]
            return {"draft": {"units": units, "mode": "model"},
                    "timings": {"answer_ms": round((time.perf_counter() - started) * 1000, 2)}}
    passages = list(passages)  # a short answer's passage may be read as its whole section (graph/short_fill.py)
    units = extractive_units(state["standalone"], passages, ctx.settings.answer_max_sentences,
                             query=state.get("query", ""), vocab=ctx.vocabulary.get(ctx.knowledge, kb),
                             qtype=state.get("qtype"), siblings=state.get("count", 1),  # type: ignore[arg-type]
                             reserve=offer_chars(ctx, state),
                             thread_pages=(state.get("prior") or {}).get("sources") or []
                             if state.get("decision") == "follow_up" else (),
                             page=pages)
    if state.get("index", 0) > 0 and state.get("siblings") and state.get("decision") != "follow_up":
        units, passages = _own_lines(ctx, state, units, passages, pages)
    # a FAQ answer cites the page stating the same fact too (graph/faq_sources.py); a new source card
    # only for a question asking a fact: on a how-to it would steer the follow-ups to another page
    units, evidence = cite_pages(units, passages, lambda q: [to_state(p) for p in ctx.knowledge.keyword_search(
        q, primary(kb), SEARCH_K)], state.get("retrieved") or [],
        beyond=state.get("qtype") in ("value", "define", "compare"))
    units, evidence = _asked_lines(ctx, state, units, evidence, pages)
    units, evidence = _asked_part(ctx, state, units, evidence, pages)
    units, evidence = _action_details(ctx, state, units, evidence, pages)
    units, evidence = _ask_line(ctx, state, units, evidence, pages)
    return {"draft": {"units": units, "mode": "extractive", "text": units_text(units)}, "passages": evidence,
            "timings": {"answer_ms": round((time.perf_counter() - started) * 1000, 2)}}
