"""Coherent evidence: the selected passages grown into the document sections they belong to.

Retrieval returns chunks (a few hundred characters); an answer needs the section a chunk
sits in — all of a how-to's steps, the whole causes list. `build_evidence` turns the
selected passages (most relevant last, as the knowledge layer returns them) into one
evidence passage per section: the chunks of the same document and heading path, joined
in order without their overlap (graph/doc_units.merge_texts), around the chunk that was
found (at most `MAX_SECTION_CHUNKS`). FAQ entries stay as they are. For a cause or symptom
question the anchor document's causes section is added when retrieval missed it, and a page diagnosing
the problem anchors before a reference page (graph/symptom_page.py) unless another page quotes more of
the pasted error message (graph/pasted_run.py: that page anchors for every question type); a problem
reported on a how-to page gets its troubleshooting section, not its setup steps (graph/checks_section.py). Several
chunks of one section become ONE passage: one source card per passage.

The sections found by role (causes, fixes, procedure, focus, …) are graph/doc_sections.py's.
Output keeps the convention: most relevant LAST. Used by the select node; the model prompt
and the extractive answer both read the result. Tested in tests/graph/test_evidence.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.checks_section import checks_section, mark_checks, titled_section
from graph.doc_sections import (MAX_SECTION_CHUNKS, SKIP_HEAD, alternative_section, causes_section,
                                 fixes_section, focus_section, procedure, referenced_step, section_key,
                                 solution_section)
from graph.doc_units import merge_texts
from graph.done_section import done_already, undone_anchor
from graph.section_links import fix_beside_example, named_child, next_section
from graph.everyday_services import occurs
from graph.prior_scan import PRIOR_PAGE
from graph.faq_subject import asks_what_is_asked, neighbour_case, same_subject
from graph.fix_asked import asks_fix, names_beyond, remedy
from graph.heading_match import heading_keeps
from graph.howto_steps import needs_steps, steps_section
from graph.pasted_run import quoting_anchor
from graph.problem_pool import answers_problem
from graph.relevance import QuestionTerms, context_of, coverage, found, names_or_declares, title_context, with_context
from graph.named_page import keeps_named, naming_anchor
from graph.symptom_page import diagnosing_anchor, reference_yields
from graph.unit_kind import is_problem_page
from graph.question_type import asks_verdict
from graph.value_scan import value_passage
from graph.verdict_line import asked_action, holds_verdict, verdict_passage
from graph.variant import usable_variant, variant_section
from graph.working_clause import failing_first, quieter
from knowledge.errors import KnowledgeError

MAX_EVIDENCE = 4
"""Evidence passages kept (sections, FAQ entries)."""
VALUE_PAGES = 3
"""Pages of the evidence a value question's asked quantity is looked for on, whole (graph/value_scan.py)."""
TITLE_MARGIN = 0.1
"""How much more of the question a later document's title must name than the first section's title
and heading path together, to be preferred."""
CANDIDATES = 4
"""On-topic document sections the anchor is chosen among (every one the selection keeps): the page whose
title names the asked words may come fourth behind pages sharing only the product's word."""
DIAGNOSING = 3
"""Candidates a diagnosing page may come from to replace the anchor (graph/symptom_page.py): the fourth,
there for a page whose title names the asked words, is too far down to outrank on kind alone."""
PASSAGE_MIN = 0.2
"""Weighted share of the question a selected passage must cover to be answered from (retrieval
selected it already; this only keeps a page about something else from anchoring the answer)."""

ChunksOf = Callable[[str, str], list[dict[str, Any]]]
"""(kb, source) -> the document's chunks in order (KnowledgePort.document_chunks)."""


def thread_line(passage: Mapping[str, Any]) -> bool:
    """Is the passage the thread page's line chosen for the asked kind (graph/prior_scan.py)? It is on the
    conversation's topic whatever anchor the standalone carries ("NET::ERR_CERT_DATE_INVALID 能管多久" and the
    page's "免费 DV 证书有效期为 90 天")."""
    return bool((passage.get("meta") or {}).get(PRIOR_PAGE))


def is_on_topic(terms: QuestionTerms, passage: Mapping[str, Any]) -> bool:
    """The passage (with where it sits) names what the question is about and covers enough of it.
    The names its document declares (front-matter product and tags, `meta.doc_tags`) count as
    naming ("rds" in the tags of a page whose text says 云数据库 MySQL); they add no coverage."""
    if thread_line(passage):
        return True
    text = with_context(passage)
    return terms.total <= 0 or (names_or_declares(terms, text, passage) and coverage(terms, text) >= PASSAGE_MIN)


def _window(chunks: list[dict], anchor_ids: set[str], terms: QuestionTerms | None = None) -> list[dict]:
    """At most MAX_SECTION_CHUNKS chunks: the section's opening chunk, then consecutive ones centred on the
    first found one. The opening says what the section is about and holds its first check or cause (a long
    troubleshooting entry: "1. 如果 `jwksUri` 未设置，确保 JWT 发行者是 url 格式…", then long YAML samples);
    retrieval often finds a later chunk quoting the user's words in a sample, and a window starting there
    shows the entry without its first item. Chunks keep code blocks whole, so the gap splits no block. The
    opening takes the place of the window's last chunk only when it names more of the question (`terms`) than
    that chunk does: an opening about another thing would make the section read as on topic."""
    if len(chunks) <= MAX_SECTION_CHUNKS:
        return chunks
    at = next((i for i, c in enumerate(chunks) if c["chunk_id"] in anchor_ids), 0)
    start = max(0, min(at - 1, len(chunks) - MAX_SECTION_CHUNKS))
    window = chunks[start:start + MAX_SECTION_CHUNKS]
    if start == 0 or terms is None:
        return window
    rest = chunks[1:]
    opened = rest[max(0, min(at - 2, len(rest) - (MAX_SECTION_CHUNKS - 1))):][:MAX_SECTION_CHUNKS - 1]
    dropped = [c for c in window if c not in opened]
    if coverage(terms, chunks[0].get("text") or "") > max((coverage(terms, c.get("text") or "") for c in dropped),
                                                         default=0.0):
        return [chunks[0], *opened]
    return window


def section_chunks(passage: Mapping[str, Any], doc_chunks: list[dict]) -> list[dict]:
    """The chunks of the passage's section (those sharing its heading path), in document order."""
    heading = list(passage.get("heading_path") or [])
    return [c for c in doc_chunks if list(c.get("heading_path") or []) == heading]


def grow(passage: dict, doc_chunks: list[dict], found_ids: set[str], terms: QuestionTerms | None = None) -> dict:
    """The passage as its whole section (text of the section's chunks, merged); `terms`, the question's, decide
    whether a long section's opening chunk is kept (`_window`)."""
    same = section_chunks(passage, doc_chunks)
    if len(same) <= 1:
        return passage
    window = _window(same, found_ids | {str(passage.get("chunk_id") or "")}, terms)
    meta = dict(passage.get("meta") or {})
    meta["chunks"] = [c["chunk_id"] for c in window]
    kinds = {c.get("kind") for c in window}
    return {**passage, "text": merge_texts([c["text"] for c in window]), "meta": meta,
            "kind": passage.get("kind") if len(kinds) == 1 else "doc"}


def _steps_named(steps: dict, focus: QuestionTerms) -> int:
    """How many of a procedure's step headings name something the question asks ("分区", "挂载").
    (A procedure whose steps hold everything asked beyond the title is the answer too.)"""
    heads = re.findall(r"^### (.+)$", steps.get("text") or "", re.M)
    return sum(1 for h in heads if coverage(focus, h) > 0)


def _doc_wide(terms: QuestionTerms, doc_chunks: list[dict]) -> QuestionTerms:
    """Without the words most of the document's chunks contain (its product, "CLB" on a CLB page)."""
    texts = [(c.get("text") or "").lower() for c in doc_chunks]
    if len(texts) < 3:
        return terms
    common = {t for t in terms.weights if sum(t in x for x in texts) >= 0.4 * len(texts)}
    return QuestionTerms({t: w for t, w in terms.weights.items() if t not in common}, terms.expanded, terms.entities,
                         terms.aliases)


def _via(anchor: dict) -> str:
    return f"{context_of(anchor)} {(anchor.get('text') or '')[:400]}"


def _is_intro(passage: dict) -> bool:
    heads = passage.get("heading_path") or []
    return not heads or list(heads) == [passage.get("title")]


def _intro_only(anchor: dict, doc_chunks: list[dict], beyond: QuestionTerms, seen: set[tuple]) -> bool:
    """A how-to met by the page's intro alone (the user says what the page's thing is for, in
    their words: "做成模板批量开机器" for a custom-image page) and by no section of its own: it
    asks for the page's own task, whose steps are the answer, not the definition."""
    return _is_intro(anchor) and focus_section(anchor, doc_chunks, beyond, seen | {section_key(anchor)}) is None


def _summarised(evidence: list[dict], anchor: dict, terms: QuestionTerms) -> bool:
    """A FAQ entry of the evidence asks what the question asks and is about the anchor page's thing
    (graph/faq_subject.py): it answers the how-to in short, and the page's steps are what the agent
    follows ("磁盘满了 No space left on device 怎么排查" beside the entry "磁盘满了 No space left on
    device 怎么办？" and the page "磁盘空间满排查", whose title names less of the question); not an
    entry on a neighbouring case ("Connection timed out" for "Connection refused")."""
    return any(p.get("kind") == "faq" and asks_what_is_asked(p, terms) and same_subject(p, [anchor])
               and not neighbour_case(terms, p, evidence) for p in evidence)


def _asked(passage: dict) -> str:
    heads = passage.get("heading_path") or []
    return heads[-1] if heads and re.search(r"[？?]\s*$", heads[-1]) else ""


def _on_topic_sections(sections: list[dict], terms: QuestionTerms) -> list[dict]:
    """The first CANDIDATES on-topic document sections (not FAQ entries): the anchor's candidates."""
    return [p for p in sections if p.get("kind") != "faq" and is_on_topic(terms, p)][:CANDIDATES]


def _anchor(candidates: list[dict], terms: QuestionTerms) -> dict | None:
    """The document section to build on among `candidates` (`_on_topic_sections`): the first (among those
    quoting the question's error code, when some do), unless one of the next two sits in a document whose
    title names clearly more of the question ("ImagePullBackOff" page) than the first's title and headings do."""
    if not candidates:
        return None
    coded = terms.codes_first()
    codes = terms.codes()
    if codes:  # an error code of the question, quoted by one section: that one (not a page on a near word)
        quoting = [p for p in candidates if any(c in with_context(p, via=False).lower()
                                                for c in codes)]
        candidates = quoting or candidates
    # a FAQ page's sections are titled with their questions: the heading counts like a title
    titled = [_title_cover(coded, p.get("title") or "") + _title_cover(coded, _asked(p)) for p in candidates]
    best = max(range(len(candidates)), key=lambda i: (titled[i], -i))
    # the first section says what it is about in its headings too ("对 kubeadm 进行故障排查 > Kubelet
    # 客户端证书轮换失败"): a page title sharing one word with the question ("手动轮换 CA 证书") is no better
    first = _title_cover(coded, " ".join([candidates[0].get("title") or "", *(candidates[0].get("heading_path") or [])]))
    return candidates[best] if titled[best] >= max(titled[0], first) + TITLE_MARGIN else candidates[0]


def _title_cover(terms: QuestionTerms, text: str) -> float:
    """coverage() of a title, by whole words: a Latin word of the question inside a longer one does not
    count ("name" in "CNAME 记录冲突" took the lead from the page that held the whole question)."""
    low = (text or "").lower()
    named = [t for t in terms.weights if found(t, low) and not _only_inside_words(t, low)]
    return sum(terms.weights[t] for t in named) / terms.total if terms.total > 0 else 0.0


def _only_inside_words(term: str, low: str) -> bool:
    """Every occurrence of a Latin term in the text is part of a longer Latin word or number."""
    return term.isascii() and term in low and not occurs(term, low)


def build_evidence(passages: Sequence[Mapping[str, Any]], chunks_of: ChunksOf, qtype: str = "symptom",
                   terms: QuestionTerms | None = None, wants_steps: bool = False, question: str = "",
                   new_question: bool = False) -> list[dict]:
    """Selected passages (most relevant last) -> evidence sections (most relevant last).

    For the anchor (the best document passage): a how-to about the document's own topic
    (nothing asked beyond its title) gets the document's procedure — or the document's section
    for the variant asked about when the procedure never mentions it (graph/variant.py); a cause or symptom
    question gets its causes section; what is asked beyond the title pulls the section
    that covers it best when retrieval did not bring it. A `new_question` (not a follow-up) asking to
    fix a troubleshooting page's fault gets its solution section (graph/fix_asked.py).
    """
    terms = terms or QuestionTerms()
    best_first = list(reversed(passages))
    found_ids = {p.get("chunk_id") for p in best_first}
    docs: dict[str, list[dict]] = {}
    out: list[dict] = []
    seen: set[tuple] = set()

    def chunks(p: dict) -> list[dict]:
        source = p.get("source") or ""
        if source not in docs:
            try:
                docs[source] = chunks_of(p.get("kb") or "", source)
            except KnowledgeError:  # deleted since it was found: answer from the chunk itself
                docs[source] = []
        return docs[source]

    for p in best_first:
        key = section_key(p)
        if key in seen or SKIP_HEAD.search(" ".join(p.get("heading_path") or [])):
            continue
        seen.add(key)
        out.append(p if p.get("kind") == "faq" else grow(p, chunks(p), found_ids, terms))
    candidates = _on_topic_sections(out, terms)
    picking = quieter(terms, question)  # what the user says works does not pick the page (graph/working_clause.py)
    anchor = _anchor(failing_first(candidates, terms, question), picking)
    if anchor is None:
        return list(reversed(out[:MAX_EVIDENCE]))
    quoting = quoting_anchor(candidates, question)
    if quoting is not None:  # the page quoting most of the pasted message (graph/pasted_run.py)
        anchor = next(p for p in candidates if p is quoting)
    else:  # a page naming the question's rarest entity (graph/named_page.py), then for a fault a diagnosing
        anchor = naming_anchor(anchor, candidates, picking)  # page before a reference page (graph/symptom_page.py)
        if qtype in ("symptom", "cause") and not is_problem_page(anchor, chunks(anchor)):
            # a page written for this problem (现象 / 可能原因 / 解决方法) keeps the answer; another page's 排查 title does not take it
            anchor = diagnosing_anchor(anchor, [p for p in candidates[:DIAGNOSING] if keeps_named(anchor, p, picking)], picking)
        if answers_problem(qtype, question):  # a spec table or overview section does not anchor a fault's answer
            anchor = reference_yields(anchor, [p for p in candidates if keeps_named(anchor, p, picking)], picking, chunks)
    undone = undone_anchor(anchor, chunks(anchor), candidates, question, qtype)
    if undone is not None:  # the anchor is what the user already did: the section on what they ask (graph/done_section.py)
        out = [p for p in out if p is not undone]
        out[out.index(anchor)] = undone
        anchor = undone
        seen.add(section_key(undone))
    if not done_already(anchor, question, qtype):  # nor does another section of its page doing what the user did
        by_heading = not anchor.get("heading_path")  # beside a page's intro, only a section whose heading names the action
        kept = [p for p in out if p is anchor or p.get("source") != anchor.get("source")
                or not done_already(p, question, qtype, by_heading)]
        if any(p.get("source") == anchor.get("source") for p in out if p not in kept) \
                and not (anchor.get("meta") or {}).get("added"):  # the page's step after the one done: said whole
            at_anchor = kept.index(anchor)
            anchor = kept[at_anchor] = {**anchor, "meta": {**(anchor.get("meta") or {}), "added": "resolve"}}
        out = kept
    first_doc = next(i for i, p in enumerate(out) if p.get("kind") != "faq")
    out.remove(anchor)
    out.insert(first_doc, anchor)
    doc = chunks(anchor)
    focus = terms.without(title_context(anchor))
    own = terms.own()
    at = out.index(anchor)
    added: list[dict] = []
    beyond = _doc_wide(own.without(title_context(anchor)), doc)
    steps = procedure(anchor, doc) if qtype == "howto" else None
    if steps is not None and done_already(steps, question, qtype):  # the procedure the user says they did (graph/done_section.py)
        steps = None
    if steps is not None and heading_keeps(anchor, steps, beyond):  # the found section's heading names what is asked
        steps = None                                                 # (graph/heading_match.py), the page's first procedure not
    fix = remedy(anchor, doc, out, question) if new_question and qtype == "howto" \
        and asks_fix(question, doc, names_beyond(own, title_context(anchor))) else None
    if fix is not None:  # "连接数满了 怎么先救急": the page's solution answers, not its checks (graph/fix_asked.py)
        steps = None
        fix["meta"]["via"] = f"{fix['meta'].get('via') or ''} {_via(anchor)}".strip()
        held = [i for i, p in enumerate(out) if section_key(p) == section_key(fix)]
        if held:
            out[held[0]] = fix
        else:
            out.insert(at, fix)
            at += 1
        seen.add(section_key(fix))
    variant = usable_variant(variant_section(anchor, doc, beyond, steps), steps) if steps is not None else None
    if heading_keeps(anchor, variant, beyond):  # a thing named in passing does not move a section whose heading is the question
        variant = None
    action_titled = qtype == "howto" and _titled_action(question, anchor)
    if variant is not None:  # "如果是 windows 呢": the document's Windows section, not its Linux steps
        out[at] = variant
        seen.add(section_key(variant))
        steps = None
    elif qtype == "howto" and steps is None and (needs_steps(anchor, out) and (
            _is_intro(anchor) or wants_steps or beyond.total <= 0.25 * own.total) or action_titled):
        # a page without step headings, met by its intro or asked for its own task: the section showing
        # its steps (graph/howto_steps.py) goes first
        shown = steps_section(anchor, doc, question, {section_key(p)[1] for p in out if p.get("source") == anchor.get("source")})
        if shown is not None and not done_already(shown, question, qtype):
            out.insert(at, shown)
            seen.add(section_key(shown))
    if steps is not None and (beyond.total <= 0.25 * own.total or wants_steps or _steps_named(steps, beyond) >= 2
                              or _summarised(out, anchor, terms)
                              or ((steps.get("meta") or {}).get("procedure")
                                  and coverage(beyond, steps.get("text") or "") >= 0.99)
                              or _intro_only(anchor, doc, beyond, seen)
                              or action_titled):
        inside = set((steps.get("meta") or {}).get("chunks") or [])
        if _is_intro(anchor) and section_key(steps) != section_key(anchor):  # on topic as the intro is
            steps = {**steps, "meta": {**(steps.get("meta") or {}), "via": _via(anchor)}}
        out[at] = steps
        out = [p for i, p in enumerate(out) if i == at or p.get("source") != anchor.get("source")
               or p.get("chunk_id") not in inside]
        at = out.index(steps)
    elif qtype in ("cause", "symptom"):
        extra = causes_section(anchor, doc)
        checks = checks_section(anchor, doc, beyond, procedure(anchor, doc)) if extra is None and qtype == "symptom" else None
        if checks is not None:  # a fault on a how-to page: its troubleshooting section, not its setup steps
            if not mark_checks(out, checks):
                added.append(checks)
        elif extra is None and qtype == "symptom":  # a how-to page: what to do is its procedure
            steps = procedure(anchor, doc)
            if steps is None and _is_intro(anchor):  # no step headings ("方式一：…"): the section showing steps
                steps = steps_section(anchor, doc, question, {section_key(p)[1] for p in out
                                                              if p.get("source") == anchor.get("source")})
            if steps is not None and section_key(steps) not in seen:
                added.append({**steps, "meta": {**steps["meta"], "added": "procedure"}})
                extra = alternative_section(steps, doc, seen | {section_key(steps)})
                if extra is not None:  # the CLI beside the console steps, as for a how-to
                    added.append(extra)
        elif extra is not None and section_key(extra) not in seen:
            added.append(extra)
    if qtype == "howto" and not (out[at].get("meta") or {}).get("procedure"):
        extra = alternative_section(out[at], doc, seen | {section_key(out[at])})
        if extra is not None:  # the CLI beside the console steps
            added.append(extra)
        skip = seen | {section_key(a) for a in added}
        extra = fix_beside_example(out[at], doc, skip) or (None if undone is not None else  # already the step after
                                                           next_section(out[at], doc, question, skip))
        if extra is not None:  # the page's fix, or the step after, when retrieval found the example or the step done
            extra["meta"]["via"] = f"{extra['meta'].get('via') or ''} {_via(anchor)}".strip()  # on topic as the anchor is
            out.insert(at, extra)  # (graph/section_links.py); the example or the step done follows it
            at += 1
    if focus.total and qtype in ("howto", "symptom", "cause"):
        for _ in range(2):
            extra = focus_section(anchor, doc, focus, seen | {section_key(a) for a in added})
            if extra is None:
                break
            added.append(extra)
        for source in [anchor, *added, *out[at + 1:]]:
            if source.get("source") != anchor.get("source"):
                continue
            skip = seen | {section_key(a) for a in added}  # a step it points to, else a sub-section it names
            step = referenced_step(source, doc, focus, skip) or named_child(source, doc, skip)
            if step is not None:
                added.append(step)
                break
    if qtype in ("cause", "symptom"):
        titled = titled_section(anchor, doc, beyond, question, seen | {section_key(a) for a in added})
        if titled is not None:  # the entry for the very message pasted, when retrieval found another part
            added.append(titled)
        fixes = fixes_section(anchor, doc)
        if fixes is not None and section_key(fixes) not in seen | {section_key(a) for a in added}:
            added.append(fixes)  # what to do about the cause the answer names
        first = solution_section(anchor, doc, focus) if fixes is None else None
        if first is not None and not any(section_key(first)[1][:1] == section_key(p)[1][:1] and p.get("source") == first.get("source")
                                         for p in [*out, *added]):
            added.append(first)  # what to do first, when the page says it in prose or steps
    elif qtype in ("howto", "define") and focus.total:
        named = solution_section(anchor, doc, focus, keyed=True)
        if named is not None and (named.get("meta") or {}).get("keyed_fix") \
                and section_key(named) not in seen | {section_key(a) for a in added}:
            added.append(named)  # "Insufficient memory 咋办": the fix for the cause the question names
    if qtype == "value":  # the page's line stating the asked quantity, when retrieval missed its section
        on = [anchor, *(p for p in out if p.get("kind") != "faq" and is_on_topic(terms, p))]  # a page off the topic
        sources = list(dict.fromkeys(p.get("source") for p in on))[:VALUE_PAGES]         # states another thing's value
        pages = [next(p for p in on if p.get("source") == s) for s in sources]
        value = value_passage([(p, chunks(p)) for p in pages], terms, question,
                              {c for p in [*out, *added] for c in _chunk_ids(p)})
        if value is not None:
            added.append(value)
        if asks_verdict(question) and not holds_verdict([*out, *added], asked_action(terms, question), terms):
            verdict = verdict_passage([(p, chunks(p)) for p in pages], terms, question,
                                      {c for p in [*out, *added] for c in _chunk_ids(p)})
            if verdict is not None:  # the page's line judging the action asked, when retrieval missed its section
                added.append(verdict)
    for extra in added:  # on topic because the anchor is: read with the anchor's words
        meta = extra.setdefault("meta", {})
        meta["via"] = f"{meta.get('via') or ''} {_via(anchor)}".strip()
    out[at + 1:at + 1] = added
    kept = without_contained(out)
    tables = [p for p in kept if (p.get("meta") or {}).get("added") in ("fix", "solution")]  # they add to the answer, take no place
    return list(reversed([p for p in kept if p not in tables][:MAX_EVIDENCE] + tables))


_HOW = re.compile(r"(?:怎么|怎样|如何|咋)(?:样|么)?(?:才能|可以|能|去|来|要|进行)?([\u4e00-\u9fff]{2})")


def _titled_action(question: str, anchor: Mapping[str, Any]) -> bool:
    """A how-to whose action ("怎么重置windows服务器的密码": 重置) the page's title names asks for the
    page's own task: a qualifier no heading gives a section of its own (the variant rule did not
    fire) changes not the steps, only the notes and rows that name it (issue 12)."""
    m = _HOW.search(question or "")
    return m is not None and m.group(1) in (anchor.get("title") or "")


def _chunk_ids(passage: dict) -> set[str]:
    return set((passage.get("meta") or {}).get("chunks") or [passage.get("chunk_id")]) - {None}


def without_contained(passages: list[dict]) -> list[dict]:
    """Without a section that another evidence passage holds whole (a causes section's
    sub-section found on its own): the same text is shown, and cited, once."""
    ids = [_chunk_ids(p) for p in passages]
    return [p for i, p in enumerate(passages)
            if p.get("kind") == "faq" or not ids[i]
            or not any(j != i and ids[i] < ids[j] or (j < i and ids[i] == ids[j]) for j in range(len(passages)))]
