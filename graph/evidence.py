"""Coherent evidence: the selected passages grown into the document sections they belong to.

Retrieval returns chunks (a few hundred characters); an answer needs the section a chunk
sits in — all of a how-to's steps, the whole causes list. `build_evidence` turns the
selected passages (most relevant last, as the knowledge layer returns them) into one
evidence passage per section: the chunks of the same document and heading path, joined
in order without their overlap (graph/doc_units.merge_texts), around the chunk that was
found (at most `MAX_SECTION_CHUNKS`). FAQ entries stay as they are. For a cause or symptom
question the anchor document's causes section is added when retrieval missed it. Several
chunks of one section become ONE passage: one source card per passage.

Output keeps the convention: most relevant LAST. Used by the select node; the model prompt
and the extractive answer both read the result. Tested in tests/graph/test_evidence.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.doc_units import merge_texts, parse_units, sections_in_order
from graph.section_answer import ordered_list
from graph.relevance import QuestionTerms, context_of, coverage, names_or_declares, title_context
from graph.variant import usable_variant, variant_section
from knowledge.errors import KnowledgeError

MAX_SECTION_CHUNKS = 6
"""Chunks of one section kept around the chunk retrieval found (long sections of big docs)."""
MAX_EVIDENCE = 4
TITLE_MARGIN = 0.05
PASSAGE_MIN = 0.2
"""Weighted share of the question a selected passage must cover to be answered from (retrieval
selected it already; this only keeps a page about something else from anchoring the answer)."""
"""How much more of the question a later document's title must name to be preferred."""
"""Evidence passages kept (sections, FAQ entries)."""
_CAUSES = re.compile(r"原因|为什么|causes?\b", re.I)
_SKIP = re.compile(r"相关文档|相关链接|参考文档|参考资料|延伸阅读|see also|related", re.I)

ChunksOf = Callable[[str, str], list[dict[str, Any]]]
"""(kb, source) -> the document's chunks in order (KnowledgePort.document_chunks)."""


def is_on_topic(terms: QuestionTerms, passage: Mapping[str, Any]) -> bool:
    """The passage (with where it sits) names what the question is about and covers enough of it.
    The names its document declares (front-matter product and tags, `meta.doc_tags`) count as
    naming ("rds" in the tags of a page whose text says 云数据库 MySQL); they add no coverage."""
    text = f"{context_of(passage)} {passage.get('text') or ''}"
    return terms.total <= 0 or (names_or_declares(terms, text, passage) and coverage(terms, text) >= PASSAGE_MIN)


def section_key(passage: dict) -> tuple:
    if passage.get("kind") == "faq":
        return ("faq", passage.get("chunk_id"))
    return (passage.get("source"), tuple(passage.get("heading_path") or []))


def _window(chunks: list[dict], anchor_ids: set[str]) -> list[dict]:
    """At most MAX_SECTION_CHUNKS consecutive chunks, centred on the first found one."""
    if len(chunks) <= MAX_SECTION_CHUNKS:
        return chunks
    at = next((i for i, c in enumerate(chunks) if c["chunk_id"] in anchor_ids), 0)
    start = max(0, min(at - 1, len(chunks) - MAX_SECTION_CHUNKS))
    return chunks[start:start + MAX_SECTION_CHUNKS]


def grow(passage: dict, doc_chunks: list[dict], found_ids: set[str]) -> dict:
    """The passage as its whole section (text of the section's chunks, merged)."""
    heading = list(passage.get("heading_path") or [])
    same = [c for c in doc_chunks if list(c.get("heading_path") or []) == heading]
    if len(same) <= 1:
        return passage
    window = _window(same, found_ids | {str(passage.get("chunk_id") or "")})
    meta = dict(passage.get("meta") or {})
    meta["chunks"] = [c["chunk_id"] for c in window]
    kinds = {c.get("kind") for c in window}
    return {**passage, "text": merge_texts([c["text"] for c in window]), "meta": meta,
            "kind": passage.get("kind") if len(kinds) == 1 else "doc"}


def subtree(passage: dict, doc_chunks: list[dict], parent: list[str], **meta) -> dict | None:
    """Everything under a heading path as one evidence passage (sub-headings become bold lead-ins)."""
    parts, ids = [], []
    for path, chunks in sections_in_order(doc_chunks):
        if path[:len(parent)] != parent:
            continue
        if len(path) > len(parent):
            parts.append(f"**{path[-1]}**：")
        parts.append(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]))
        ids += [c["chunk_id"] for c in chunks]
    if not ids:
        return None
    kinds = {c.get("kind") for c in doc_chunks if c["chunk_id"] in ids}
    return {**passage, "chunk_id": ids[0], "heading_path": parent, "kind": kinds.pop() if len(kinds) == 1 else "doc",
            "text": "\n\n".join(parts), "meta": {**(passage.get("meta") or {}), "chunks": ids, **meta}}


def causes_section(passage: dict, doc_chunks: list[dict]) -> dict | None:
    """The document's causes section ("可能原因", with its sub-sections), or None."""
    for path, _ in sections_in_order(doc_chunks):
        for depth in range(1, len(path) + 1):
            if _CAUSES.search(path[depth - 1]) and not _QUESTION_HEAD.search(path[depth - 1]):
                return subtree(passage, doc_chunks, path[:depth], added="causes")
    return None


_QUESTION_HEAD = re.compile(r"[？?][\s`]*$")
"""A heading that asks a question (a FAQ page's entry): it answers that question, it is not the
page's causes section ("为什么 … 不能同步？") nor its procedure ("已配置防火墙…怎么办？")."""
_STEP_HEAD = re.compile(r"^(第[一二三四五六七八九十\d]+步|\d{1,2}[.、](?!\d)\s*\S)")  # "4.1 …" numbers a section
_STEPS_HEAD = re.compile(r"步骤|流程|steps?\b|procedure", re.I)
_PROCEDURE_HEAD = re.compile(r"步骤|流程|操作|配置|怎么|如何|steps?\b|procedure", re.I)
_SOLUTION_HEAD = re.compile(r"解决|处理|恢复|办法|方案|solution|fix", re.I)


def fixes_section(passage: dict, doc_chunks: list[dict]) -> dict | None:
    """The document's table of fixes by cause ("解决方法": 原因 | 处理), or None."""
    for path, chunks in sections_in_order(doc_chunks):
        if path and _SOLUTION_HEAD.search(path[-1]) and not _QUESTION_HEAD.search(path[-1]) \
                and any(c.get("kind") == "table" for c in chunks):
            return subtree(passage, doc_chunks, path, added="fix")
    return None


def procedure(passage: dict, doc_chunks: list[dict]) -> dict | None:
    """The document's procedure as one evidence passage: sibling step sections ("第一步…",
    "1. …") with what is under them (meta.procedure = True), else a steps section
    ("操作步骤", "排查步骤"); None when the document has neither."""
    sections = sections_in_order(doc_chunks)
    parents: dict[tuple, list[list[str]]] = {}
    for path, _ in sections:
        for depth in range(1, len(path) + 1):  # a step may hold only sub-sections
            step = path[:depth]
            if _STEP_HEAD.match(step[-1]) and step not in parents.setdefault(tuple(step[:-1]), []):
                parents[tuple(step[:-1])].append(step)
    # numbered top-level headings are a handbook's chapters ("1. 故障分级与响应时限") unless the page
    # is about doing something ("第一步…" are steps wherever they stand)
    title = str(passage.get("title") or "")
    parents = {k: v for k, v in parents.items() if k or _PROCEDURE_HEAD.search(title)
               or all(h[-1].startswith("第") for h in v)}
    steps = max(parents.values(), key=len, default=[])
    if len(steps) >= 2:
        parts, ids = [], []
        for step in steps:
            parts.append(f"### {step[-1]}")
            for path, chunks in sections:
                if path[:len(step)] == step:
                    if len(path) > len(step):
                        parts.append(f"**{path[-1]}**：")
                    parts.append(merge_texts([c["text"] for c in chunks]))
                    ids += [c["chunk_id"] for c in chunks]
        parent = list(steps[0][:-1])
        return {**passage, "chunk_id": ids[0], "heading_path": parent or [passage.get("title") or ""], "kind": "doc",
                "text": "\n\n".join(parts), "meta": {**(passage.get("meta") or {}), "chunks": ids, "procedure": True}}
    for pattern in (_STEPS_HEAD, _PROCEDURE_HEAD, _SOLUTION_HEAD):
        for path, chunks in sections:
            for depth in range(1, len(path) + 1):  # "配置步骤 > 方式一：控制台": the steps heading is the parent
                if pattern.search(path[depth - 1]) and not _QUESTION_HEAD.search(path[depth - 1]) \
                        and any(c.get("kind") != "table" for c in chunks):
                    return subtree(passage, doc_chunks, path[:depth])
    return None


def solution_section(passage: dict, doc_chunks: list[dict]) -> dict | None:
    """The first part of the document's solution section ("解决方法 > 第一步：…", else the section
    itself) when it holds no fixes table (that is `fixes_section`'s): what to do first. None without one."""
    for path, _ in sections_in_order(doc_chunks):
        at = next((d for d in range(len(path)) if _SOLUTION_HEAD.search(path[d]) and not _QUESTION_HEAD.search(path[d])), None)
        if at is not None:
            return subtree(passage, doc_chunks, path[:at + 2], added="solution")
    return None


def focus_section(passage: dict, doc_chunks: list[dict], focus: QuestionTerms, skip: set[tuple]) -> dict | None:
    """The document's section that best covers what is asked beyond its title (None: none covers any)."""
    best, best_score = None, 0.0
    for path, chunks in sections_in_order(doc_chunks):
        key = (passage.get("source"), tuple(path))
        if key in skip or _SKIP.search(" ".join(path)):
            continue
        text = merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]])
        score = coverage(focus, text + " " + " ".join(path))
        if score > best_score:
            best, best_score = (path, chunks, text), score
    if best is None or best_score < 0.5:
        return None
    path, chunks, text = best
    return {**passage, "chunk_id": chunks[0]["chunk_id"], "heading_path": path, "text": text,
            "kind": chunks[0].get("kind") if len({c.get("kind") for c in chunks}) == 1 else "doc",
            "meta": {**(passage.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks], "added": "focus"}}


_XREF = re.compile(r"第\s*([0-9一二三四五六七八九十]+)\s*步")
_CN_NUM = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _step_number(head: str) -> int | None:
    m = re.match(r"^(?:第\s*([0-9一二三四五六七八九十]+)\s*步|(\d{1,2})[.、])", head)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    return int(raw) if raw.isdigit() else _CN_NUM.get(raw)


_XRANGE = re.compile(r"第\s*[0-9一二三四五六七八九十]+\s*(?:步\s*)?(?:到|至|~|-|—)\s*(?:第\s*)?[0-9一二三四五六七八九十]+\s*步")


def referenced_step(passage: dict, doc_chunks: list[dict], focus: QuestionTerms, skip: set[tuple]) -> dict | None:
    """A step section that a sentence matching the focus points to ("…→ 认证问题，跳到第 5 步"); the
    document's procedure when it points to several ("按本文第三到第五步操作即可")."""
    for line in re.split(r"(?<=[。\n；;])", passage.get("text") or ""):
        if _XRANGE.search(line):  # the answer is those steps, whatever words the user used
            steps = procedure(passage, doc_chunks)
            if steps is not None and (steps.get("meta") or {}).get("procedure") and section_key(steps) not in skip:
                return {**steps, "meta": {**steps["meta"], "added": "procedure", "via": line.strip()}}
        ref = _XREF.search(line)
        if not ref or coverage(focus, line) <= 0:
            continue
        raw = ref.group(1)
        number = int(raw) if raw.isdigit() else _CN_NUM.get(raw)
        for path, chunks in sections_in_order(doc_chunks):
            key = (passage.get("source"), tuple(path))
            if path and _step_number(path[-1]) == number and key not in skip:
                return {**passage, "chunk_id": chunks[0]["chunk_id"], "heading_path": path, "kind": "doc",
                        "text": merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]),
                        "meta": {**(passage.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks],
                                 "added": "step", "via": line.strip()}}
    return None


def _alike(a: str, b: str) -> bool:
    """Two headings of one kind: the same first or last two characters ("控制台操作" / "sscli 操作",
    "方式一：关机重置" / "方式二：在线重置")."""
    a, b = "".join(a.split()), "".join(b.split())
    return a != b and len(a) >= 2 and len(b) >= 2 and (a[:2] == b[:2] or a[-2:] == b[-2:])


def alternative_section(anchor: dict, doc_chunks: list[dict], skip: set[tuple]) -> dict | None:
    """A numbered procedure's alternative: the next sub-section of the same section headed alike
    ("刷新 > 控制台操作" -> "刷新 > sscli 操作"); None when the anchor is no such procedure."""
    heads = list(anchor.get("heading_path") or [])
    units = parse_units(anchor.get("text") or "")
    if len(heads) < 2 or not any(ordered_list(units, i) for i in range(len(units))):
        return None
    sections = sections_in_order(doc_chunks)
    for path, chunks in sections:
        key = (anchor.get("source"), tuple(path))
        if len(path) == len(heads) and path[:-1] == heads[:-1] and _alike(path[-1], heads[-1]) and key not in skip:
            return {**anchor, "chunk_id": chunks[0]["chunk_id"], "heading_path": path,
                    "text": merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]),
                    "kind": chunks[0].get("kind") if len({c.get("kind") for c in chunks}) == 1 else "doc",
                    "meta": {**(anchor.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks],
                             "added": "alternative"}}
    return None


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


def _asked(passage: dict) -> str:
    heads = passage.get("heading_path") or []
    return heads[-1] if heads and re.search(r"[？?]\s*$", heads[-1]) else ""


def _anchor(sections: list[dict], terms: QuestionTerms) -> dict | None:
    """The document section to build on: the first on-topic one (among those quoting the question's
    error code, when some do), unless one of the next two sits in a document whose title names
    clearly more of the question ("ImagePullBackOff" page)."""
    candidates = [p for p in sections if p.get("kind") != "faq" and is_on_topic(terms, p)][:3]
    if not candidates:
        return None
    coded = terms.codes_first()
    codes = terms.codes()
    if codes:  # an error code of the question, quoted by one section: that one (not a page on a near word)
        quoting = [p for p in candidates if any(c in f"{context_of(p, via=False)} {p.get('text') or ''}".lower()
                                                for c in codes)]
        candidates = quoting or candidates
    # a FAQ page's sections are titled with their questions: the heading counts like a title
    titled = [coverage(coded, p.get("title") or "") + coverage(coded, _asked(p)) for p in candidates]
    best = max(range(len(candidates)), key=lambda i: (titled[i], -i))
    return candidates[best] if titled[best] >= titled[0] + TITLE_MARGIN else candidates[0]


def build_evidence(passages: Sequence[Mapping[str, Any]], chunks_of: ChunksOf, qtype: str = "symptom",
                   terms: QuestionTerms | None = None, wants_steps: bool = False) -> list[dict]:
    """Selected passages (most relevant last) -> evidence sections (most relevant last).

    For the anchor (the best document passage): a how-to about the document's own topic
    (nothing asked beyond its title) gets the document's procedure — or the document's section
    for the variant asked about when the procedure never mentions it (graph/variant.py); a cause or symptom
    question gets its causes section; what is asked beyond the title pulls the section
    that covers it best when retrieval did not bring it.
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
        if key in seen or _SKIP.search(" ".join(p.get("heading_path") or [])):
            continue
        seen.add(key)
        out.append(p if p.get("kind") == "faq" else grow(p, chunks(p), found_ids))
    anchor = _anchor(out, terms)
    if anchor is None:
        return list(reversed(out[:MAX_EVIDENCE]))
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
    variant = usable_variant(variant_section(anchor, doc, beyond, steps), steps) if steps is not None else None
    if variant is not None:  # "如果是 windows 呢": the document's Windows section, not its Linux steps
        out[at] = variant
        seen.add(section_key(variant))
        steps = None
    if steps is not None and (beyond.total <= 0.25 * own.total or wants_steps or _steps_named(steps, beyond) >= 2
                              or ((steps.get("meta") or {}).get("procedure")
                                  and coverage(beyond, steps.get("text") or "") >= 0.99)):
        inside = set((steps.get("meta") or {}).get("chunks") or [])
        out[at] = steps
        out = [p for i, p in enumerate(out) if i == at or p.get("source") != anchor.get("source")
               or p.get("chunk_id") not in inside]
        at = out.index(steps)
    elif qtype in ("cause", "symptom"):
        extra = causes_section(anchor, doc)
        if extra is None and qtype == "symptom":  # a how-to page: what to do is its procedure
            steps = procedure(anchor, doc)
            if steps is not None and section_key(steps) not in seen:
                added.append({**steps, "meta": {**steps["meta"], "added": "procedure"}})
        elif extra is not None and section_key(extra) not in seen:
            added.append(extra)
    if qtype == "howto" and not (out[at].get("meta") or {}).get("procedure"):
        extra = alternative_section(out[at], doc, seen | {section_key(out[at])})
        if extra is not None:  # the CLI beside the console steps
            added.append(extra)
    if focus.total and qtype in ("howto", "symptom", "cause"):
        for _ in range(2):
            extra = focus_section(anchor, doc, focus, seen | {section_key(a) for a in added})
            if extra is None:
                break
            added.append(extra)
        for source in [anchor, *added, *out[at + 1:]]:
            if source.get("source") != anchor.get("source"):
                continue
            step = referenced_step(source, doc, focus, seen | {section_key(a) for a in added})
            if step is not None:
                added.append(step)
                break
    if qtype in ("cause", "symptom"):
        fixes = fixes_section(anchor, doc)
        if fixes is not None and section_key(fixes) not in seen | {section_key(a) for a in added}:
            added.append(fixes)  # what to do about the cause the answer names
        first = solution_section(anchor, doc) if fixes is None else None
        if first is not None and not any(section_key(first)[1][:1] == section_key(p)[1][:1] and p.get("source") == first.get("source")
                                         for p in [*out, *added]):
            added.append(first)  # what to do first, when the page says it in prose or steps
    via = f"{context_of(anchor)} {(anchor.get('text') or '')[:400]}"
    for extra in added:  # on topic because the anchor is: read with the anchor's words
        meta = extra.setdefault("meta", {})
        meta["via"] = f"{meta.get('via') or ''} {via}".strip()
    out[at + 1:at + 1] = added
    kept = without_contained(out)
    tables = [p for p in kept if (p.get("meta") or {}).get("added") in ("fix", "solution")]  # they add to the answer, take no place
    return list(reversed([p for p in kept if p not in tables][:MAX_EVIDENCE] + tables))


def _chunk_ids(passage: dict) -> set[str]:
    return set((passage.get("meta") or {}).get("chunks") or [passage.get("chunk_id")]) - {None}


def without_contained(passages: list[dict]) -> list[dict]:
    """Without a section that another evidence passage holds whole (a causes section's
    sub-section found on its own): the same text is shown, and cited, once."""
    ids = [_chunk_ids(p) for p in passages]
    return [p for i, p in enumerate(passages)
            if p.get("kind") == "faq" or not ids[i]
            or not any(j != i and ids[i] < ids[j] or (j < i and ids[i] == ids[j]) for j in range(len(passages)))]
