"""select: keep the best passages above the knowledge layer's threshold, then grow them
into coherent evidence (graph/evidence.py): whole sections, a document's procedure or
causes list, by the question's type (graph/question_type.py). A follow-up about a step of the
previous answer keeps that step's section alone (graph/prior.step_only); one asking a detail of a part
of it (a command, a meaning, a console path: "growpart 后面的参数怎么写") gets the unit of the previous
answer's pages detailing that part, as it is (graph/pointed_unit.py).

The knowledge layer orders passages most relevant LAST (nearest the question in a prompt);
evidence keeps that order. `retrieved` keeps the whole list so a reply without support can
name the nearest; `qtype` tells answer what to compose. A comparison gets the table whose rows
contrast its sides (graph/contrast.py) as its best passage. A sub-question without a strong match
selects again with its sibling sub-questions' passages in view, and a later ask about the first
ask's subject looks on the page the first ask selects first (graph/siblings.py); one still without
a strong match is read with the first ask before it (graph/ask_context.py). A later ask asking a value
by a question word ("…一天能刷几个？配额用光了什么时候恢复") gets the line giving it on the page its first ask
is answered from, when one does (graph/first_ask_page.py). Evidence of FAQ
entries alone for a how-to or a fault gets the retrieved page behind the best entry
(graph/faq_subject.page_behind): the entry says it in short, the page holds the steps. A first question
reporting an action done and what still fails after it ("重置密码以后 还是提示凭据不工作") is led by the section
the base names for that case ("重置后仍然无法登录", graph/aftermath.py). A question of its own asking the rule a thing
must follow ("新密码有什么要求") gets the selected pages' unit stating it, alone (graph/rule_unit.py).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Mapping

from langgraph.runtime import Runtime

from graph.aftermath import AFTERMATH_PAGES, aftermath_section, leading, pages_of, persisting
from graph.ask_context import off_subject, with_first_context
from graph.bases import KBScope, page_chunks, primary, search
from graph.cues import after_openers
from graph.context import GraphContext
from graph.console_path import asks_place, path_passage
from graph.contrast import contrast_table, sides
from graph.crosslingual import judged_text
from graph.definition import definition_passage, side_definitions
from graph.echo import echoed_problem
from graph.evidence import MAX_EVIDENCE, build_evidence, grow, is_on_topic, section_chunks
from graph.expansion import expand_query, synonym_groups
from graph.faq_subject import page_behind
from graph.first_ask_page import first_ask_page, value_kinds
from graph.fix_asked import asks_bare_fix
from graph.followup import FollowUps
from graph.hedge_terms import covered_share, hedge_terms
from graph.heading_section import heading_led
from graph.nodes.verify import HEDGE_FULL
from graph.identifier_anchor import SEARCH_K, CodeLookup, anchored, codes
from graph.line_outdone import pages_lead
from graph.keyed_rows import about_other_keys
from graph.passages import from_state, to_state
from graph.prior import asked_words, own_pages_first, step_only
from graph.observed_cause import observed_cause_first
from graph.reported_result import reported_result_first
from graph.pointed_unit import POINTED, pointed_unit_first
from graph.page_bound import page_bound
from graph.prior_scan import PRIOR_PAGE, page_line, prior_page_chunks, prior_page_first
from graph.referent import referent_first
from graph.rule_unit import rule_unit_first
from graph.restated import without_restated
from graph.problem_pool import problem_page_first
from graph.question_type import asks_for_steps, question_type
from graph.questions import domain_terms
from graph.relevance import question_terms, with_context
from graph.schema import PassageData
from graph.siblings import names_only, own_titled, sibling_pool, shares_subject, subject_pages, weak
from graph.state import QuestionState
from graph.thread import decode_focus
from graph.value_reach import REACH, farther_value, with_farther
from graph.variant_unit import variant_unit_first
from graph.vocabulary import KBVocabulary
from knowledge.errors import KnowledgeError


def select(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    kb = ctx.kb_name(state.get("kb"))
    judged = judged_text(ctx, state["standalone"], kb)
    alternatives = synonym_groups(judged)  # what the search added for its colloquial words

    def choose_for(text: str, passages: list) -> list:
        judged_by = judged if text == state["standalone"] else judged_text(ctx, text, kb)
        picked = ctx.knowledge.select(judged_by, [from_state(p) for p in passages], max_passages=ctx.settings.max_passages,
                                      alternatives=alternatives if text == state["standalone"] else synonym_groups(judged_by))
        # an error-code table answers only a question naming one of its codes (graph/keyed_rows.py)
        return [d for d in map(to_state, picked) if not about_other_keys(text, d)]

    def choose(passages: list) -> list:
        return choose_for(state["standalone"], passages)

    chosen = choose(state.get("passages") or [])

    searched = state.get("searched") or {}

    def find(text: str) -> list:
        query = expand_query(ctx, text, kb)
        known = searched.get(query)
        return known if known is not None else [to_state(p) for p in search(ctx.knowledge, query, kb,
                                                                             ctx.settings.retrieve_k)]

    if state.get("siblings") and weak(chosen) and decode_focus(state.get("focus") or "")[0] != "item":
        # a comma-joined ask: its sibling's pages may answer it (graph/siblings.py)
        again = choose(sibling_pool(list(state.get("passages") or []), state.get("siblings") or [], find))
        # a strong match of the siblings' pool on a page not naming what this ask names is the
        # sibling's subject ("关机" matched a disk page for "关机以后内网ip会变吗"): its own partial ones stay
        if not chosen or not (weak(again) or off_subject(again, state["standalone"], lambda p: _page_text(ctx, kb, p),
                                                          domain_terms(ctx.vocabulary.get(ctx.knowledge, kb).lexicon))):
            chosen = again
    if state.get("index", 0) > 0 and state.get("siblings") and state.get("decision") != "follow_up":
        # "续了以后 clb 上还是旧的要咋换": read with the first ask it leaves its object to (graph/ask_context.py)
        chosen = with_first_context(chosen, (state.get("siblings") or [""])[0], state["standalone"],
                                    list(state.get("passages") or []), find, choose_for, lambda p: _page_text(ctx, kb, p),
                                    domain_terms(ctx.vocabulary.get(ctx.knowledge, kb).lexicon), ctx.settings.max_passages,
                                    _holds_ask(ctx, kb, state["standalone"]))
    if state.get("index", 0) > 0 and state.get("siblings") and state.get("decision") != "follow_up" and chosen:
        chosen = _subject_page_first(ctx, kb, state, chosen, find, choose)
    if state.get("index", 0) > 0 and state.get("siblings") and state.get("decision") != "follow_up" \
            and value_kinds(state.get("question") or state["standalone"]):
        # "…一天能刷几个？配额用光了什么时候恢复": the line of the first ask's page giving the asked kind
        chosen = _first_ask_line(ctx, kb, state, chosen, find)
    step = None
    kind, item = decode_focus(state.get("focus") or "")
    prior = state.get("prior") or {}
    if state.get("decision") == "follow_up" and kind not in ("item", "named") and prior and chosen:
        vocab = ctx.vocabulary.get(ctx.knowledge, kb)
        asked, _ = asked_words(state.get("question") or "", state["standalone"], prior, vocab)
        chosen = own_pages_first(chosen, state.get("passages") or [], prior, asked, vocab, choose)
    if _on_thread(state) and kind not in ("item", "named") and prior:
        prior_pages = functools.cache(lambda s: page_chunks(ctx.knowledge, kb, s))  # all read them whole: once
        question, thread_vocab, base, retrieved = (state.get("question") or "", ctx.vocabulary.get(ctx.knowledge, kb),
                                                   primary(kb) or "", state.get("passages") or [])
        # "一天最多能刷几条": the page the conversation is on, when a sentence of it gives the asked value
        # (a short new question naming only what those pages write is asked of them too: graph/page_bound.py)
        bound = state.get("decision") == "new_topic" and page_bound(
            question, FollowUps.for_context(ctx, kb), prior_page_chunks(prior.get("sources") or [], prior_pages))
        chosen = prior_page_first(chosen, question, state["standalone"], prior, prior_pages, thread_vocab, base, retrieved,
                                  follow_up=state.get("decision") == "follow_up" or bound)
        # "growpart 后面的参数怎么写": the unit of those pages detailing the part it points at (graph/pointed_unit.py)
        chosen = pointed_unit_first(chosen, question, prior, prior_pages, thread_vocab, base, retrieved,
                                    follow_up=state.get("decision") == "follow_up")
        if state.get("decision") == "follow_up" and kind == "swap":
            # "那包年包月的呢": the unit of those pages naming the variant swapped in (graph/variant_unit.py)
            chosen = variant_unit_first(chosen, question, state["standalone"], item, prior, prior_pages, base, retrieved)
        if state.get("decision") == "follow_up" and kind == "unit":
            # "私钥权限那条 改成多少": the unit its standalone was built on (graph/referent.py)
            chosen = referent_first(chosen, question, prior, prior_pages, thread_vocab, base, retrieved)
    if state.get("decision") == "follow_up" and kind == "item":  # "第二步具体怎么写": that step alone
        step = step_only(chosen, state.get("passages") or [], item, state.get("question") or "")
    qtype = question_type(state["standalone"])
    vocab = ctx.vocabulary.get(ctx.knowledge, kb) if chosen else None
    terms = question_terms(state["standalone"], state.get("query", ""), vocab, [p["text"] for p in chosen])

    def chunks_of(base: str, source: str) -> list:
        return ctx.knowledge.document_chunks(base or primary(kb) or "", source)

    if step is None and chosen and not any((p.get("meta") or {}).get(POINTED) for p in chosen):
        # a problem reported, only reference units selected (graph/problem_pool.py); a unit pointed at stays alone
        chosen = problem_page_first(chosen, state.get("passages") or [], terms, qtype, _doc_chunks(chunks_of),
                                    ctx.settings.max_passages, state["standalone"])
    if qtype == "compare" and chosen and step is None:
        table = contrast_table(sides(state["standalone"], terms.own().weights),
                               [*reversed(chosen), *(state.get("passages") or [])], chunks_of)
        if table is not None and all(p["chunk_id"] != table["chunk_id"] for p in chosen):
            chosen = _leading(chosen, table, ctx.settings.max_passages)
        elif table is None:
            # "nat 网关和 eip 有啥区别" with no page contrasting them: what each side is (graph/definition.py)
            for side in side_definitions(state["standalone"], [*reversed(chosen), *(state.get("passages") or [])],
                                         chunks_of):
                chosen = _leading(chosen, side, ctx.settings.max_passages)
    if qtype == "value" and asks_place(state["standalone"]) and chosen and step is None:
        # "白名单在控制台哪加": the section giving the console path (graph/console_path.py)
        path = path_passage(terms, chosen, chunks_of, state.get("passages") or [])
        asked = state.get("question") or ""
        if path is None and asked and asked != state["standalone"]:
            # "白名单在哪配" after "安全组放通了 3306 还是连不上 rds": the words carried into its standalone (安全组, 3306)
            # are not what is to be found; the follow-up's own words are
            path = path_passage(question_terms(asked, asked, vocab, [p["text"] for p in chosen]), chosen, chunks_of,
                                state.get("passages") or [], thread=terms)
        if path is not None and all(p["chunk_id"] != path["chunk_id"] for p in chosen):
            chosen = _leading(chosen, path, ctx.settings.max_passages)
    if qtype == "define" and step is None:  # "eip 到底是个什么": the found pages' sentence saying what it is
        defining = definition_passage((state["standalone"], state.get("question") or ""),
                                      [*reversed(chosen), *(state.get("passages") or [])], chunks_of)  # (graph/definition.py)
        if defining is not None:
            chosen = _leading(chosen, defining, ctx.settings.max_passages)
    if step is None and chosen and kind not in ("item", "named"):
        # "Slave_SQL_Running 那栏是 No": the pages' line conditioned on the result reported (graph/reported_result.py)
        chosen = reported_result_first(chosen, state.get("question") or state["standalone"],
                                       (prior.get("sources") or []) if state.get("decision") == "follow_up" else [],
                                       lambda s: page_chunks(ctx.knowledge, kb, s), ctx.vocabulary.get(ctx.knowledge, kb),
                                       primary(kb) or "", state.get("passages") or [])
    if step is None and chosen and state.get("decision") != "follow_up" and qtype in ("cause", "symptom") \
            and not any((p.get("meta") or {}).get(POINTED) or (p.get("meta") or {}).get(PRIOR_PAGE) for p in chosen):
        # "cpu 每天凌晨两点冲到 100%": the cause of the page its observation points at, with its fix (graph/observed_cause.py)
        chosen = observed_cause_first(chosen, state["standalone"], lambda s: page_chunks(ctx.knowledge, kb, s),
                                      ctx.vocabulary.get(ctx.knowledge, kb), primary(kb) or "", state.get("passages") or [])
    if step is None and chosen and state.get("decision") != "follow_up" \
            and not any((p.get("meta") or {}).get(POINTED) or (p.get("meta") or {}).get(PRIOR_PAGE) for p in chosen):
        # "新密码有什么要求": the selected pages' unit stating the rule asked, not a line mentioning it (graph/rule_unit.py)
        chosen = rule_unit_first(chosen, state["standalone"], lambda s: page_chunks(ctx.knowledge, kb, s),
                                 primary(kb) or "", state.get("passages") or [])
    if any((p.get("meta") or {}).get(POINTED) or (p.get("meta") or {}).get(PRIOR_PAGE) for p in chosen):
        # the unit pointed at, or the thread page's line giving the asked kind (graph/prior_scan.py), as it is:
        # grown to its section, the section's other values of that kind would be quoted beside it
        evidence = [dict(p) for p in chosen]
    elif step is not None:  # the step's whole section; no procedure, other section or fix table added
        ids = {str(p.get("chunk_id") or "") for p in step}
        evidence = [grow(dict(p), chunks_of(p.get("kb") or "", p.get("source") or ""), ids) for p in step]
    else:
        # a first question's fix is its page's solution (graph/fix_asked.py), and so is a follow-up asking nothing but
        # the fix ("…链不完整是啥意思" -> "怎么补")
        new = state.get("decision") != "follow_up" or asks_bare_fix(state.get("question") or "")
        evidence = build_evidence(chosen, chunks_of, qtype, terms, wants_steps=asks_for_steps(state["standalone"]),
                                  question=state["standalone"], new_question=new)
        said = (state.get("question") or "") if state.get("decision") == "follow_up" else state["standalone"]
        if qtype == "howto" and echoed_problem(evidence, said, terms):
            # "…网站打不开了 咋整" met by the page's symptom lines: answered as the problem reported (graph/echo.py);
            # a follow-up restates only what it says itself ("我是 windows，咋查 NS" asks a step of the thread's problem)
            qtype = "symptom"
            evidence = build_evidence(chosen, chunks_of, qtype, terms, question=state["standalone"])
        entries = [p for p in evidence if p.get("kind") == "faq" and is_on_topic(terms, p)]
        page = page_behind(entries[-1], state.get("passages") or []) if entries and len(entries) == len(evidence) \
            and qtype in ("howto", "cause", "symptom") else None
        if page is not None:  # FAQ entries alone answer a how-to in short: the page behind the best gives the steps
            evidence = build_evidence([dict(page), *chosen], chunks_of, qtype, terms,
                                      wants_steps=asks_for_steps(state["standalone"]), question=state["standalone"],
                                      new_question=new)
        # an overview's lines restating the page that treats the case are read on that page (graph/restated.py)
        evidence = without_restated(evidence, terms, lambda p: _page_text(ctx, kb, p))
        if state.get("decision") != "follow_up" and qtype in ("howto", "cause", "symptom") \
                and persisting(state["standalone"]) is not None:
            # "重置密码以后 还是提示凭据不工作": the section named for what stays after the action leads (graph/aftermath.py)
            pages = pages_of([*reversed(evidence), *reversed(state.get("passages") or [])], _doc_chunks(chunks_of),
                             AFTERMATH_PAGES)
            evidence = leading(evidence, aftermath_section(state["standalone"], pages, terms), MAX_EVIDENCE)
        if state.get("decision") != "follow_up" and qtype in ("howto", "cause", "symptom"):
            # the evidence page's section whose heading names what the question singles out leads (graph/heading_section.py)
            evidence = heading_led(evidence, terms, _doc_chunks(chunks_of), MAX_EVIDENCE)
        # a question naming an error code: the units about that code lead (graph/identifier_anchor.py)
        lookup = _code_lookup(ctx, kb, chunks_of)
        selected, evidence = evidence, anchored(state.get("question") or state["standalone"], evidence, lookup)
        if codes(state.get("question") or state["standalone"], lookup.occurs):
            # a section covering the code's case clearly better leads over its one-line row or entry
            evidence = pages_lead(evidence, selected, terms)  # (graph/line_outdone.py)
        if qtype == "value" and evidence and not asks_place(state["standalone"]) and state.get("decision") != "follow_up":
            # the asked number on a page ranked further down, when the evidence states none about it (graph/value_reach.py);
            # a follow-up stays on its conversation's pages (graph/prior_scan.py)
            far = farther_value(evidence, terms, state["standalone"], lambda: [to_state(p) for p in search(
                ctx.knowledge, state.get("query") or state["standalone"], kb, REACH)], chunks_of)
            evidence = evidence if far is None else with_farther(evidence, far, state["standalone"])
    return {"retrieved": state.get("passages") or [], "passages": evidence, "qtype": qtype}


def _leading(chosen: list, passage: PassageData, limit: int) -> list:
    """The selection led by `passage` (most relevant last, in place of a passage of the same chunk), at most
    `limit` passages."""
    others = [p for p in chosen if p["chunk_id"] != passage["chunk_id"]]
    return [*others[-(limit - 1):], passage] if limit > 1 else [passage]


def _doc_chunks(chunks_of: Callable[[str, str], list]) -> Callable[[Mapping[str, Any]], list]:
    """passage -> its document's chunks, each document read once ([] once deleted since it was found)."""
    read: dict[tuple[str, str], list] = {}

    def chunks(passage: Mapping[str, Any]) -> list:
        key = (str(passage.get("kb") or ""), str(passage.get("source") or ""))
        if key not in read:
            try:
                read[key] = chunks_of(*key)
            except KnowledgeError:
                read[key] = []
        return read[key]
    return chunks


def _page_text(ctx: GraphContext, kb: KBScope, passage: Mapping) -> str:
    """A passage's whole page (an FAQ entry's own text: the file holds many subjects)."""
    if passage.get("kind") == "faq":
        return str(passage.get("text") or "")
    chunks = page_chunks(ctx.knowledge, kb, str(passage.get("source") or ""), str(passage.get("kb") or ""))
    return " ".join(str(c.get("text") or "") for c in chunks) or str(passage.get("text") or "")


def _code_lookup(ctx: GraphContext, kb: KBScope, chunks_of: Callable[[str, str], list]) -> CodeLookup:
    """The turn's base as error-code anchoring reads it (graph/identifier_anchor.py)."""

    def search(ident: str) -> list[PassageData]:
        return [to_state(p) for p in ctx.knowledge.keyword_search(ident, primary(kb), SEARCH_K)]

    def section(passage: Mapping[str, Any]) -> list[str]:
        return _section_texts(chunks_of(passage.get("kb") or "", passage.get("source") or ""), passage)

    def occurs(word: str) -> int:
        return _chunks_naming(ctx.vocabulary.get(ctx.knowledge, kb), word)

    return CodeLookup(search, section, occurs)


def _section_texts(chunks: list, passage: Mapping[str, Any]) -> list[str]:
    """The texts of the passage's section, in order."""
    return [str(c.get("text") or "") for c in section_chunks(passage, chunks)]


def _chunks_naming(vocab: KBVocabulary, ident: str) -> int:
    """Chunks of the base holding the identifier: its rarest index token ("DNS.RecordConflict" is
    indexed whole and in parts)."""
    return min((vocab.doc_freq(t) for t in vocab.tokenize(ident)), default=0)


def _holds_ask(ctx: GraphContext, kb: KBScope, asked: str) -> Callable[[Mapping], bool]:
    """Whether a passage (with where it sits) holds the ask's own words as fully as an answer needing no
    "partial match" lead-in does (graph/nodes/verify.HEDGE_FULL of graph/hedge_terms' weighted words)."""
    weighted = hedge_terms(question_terms(asked, "", ctx.vocabulary.get(ctx.knowledge, kb)), asked)
    return lambda p: weighted.total > 0 and covered_share(weighted, with_context(p, via=False)) >= HEDGE_FULL


def _on_thread(state: QuestionState) -> bool:
    """A follow-up, or a question of its own that opened with no switch (另外, 顺便问下): the page the
    conversation is on may answer it ("一个网卡最多绑几个安全组" after the security-group page)."""
    decision = state.get("decision")
    return decision == "follow_up" or (decision == "new_topic" and not after_openers(state.get("question") or ""))


def _subject_page_first(ctx: GraphContext, kb: KBScope, state: QuestionState, chosen: list,
                        find: Callable[[str], list], choose: Callable[[list], list]) -> list:
    """A later ask about the first ask's subject looks on the first ask's own page first
    (graph/siblings.py), as a follow-up looks on the previous answer's pages."""
    first, asked = (state.get("siblings") or [""])[0], state["standalone"]
    vocab = ctx.vocabulary.get(ctx.knowledge, kb)
    terms = domain_terms(vocab.lexicon)
    if not shares_subject(asked, first, terms):
        return chosen
    found = find(first)
    picked = [to_state(p) for p in ctx.knowledge.select(judged_text(ctx, first, kb), [from_state(p) for p in found],
                                                        max_passages=ctx.settings.max_passages)]
    pages = subject_pages(picked)[:1]
    if not pages:
        return chosen
    others = [str(p.get("title") or "") for p in chosen if p.get("source") not in pages and p.get("kind") != "faq"]
    base = next((p.get("kb") for p in found if p.get("source") in pages), "") or primary(kb) or ""
    page_text = " ".join(c.get("text") or "" for c in ctx.knowledge.document_chunks(base, pages[0]))
    if own_titled(asked, first, others, terms) or not names_only(asked, page_text, terms):
        return chosen
    pool = sibling_pool(list(state.get("passages") or []), [first], lambda _: found)
    if weak(chosen) and not [t for t in terms.phrase(asked).lower().split() if t not in first.lower()]:
        # "能改成更长的吗" names no thing beyond its sibling's and found only partial matches: it asks about
        # the sibling's page (when that page matches it at all)
        again = choose([p for p in pool if p.get("source") in pages and p.get("kind") != "faq"])
        if any((p.get("meta") or {}).get("match") for p in again):
            return again
    return own_pages_first(chosen, pool, {"sources": pages, "question": first}, asked, vocab, choose)


def _first_ask_line(ctx: GraphContext, kb: KBScope, state: QuestionState, chosen: list,
                    find: Callable[[str], list]) -> list:
    """A later ask asking a kind of value reads the page its message's first ask is answered from, as a
    follow-up reads the page the conversation is on (graph/first_ask_page.py)."""
    first = (state.get("siblings") or [""])[0]
    found = find(first)
    picked = [to_state(p) for p in ctx.knowledge.select(judged_text(ctx, first, kb), [from_state(p) for p in found],
                                                        max_passages=ctx.settings.max_passages)]
    pages = first_ask_page(picked)
    if not pages:
        return chosen
    asked, vocab = state.get("question") or state["standalone"], ctx.vocabulary.get(ctx.knowledge, kb)
    titles = {str(p.get("source")): str(p.get("title") or "") for p in found if p.get("source")}
    line = page_line(asked, state["standalone"], pages, lambda s: page_chunks(ctx.knowledge, kb, s), vocab,
                     primary(kb) or "", [*(state.get("passages") or []), *found], titles,
                     said_before=first, kinds=value_kinds(asked))
    if line is None or not is_on_topic(question_terms(state["standalone"], state.get("query", ""), vocab,
                                                      [line["text"]]), line):
        return chosen  # a line off what the standalone ask names would be dropped as unsupported
    return [line]
