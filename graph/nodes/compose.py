"""compose: one reply for the turn — a section per sub-question, sources listed once.

Citations are renumbered across sections (one number per passage, in order of first
use). Greetings and refusals of the whole message are composed here too. Records the
assistant message in the history and keeps a waiting runbook's state for the resume.
In extractive mode the finished reply is streamed as token events (nothing was
generated earlier); with a model, tokens were streamed by answer/general already.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from graph.bases import several
from graph.context import GraphContext
from graph.investigation.handoff import public_summary
from graph.investigation.loop import waiting_request
from graph.progress import token
from graph.prompts import replies
from graph.refusal import greeting_text, refusal_text
from graph.questions import domain_terms
from graph.repeats import one_subject, without_repeats
from graph.siblings import shares_subject
from graph.result import TurnResult
from graph.schema import Citation, Section, public_citation, public_section
from graph.sentences import renumber
from graph.state import ConversationState
from graph.turns import paused_runbook, turn_decision

_TRIM = " \t\n，,。；;：:？?！!、"


def _own_span(message: str, question: str, after: int = 0) -> tuple[int, int] | None:
    """Where the sub-question's own words stand in the message from `after` on: the longest end of
    the question (the split may have put the first question's subject before it) found there."""
    chars = [(i, ch) for i, ch in enumerate(message) if not ch.isspace() and i >= after]
    flat = "".join(ch for _, ch in chars).lower()
    words = "".join(question.split()).lower().rstrip(_TRIM)
    for start in range(len(words) - min(3, len(words)) + 1):
        at = flat.find(words[start:])
        if at >= 0:
            return chars[at][0], chars[at + len(words) - start - 1][0] + 1
    return None


def asked_words(message: str, questions: list[str]) -> str:
    """The heading of a block answering several sub-questions at once: the user's own words for
    them, once ("带宽最大多少，调的时候会断吗"), not the rewritten questions joined ("X 吗；X 多久…");
    the rewrites joined when the message does not hold them in order."""
    if len(questions) < 2:
        return "；".join(questions)
    found: list[tuple[int, int]] = []
    for q in questions:
        span = _own_span(message, q, found[-1][1] if found else 0)
        if span is None:
            return "；".join(questions)
        found.append(span)
    gaps = [message[a[1]:b[0]] for a, b in zip(found, found[1:])]
    if all(not g.strip(_TRIM) for g in gaps):  # next to each other: one stretch of the message
        return message[found[0][0]:found[-1][1]].strip(_TRIM)
    return "；".join(message[a:b].strip(_TRIM) for a, b in found)


def _key(c: Citation) -> str:
    return c.get("chunk_id") or f"{c.get('source')}#{c.get('text', '')[:40]}"


def merge_citations(sections: list[Section]) -> tuple[list[Section], list[Citation]]:
    """Sections with global citation numbers, and the global source list."""
    numbers: dict[str, int] = {}
    sources: list[Citation] = []
    out: list[Section] = []
    for section in sections:
        mapping: dict[int, int] = {}
        cites: list[Citation] = []
        for c in section.get("citations") or []:
            key = _key(c)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                sources.append({**c, "n": numbers[key]})
            mapping[c["n"]] = numbers[key]
            cites.append({**c, "n": numbers[key]})
        out.append({**section, "answer": renumber(section["answer"], mapping), "citations": cites})
    return out, sources


def sources_block(sources: list[Citation], snippet_chars: int, name_base: bool = False, lang: str | None = "zh") -> str:
    """The trailing source list; with several bases chosen each line names its base (〔base〕)."""
    lines = [f"**{replies(lang)['sources'].strip()}**"]
    for c in sources:
        text = " ".join((c.get("text") or "")[int(c.get("focus") or 0):].split())  # from the line the answer cites
        snippet = ("…" if c.get("focus") else "") + text[:snippet_chars] + ("…" if len(text) > snippet_chars else "")
        base = f"〔{c.get('kb')}〕" if name_base and c.get("kb") else ""
        lines.append(f"[{c['n']}] {base}《{c.get('title') or c.get('source')}》 `{c.get('source')}` — {snippet}")
    return "\n".join(lines)


def _route_of(sections: list[Section]) -> str:
    routes = {s["route"] for s in sections}
    return routes.pop() if len(routes) == 1 else ("mixed" if routes else "knowledge")


def compose_result(ctx: GraphContext, state: ConversationState) -> TurnResult:
    guard = state.get("guard") or {}
    kb = ctx.kb_name(state.get("kb"))
    model = getattr(ctx.llm, "name", "extractive")
    lang = state.get("lang")
    if guard.get("kind") == "greet":
        return TurnResult(answer=greeting_text(ctx, kb, lang), route="greet", model=model)
    if guard.get("kind") == "command":  # a command word while no runbook waits: say so, answer nothing
        return TurnResult(answer=replies(lang)["no_runbook"].strip(), route="runbook", model=model, decision="control")
    if guard.get("kind") == "refuse":
        return TurnResult(answer=refusal_text(ctx, kb, lang), refused=True, route="refuse", model=model)
    sections, sources = merge_citations(sorted(state.get("sections") or [], key=lambda s: s["index"]))
    if len(sections) == 1:
        body = sections[0]["answer"]
    else:
        # a fact two sub-questions share is shown once; short answers about one subject from one page
        # are one block (graph/repeats.py)
        terms = domain_terms(ctx.vocabulary.get(ctx.knowledge, kb).lexicon)
        together = one_subject(sections, lambda later, first: shares_subject(later, first, terms))
        blocks = without_repeats([s["question"] for s in sections], [s["answer"] for s in sections], together)
        message = (state.get("guard") or {}).get("message") or state.get("message") or ""
        body = "\n\n".join(f"**{n}. {asked_words(message, [sections[i]['question'] for i in asked])}**\n{text}"
                           for n, (asked, text) in enumerate(blocks, 1)) if len(blocks) > 1 else blocks[0][1]
        # (one block answers the whole message: no heading, as for a single question)
    parts = [body] if body else []
    if state.get("unanswered"):
        parts.append(replies(lang)["unanswered"].strip().format(
            limit=ctx.settings.max_sub_questions, items="；".join(state["unanswered"])))
    if sources:
        parts.append(sources_block(sources, ctx.settings.snippet_chars, name_base=several(kb), lang=lang))
    knowledge = [s for s in sections if s["route"] == "knowledge"]
    running = next((s["runbook"] for s in sections if s.get("runbook")), None)
    investigation = next((s["investigation"] for s in sections if s.get("investigation")), None)
    paused = state.get("runbook") if running is None else None
    if paused and paused.get("waiting"):  # a question answered while a runbook waits: it keeps waiting
        running = paused_runbook(paused)
        parts.insert(len(parts) - bool(sources), replies(lang)["runbook_paused"].strip().format(  # before the sources
            title=ctx.runbooks.get(paused["runbook_id"]).title if ctx.runbooks is not None else paused["runbook_id"],
            prompt=paused["waiting"].get("prompt", "")))
    waiting_for = state.get("investigation") if investigation is None else None
    request = waiting_request(waiting_for) if waiting_for else None
    if request:  # the same for an investigation waiting for an approval
        parts.insert(len(parts) - bool(sources), replies(lang)["runbook_paused"].strip().format(
            title="模型排查", prompt=request["prompt"]))
    return TurnResult(
        answer="\n\n".join(parts),
        refused=bool(sections) and all(s["route"] == "refuse" for s in sections),
        sub_questions=list(state.get("sub_questions") or []),
        standalone=list(state.get("standalone") or []),
        citations=[public_citation(c) for c in sources],
        grounded=bool(knowledge) and all(s["grounded"] for s in knowledge),
        route=_route_of(sections),
        sections=[public_section(s) for s in sections],
        runbook=running,
        investigation=dict(investigation) if investigation else None,
        tool_calls=[dict(c) for s in sections for inv in [s.get("investigation")] if inv
                    for c in (inv.get("calls") or [])[inv.get("since", 0):]],
        model=model,
        decision=turn_decision(list(state.get("decisions") or []), [s["route"] for s in sections],
                               state.get("decision")),
    )


def compose(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    result = compose_result(ctx, state)
    sections = state.get("sections") or []
    result.trace = {
        **(state.get("trace") or {}),
        "guard": state.get("guard"),
        "routes": state.get("routes") or [],
        "sections": [{"index": s["index"], "route": s["route"], "mode": s.get("mode"), "adapter": s.get("adapter"),
                      "dropped": s.get("dropped", 0), "timings": s.get("timings", {})} for s in sections],
    }
    if not any(s.get("mode") == "model" for s in sections):
        for start in range(0, len(result.answer), 8):
            token(runtime, result.answer[start:start + 8])
    waiting_state = next((s["runbook_state"] for s in sections if s.get("runbook_state")), None)
    waiting_investigation = next((s["investigation_state"] for s in sections if s.get("investigation_state")), None)
    if waiting_investigation is None and not any(s.get("investigation") for s in sections):
        # a turn that did not touch the paused investigation (a question answered meanwhile): it keeps waiting
        waiting_investigation = state.get("investigation")
        if waiting_investigation and result.investigation is None:
            result.investigation = dict(public_summary(waiting_investigation, waiting_request(waiting_investigation)))
    if waiting_state is None and not any(s.get("runbook") for s in sections):
        waiting_state = state.get("runbook")  # paused while a question was answered
        if waiting_state and result.runbook is None:  # a greeting or refusal: the card stays
            result.runbook = paused_runbook(waiting_state)
    return {
        "result": result.to_json(),
        "runbook": waiting_state,
        "investigation": waiting_investigation,
        "messages": [{"role": "assistant", "content": result.answer, "questions": result.standalone,
                      "decision": result.decision, "focus": list(state.get("focus") or [])}],
    }
