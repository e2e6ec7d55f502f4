"""verify: check each answer unit against the passages it cites and against the question.

Two checks per unit (sentence, list item, command), the same for extractive and model
answers: SUPPORT = the best over its cited passages (all passages when it cites none) of
lexical recall (share of its content tokens found in the passage) and, for model answers
with an embedder, embedding similarity — below `verify_min_support` it is unsupported
(with `verify_model_judge` the model gets the last word); ON TOPIC = the unit, read where
it sits (title, heading, FAQ question of its passage), covers enough of the question
(graph/relevance.on_topic) — a CLB timeout sentence in an SSH answer is not, however well
its passage is cited; the sentences of one extractive block (a sentence and the "否则…" going on
from it) are on topic together. Failing units are dropped (or marked when `verify_drop_unsupported`
is off). The section is `grounded` ("引用已核验" in the UI) only when every unit it shows
is supported and on topic. Nothing left -> "not covered" plus the nearest passages found.
Citations are renumbered in order of first use, so the section shows only what it cites.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import math
import re

from langgraph.runtime import Runtime

from graph.bases import page_reader
from graph.context import GraphContext
from graph.doc_units import display_text
from graph.fix_asked import problem_text
from graph.domain_score import content_tokens
from graph.expansion import synonym_groups
from graph.example_config import without_examples, without_printed_lines
from graph.answer_text import renumber_items, units_text, without_emptied_steps, without_pointers
from graph.model_calls import ask_model
from graph.passages import focus_of, hedge, missing_terms
from graph.problem_pool import table_led
from graph.progress import Stage, progress
from graph.prompts import replies
from graph.asked_kind import asked_kinds
from graph.hedge_terms import asks_only_unknown, covered_share, hedge_terms, named_only, specific_only
from graph.repeats import once
from graph.runbook_offer import offer_fits, offered_before
from graph.relevance import QuestionTerms, context_of, coverage, found, names_entity, question_terms, with_context
from graph.evidence import thread_line
from graph.topic import leading, on_topic_here
from graph.value_scan import asked_quantity, counted_thing, own_numbers, without_asking
from graph.schema import Citation, make_section
from graph.spelling import SpellingFixer
from graph.state import QuestionState

DENSE_FLOOR = 0.70
"""Embedding similarity that counts as no support at all (e5-style models rarely go below)."""


def lexical_support(unit: str, passage_text: str) -> float:
    """Share of the unit's words found in the passage (substring match, so jieba's cuts do not matter)."""
    tokens = set(content_tokens(unit))
    if not tokens:
        return 1.0
    low = passage_text.lower()
    return sum(1 for t in tokens if t in low) / len(tokens)


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a)) or 1.0
    nb = math.sqrt(sum(y * y for y in b)) or 1.0
    return dot / (na * nb)


def _dense_supports(ctx: GraphContext, units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]]) -> list[list[float]] | None:
    if ctx.embedder is None or not units:
        return None
    vectors = ctx.embedder.embed_passages([u["text"] for u in units] + [p["text"] for p in passages])
    unit_vecs, passage_vecs = vectors[: len(units)], vectors[len(units):]
    return [[max(0.0, (_cosine(u, p) - DENSE_FLOOR) / (1 - DENSE_FLOOR)) for p in passage_vecs] for u in unit_vecs]


def _judge(ctx: GraphContext, unit: str, evidence: str) -> bool | None:
    if not (ctx.settings.verify_model_judge and ctx.generative):
        return None
    out = (ask_model(ctx, "verify", max_tokens=12, sentence=unit, evidence=evidence) or "").strip().upper()
    if out.startswith("SUPPORTED"):
        return True
    if out.startswith("UNSUPPORTED") or out.startswith("NOT"):
        return False
    return None


def check_units(ctx: GraphContext, units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]], use_dense: bool,
                terms: QuestionTerms | None = None) -> list[dict]:
    """Units with `support`, `supported` and `on_topic` filled; uncited supported units get their best source."""
    dense = _dense_supports(ctx, units, passages) if use_dense else None
    lead = leading(terms, passages) if terms is not None else None
    under_headings = [_with_headings(p) for p in passages]  # each passage read once, not once per unit
    checked = []
    for i, unit in enumerate(units):
        cites = [n for n in unit.get("cites", []) if 1 <= n <= len(passages)]
        pool = cites or list(range(1, len(passages) + 1))
        scores = {n: lexical_support(unit["text"], under_headings[n - 1]) for n in pool}
        if dense is not None:
            scores = {n: max(s, dense[i][n - 1]) for n, s in scores.items()}
        best = max(scores, key=lambda n: scores[n]) if scores else None
        support = scores[best] if best else 0.0
        supported = support >= ctx.settings.verify_min_support
        if not supported and best is not None:
            verdict = _judge(ctx, unit["text"], passages[best - 1]["text"])
            supported = bool(verdict)
        cited = cites or ([best] if supported and best else [])
        topical = _topical(unit, terms, passages[cited[0] - 1] if cited else None, bool(cited) and cited[0] == lead)
        checked.append({**unit, "cites": cited, "support": round(support, 3), "supported": supported,
                        "on_topic": topical})
    # sentences composed as one block ("…读取 X-Forwarded-Proto。否则…循环") stand or fall together;
    # list items keep their own verdict (a causes list is narrowed to what was asked)
    together = {u["group"] for u in checked if u.get("group") is not None and u["on_topic"]
                and u.get("block") == "sentence"}
    return [{**u, "on_topic": True} if u.get("block") == "sentence" and u.get("group") in together else u
            for u in checked]


def _with_headings(passage: Mapping[str, Any]) -> str:
    """The passage's text under its heading path: a lead-in the answer makes of a step's heading ("用 -v 查看详细
    过程：" before the command) is the document's own words, though the chunk's text starts below the heading."""
    heads = [str(h) for h in passage.get("heading_path") or [] if h]
    return "\n".join([*heads, str(passage.get("text") or "")])


def _topical(unit: Mapping[str, Any], terms: QuestionTerms | None, passage: Mapping[str, Any] | None,
             lead: bool = False) -> bool:
    """Code, the numbered steps of a procedure, and the lines of a step or entry given whole are
    judged with the lines (the heading) they belong to."""
    if terms is None or unit.get("block") in ("code", "step") or unit.get("with_heading") \
            or unit["text"].lstrip().startswith("```"):
        return True
    if passage is not None and thread_line(passage):
        return True  # the thread page's line chosen for the asked kind (graph/prior_scan.py) is its answer
    return on_topic_here(terms, unit["text"], passage, lead)


_REFERS_BACK = re.compile(r"^(该|此|这|上述|以上|其)")
_SUB_HEADING = re.compile(r"^\*\*[^*]+\*\*[：:]$")


def without_dangling_leadins(units: list[dict]) -> list[dict]:
    """Without a lead-in ("你需要检查…是否相同：", "例如：") whose list, rows or command were all
    dropped; one that the next sentence refers back to ("处理 CredSSP 错误：" before "该错误说明…")
    is what that sentence is about and stays, and a bold sub-heading ("**方式二：sscli**：") stays
    while something of its own follows it (never a heading without its content)."""
    out = []
    for i, u in enumerate(units):
        if u.get("block") == "leadin":
            follows = units[i + 1] if i + 1 < len(units) else None
            heading = bool(_SUB_HEADING.match(u.get("text") or ""))
            if follows is None or (follows.get("group") != u.get("group") and not heading and not (
                    follows.get("block") == "sentence" and _REFERS_BACK.match(follows.get("text") or ""))) \
                    or follows.get("block") not in ("item", "row", "code", "sentence") \
                    or (heading and _SUB_HEADING.match(follows.get("text") or "")):
                continue
        out.append(u)
    return out


def renumbered(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]],
               terms: QuestionTerms | None = None) -> tuple[list[dict], list[Citation]]:
    """Units with citations renumbered by first use, and the cited passages in that order (shown
    as their cards show them, with how much of the question each covers)."""
    order: list[int] = []
    for unit in units:
        for n in unit["cites"]:
            if n not in order:
                order.append(n)
    mapping = {old: new for new, old in enumerate(order, start=1)}
    out_units = [{**u, "cites": [mapping[n] for n in u["cites"]]} for u in units]
    shown = {old: display_text(passages[old - 1].get("text") or "", passages[old - 1].get("kind") or "doc")
             for old in order}
    cited: list[Citation] = [{"n": mapping[old], **passages[old - 1],  # type: ignore[typeddict-item]
              "text": shown[old],
              "focus": focus_of(shown[old], [u["text"] for u in units if old in u["cites"]]),
              **({"relevance": round(coverage(terms, f"{context_of(passages[old - 1], via=False)} "
                                                     f"{passages[old - 1].get('text') or ''}"), 2)}
                 if terms is not None and terms.total else {})}
             for old in order]
    return out_units, cited


HEDGE_FULL = 0.8
"""Share of the question's specificity-weighted words (graph/hedge_terms) a cited passage must hold
for the answer to need no "partial match" lead-in."""
_VALUE = re.compile(r"\d")
_YES_NO = re.compile(r"[吗么][？?\s]*$|能不能|能否|可不可以|会不会|要不要|是否|行不行")
"""A yes-or-no question: the sentence on its topic is the answer, whatever words the user said it in."""


def _covered_by(terms: QuestionTerms, asked: str, qtype: str | None, units: Sequence[Mapping[str, Any]],
                page: Callable[[Mapping[str, Any]], str] | None = None):
    """How much of what the user asked (their own words, weighted by how specific they are) a cited
    passage holds; a value question answered with a value needs only its topic words (and the things
    it names), one asking yes or no only the things it names; not the asking or spoken words around them.
    A section of a troubleshooting page is read with what `page` gives of it (graph/fix_asked.problem_text):
    the question is about the page's problem, which its causes and fixes do not restate. A colloquial word
    is held where the passage writes the documentation's term for it (graph/synonyms.yaml), as selection
    credits it."""
    weighted = hedge_terms(terms, asked)
    valued = qtype == "value" and any(_VALUE.search(u.get("text") or "") for u in units[:2])
    # the answer opens with a quantity of the kind asked (graph/value_scan.py): the page states the value
    quantity = asked_quantity(asked or "") if qtype == "value" and units else None
    states = quantity is not None and quantity.held(units[0].get("text") or "", own_numbers(asked or ""))
    named = named_only(weighted) if qtype == "value" and _YES_NO.search(asked or "") else []
    topic = specific_only(weighted)
    said = synonym_groups(asked or "")  # the documentation's terms for the user's colloquial words ("停机": 停服)
    codes = [c for c in weighted.codes() if re.search(r"[a-z]", c)]  # an error code or key, not a bare number

    def covered(p: Mapping[str, Any]) -> float:
        # the names a page declares for itself (front-matter tags: "NET::ERR_CERT_COMMON_NAME_INVALID") are its words
        tags = " ".join(str(t) for t in (p.get("meta") or {}).get("doc_tags") or [])
        text = f"{with_context(p, via=False)} {tags}"
        if page is not None:  # a troubleshooting page's problem, which its causes and fixes do not restate
            text = f"{text} {page(p)}"
        if not names_entity(weighted, text):
            return 0.0
        if valued and (topic.total <= 0 or covered_share(topic, text, said) >= 0.99):
            return 1.0
        if states and covered_share(without_asking(topic), text, said) >= VALUE_TOPIC:
            return 1.0
        share = covered_share(weighted, text, said) if weighted.total > 0 else 1.0
        if weighted.total > 0 and not coverage(terms.own(), f"{context_of(p, via=False)} {tags}"):
            share = min(share, ASIDE_COVER)  # its page is about another thing: the asked words are an aside in it
        if named and share >= CODE_COVER and all(found(t, text.lower()) for t in named):
            return 1.0  # a yes or no about the things it names, answered by the page naming them all
        low = text.lower()
        if codes and all(found(c, low) for c in codes) and share >= CODE_COVER:
            return 1.0  # the page of the very error code the user quotes
        if share >= TITLED_COVER and covered_share(weighted, str(p.get("title") or ""), said) >= TITLE_SUBJECT:
            return 1.0  # the page titled with what the question is about, its section holding most of the rest
        return share
    return covered


VALUE_TOPIC = 0.5
"""Share of a value question's topic words a cited passage must hold to need no hedge when the answer opens
with a quantity of the asked kind: the user's story words ("加到后面就报超限了") are no gap of the answer."""
CODE_COVER = 0.5
"""Share of the question a passage holding every error code the question quotes must cover to need no hedge."""
TITLE_SUBJECT = 0.4
"""Share of the question's weighted words a page's title must hold to be titled with what the question is about
("集群资源不够 pod 起不来一直 pending 咋扩容": 《Pod 一直处于 Pending》): the words it lacks are the user's setting."""
TITLED_COVER = 0.6
"""Share of the question a passage of a page titled with its subject must hold to need no hedge."""
ASIDE_COVER = 0.5
"""The most a passage counts as covering when its page (title, headings, tags) names none of the question's words."""


PROCEDURE_COVER = 0.5
"""Share of the question's weighted words a passage whose numbered procedure the answer gives whole
(and whose title or headings name the asked action) must hold for a how-to answer to need no
"partial match" lead-in."""
_NUMBERED = re.compile(r"^\d{1,2}\. ")


_ACTION = re.compile(r"(?:怎么|怎样|如何|咋)(?:样|么)?(?:才能|可以|能|去|来|要|进行)?([\u4e00-\u9fff]{2})")


def _asked_action(question: str) -> str:
    """The action a how-to asks about ("咋刷新" -> "刷新"), "" when none is written."""
    m = _ACTION.search(question)
    return m.group(1) if m else ""


def _procedures(units: Sequence[Mapping[str, Any]]) -> set[int]:
    """Citation numbers of the passages the answer gives a numbered procedure of (two steps or more)."""
    counts: dict[int, int] = {}
    for u in units:
        if u.get("block") in ("item", "step") and _NUMBERED.match(u.get("text") or ""):
            for n in u.get("cites") or []:
                counts[n] = counts.get(n, 0) + 1
    return {n for n, k in counts.items() if k >= 2}


def asked_unsaid(asked: str, units: Sequence[Mapping[str, Any]], terms: QuestionTerms) -> bool:
    """Does no line of the answer give what the question asks for — a cost ("nat 网关按什么收费": no fee, charge
    or "免费" in the NAT page's setup steps), or a count of a thing no line with a number names ("一个 vpc 能建几个
    nat": the quota line counts VPCs and subnets)? Then the answer is only a part of what was asked."""
    if not units:
        return False
    texts = [(u.get("text") or "").lower() for u in units]
    price = [k for k in asked_kinds(asked) if k.name == "price"]
    if price and not any(price[0].gives.search(t) for t in texts):
        return True
    counted = counted_thing(terms, asked)
    return counted is not None and not any(found(counted, t) and re.search(r"\d", t) for t in texts)


def _as_spelt_by_base(ctx: GraphContext, question: str, kb: str) -> str:
    """The user's own words with the base's spelling ("积份" -> "积分"): the question's terms were made
    from it, so the hedge reads the same words, not the raw typo that no term matches."""
    return SpellingFixer.for_vocabulary(ctx.vocabulary.get(ctx.knowledge, kb)).correct(question)


def nearest_text(retrieved: Sequence[Mapping[str, Any]], limit: int = 2, lang: str | None = "zh") -> str:
    firsts: dict[str, Mapping[str, Any]] = {}
    for p in retrieved:  # a page named once, however many of its sections were found
        firsts.setdefault(str(p.get("source")), p)
    pages = list(firsts.values())
    items = [f"《{p.get('title') or p.get('source')}》（{p.get('source')}）" for p in pages[:limit]]
    return replies(lang)["nearest"].strip().format(items="、".join(items)) if items else ""


def verify(state: QuestionState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    draft = state.get("draft") or {"units": []}
    passages = state.get("passages") or []
    if draft["units"]:
        progress(runtime, Stage.VERIFY, section=state["index"])
    kb = ctx.kb_name(state.get("kb"))
    lang = state.get("lang")
    terms = question_terms(state["standalone"], state.get("query", ""),
                           ctx.vocabulary.get(ctx.knowledge, kb) if passages else None,
                           [p.get("text") or "" for p in passages])
    units = checked = check_units(ctx, draft["units"], passages, use_dense=draft.get("mode") == "model", terms=terms)
    cited: list[Citation] = []
    kept = units
    lead: str | None = None  # the hedge line, when the answer matches the question only in part
    if ctx.settings.verify_drop_unsupported:
        kept = [u for u in units if u["supported"] and u["on_topic"]]
        if draft.get("mode") == "extractive":  # also a lead-in whose command the budget left out, a repeat, a pointer
            kept = without_emptied_steps(without_dangling_leadins(without_pointers(
                without_printed_lines(without_examples(once(kept), passages, state.get("qtype"), state["standalone"])))), checked)
    # answered only when something supported is left to show (a lone lead-in of dropped lines is not)
    unknown = missing_terms(passages)  # the question's words the base does not know, when it knows
    answered = any(u["supported"] and u["on_topic"] and u["cites"] and content_tokens(u["text"]) for u in kept) \
        and not asks_only_unknown(terms, unknown, passages)  # "云服务器怎么配置 ipv6": the base has none
    if not answered:  # say which words the base does not know
        head = (replies(lang)["not_covered_terms"].strip().format(terms="、".join(f"“{t}”" for t in unknown))
                if unknown else replies(lang)["not_covered"].strip())
        text = "\n".join(t for t in (head, nearest_text(state.get("retrieved") or [], lang=lang)) if t)
        units = []
        grounded = False
    else:
        if ctx.settings.verify_drop_unsupported:
            units = kept
            if draft.get("mode") == "extractive":
                units = renumber_items(units) if len(units) < len(checked) else units
        else:
            mark = replies(lang)["unsupported_mark"].strip()
            units = [u if u["supported"] and u["on_topic"] else {**u, "text": f"{u['text']}{mark}"} for u in units]
        grounded = all(u["supported"] and u["on_topic"] for u in units)
        units, cited = renumbered(units, passages, terms)
        text = units_text(units)
        asked = _as_spelt_by_base(ctx, state["question"], kb)  # the terms are the fixed words ("ngnix" -> "nginx")
        reported = state.get("qtype") in ("howto", "cause", "symptom")  # a problem reported, not a value asked
        pages = page_reader(ctx.knowledge, kb)  # `covered` runs for each check below: each page read once
        covered = _covered_by(terms, asked, state.get("qtype"), units, lambda p: problem_text(p, pages, reported))
        action = _asked_action(asked)
        if state.get("qtype") == "howto" and action:  # a procedure doing what is asked, given whole, answers it
            steps_from = _procedures(units)
            base = covered
            covered = lambda p: 1.0 if p.get("n") in steps_from and base(p) >= PROCEDURE_COVER \
                and action in context_of(p, via=False).lower() else base(p)  # noqa: E731
        lead = hedge(cited, covered, full=HEDGE_FULL, lang=lang,
                     aliases=ctx.vocabulary.get(ctx.knowledge, kb).aliases())
        if lead is None and asked_unsaid(asked, units, terms.own()):
            lead = replies(lang)["partial_match"].strip()  # a cost or a count asked, no line of the answer gives it
        if lead is None and table_led(state.get("qtype") or "", state["standalone"], cited):
            lead = replies(lang)["partial_match"].strip()  # spec rows answer no fault in full (graph/problem_pool.py)
        # relevant but not a full match: say so before the passages speak
        text = f"{lead}\n{text}" if lead else text
    route = state.get("route") or {}
    hint = route.get("runbook_hint")
    if hint and answered and ctx.runbooks is not None and state.get("qtype") not in ("value", "define", "compare") \
            and offer_fits(ctx.runbooks.get(hint), cited, hedged=bool(lead), retrieved=state.get("retrieved") or []):
        offer = replies(lang)['runbook_hint'].strip().format(title=ctx.runbooks.get(hint).title)
        if not offered_before(offer, state.get("prior") or {}):
            text = f"{text}\n\n{offer}"
    section = make_section(state["index"], state["question"], state["standalone"], "knowledge", text,
                           citations=cited, grounded=grounded, adapter=route.get("adapter"),
                           mode=draft.get("mode", "none"),
                           dropped=sum(1 for u in checked if not (u["supported"] and u["on_topic"])),
                           timings=state.get("timings") or {})
    return {"sections": [section]}
