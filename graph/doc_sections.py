"""Where a document says what: its sections found by role (graph/evidence.py grows the answer from them).

Each finder takes a passage (for its source, title and meta) and the document's chunks in order,
and returns one evidence passage for a whole section (sub-sections as bold lead-ins) or None:
the causes section, the fixes table, the procedure (sibling step sections or a steps section),
the solution's first part, the section covering what is asked beyond the title, a step another
sentence points to, and a procedure's alternative (the CLI beside the console). Tested in
tests/graph/test_evidence.py, test_asked_step.py, test_variant.py, test_faq_pages.py.
"""

from __future__ import annotations

import re
from typing import Sequence

from graph.doc_units import merge_texts, parse_units, sections_in_order
from graph.keyed_fix import keyed_items, marks, named_item
from graph.relevance import QuestionTerms, coverage
from graph.list_reach import ordered_list

MAX_SECTION_CHUNKS = 6
"""Chunks of one section kept around the chunk retrieval found (long sections of big docs)."""
_CAUSES = re.compile(r"原因|为什么|causes?\b", re.I)
_CAUSE_LIST = re.compile(r"原因|causes?\b", re.I)
SKIP_HEAD = re.compile(r"相关文档|相关链接|参考文档|参考资料|延伸阅读|see also|related", re.I)
"""Headings of link lists: never evidence."""

def section_key(passage: dict) -> tuple:
    if passage.get("kind") == "faq":
        return ("faq", passage.get("chunk_id"))
    return (passage.get("source"), tuple(passage.get("heading_path") or []))


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
    """The document's causes section ("可能原因", with its sub-sections), or None. A heading naming the causes
    ("可能原因") is the list of them and comes before one explaining a single why ("为什么会变成只读")."""
    for heads in (_CAUSE_LIST, _CAUSES):
        for path, _ in sections_in_order(doc_chunks):
            for depth in range(1, len(path) + 1):
                if heads.search(path[depth - 1]) and not _QUESTION_HEAD.search(path[depth - 1]):
                    return subtree(passage, doc_chunks, path[:depth], added="causes")
    return None


_QUESTION_HEAD = re.compile(r"[？?][\s`]*$")
"""A heading that asks a question (a FAQ page's entry): it answers that question, it is not the
page's causes section ("为什么 … 不能同步？") nor its procedure ("已配置防火墙…怎么办？")."""
_STEP_HEAD = re.compile(r"^(第[一二三四五六七八九十\d]+步|\d{1,2}[.、](?!\d)\s*\S)")  # "4.1 …" numbers a section
_STEPS_HEAD = re.compile(r"步骤|流程|steps?\b|procedure", re.I)
_PROCEDURE_HEAD = re.compile(r"步骤|流程|操作|配置|怎么|如何|steps?\b|procedure", re.I)
_CAUSE_COLUMN = re.compile(r"原因|cause", re.I)
"""A table column stating the cause of the row's case."""
_SOLUTION_HEAD = re.compile(r"解决|处理|恢复|办法|方案|solution|fix", re.I)


def is_step_heading(heading: str) -> bool:
    """A numbered step's heading ("4. 查看集群状态", "第二步：…"): part of a procedure."""
    return bool(_STEP_HEAD.match(heading.strip()))


def is_causes_heading(heading: str) -> bool:
    """A heading over the page's list of causes ("可能原因"), not a FAQ entry's question ("…原因是什么？")."""
    return bool(_CAUSE_LIST.search(heading)) and not _QUESTION_HEAD.search(heading)


def is_solution_heading(heading: str) -> bool:
    """A heading over the page's fixes ("解决方法", "处理办法"), not a FAQ entry's question ("…怎么处理？")."""
    return bool(_SOLUTION_HEAD.search(heading)) and not _QUESTION_HEAD.search(heading)


def says_what_to_do(heading_path: Sequence[str]) -> bool:
    """A section under a procedure or solution heading ("配置步骤", "如何修复"): what it shows is to be done."""
    return any(_PROCEDURE_HEAD.search(h) or _SOLUTION_HEAD.search(h) for h in heading_path)


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
    ("操作步骤", "排查步骤"); None when the document has neither (a how-to then gets the section
    showing the steps, graph/howto_steps.steps_section)."""
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


def solution_section(passage: dict, doc_chunks: list[dict], focus: QuestionTerms | None = None,
                     keyed: bool = False) -> dict | None:
    """The first part of the document's solution section ("解决方法 > 第一步：…", else the section
    itself) when it holds no fixes table (that is `fixes_section`'s): what to do first — or, when
    its parts are fixes by cause ("解决方法 > 缺少或错误的拉取凭据", or bold-keyed items "- **污点**：…",
    graph/keyed_fix.py, when `keyed`), the part for the cause the question points to (`named_fix`); a
    troubleshooting section's sibling steps each headed with a fix ("3. 处理 emergency mode", "5. 处理内核或
    引导问题") are such parts too. None without one."""
    sections = sections_in_order(doc_chunks)
    for path, _ in sections:
        at = next((d for d in range(len(path)) if _SOLUTION_HEAD.search(path[d]) and not _QUESTION_HEAD.search(path[d])), None)
        if at is not None:
            parts = [p[:at + 2] for p, _ in sections if len(p) >= at + 2 and p[:at + 1] == path[:at + 1]]
            if len(set(map(tuple, parts))) < 2:  # fixes as sibling steps ("3. 处理 emergency mode", "5. 处理内核…")
                parts = _sibling_fixes(sections, path[:at]) or parts
            named = named_fix(list(dict.fromkeys(map(tuple, parts))), doc_chunks, focus) if focus else None
            found = subtree(passage, doc_chunks, list(named or path[:at + 2]), added="solution")
            if found is not None and named:
                found["meta"]["named_fix"] = True
            elif found is not None and focus and keyed and len(parts) < 2:
                item = named_item(keyed_items(found["text"]), _asked_cause(doc_chunks, focus))
                if item is not None:  # the item for the cause asked about, whole
                    found["text"] = item
                    found["meta"].update(named_fix=True, keyed_fix=True)
            return found
    return None


def _sibling_fixes(sections: list, parent: list[str]) -> list[list[str]]:
    """The headings under `parent` that each name a fix ("3. 处理 emergency mode", "4. 处理文件系统错误"),
    when there are two or more: a troubleshooting section's per-cause remedies, one of which the
    question's cause names; empty otherwise."""
    depth = len(parent)
    found = [p[:depth + 1] for p, _ in sections if len(p) > depth and list(p[:depth]) == list(parent)
             and _SOLUTION_HEAD.search(p[depth]) and not _QUESTION_HEAD.search(p[depth])]
    found = [list(p) for p in dict.fromkeys(map(tuple, found))]
    return found if len(found) >= 2 else []


def _cause_lines(doc_chunks: list[dict]) -> list[tuple[str, str]]:
    """(line, its cause) of each unit of the causes section: a table row keyed by the case ("现象 |
    常见原因") states its cause in the column headed so; a list line is its cause whole."""
    found = causes_section({}, doc_chunks)
    units = parse_units(found["text"]) if found else []
    return [(u.text, next((v for h, v in (u.cells or {}).items() if _CAUSE_COLUMN.search(h)), u.text)) for u in units]


def _asked_cause(doc_chunks: list[dict], focus: QuestionTerms) -> set[str]:
    """The marks of the cause stated by the causes list's line covering most of what is asked (empty:
    none covers any). A row's key names the case the question matches ("Kernel panic / 无法挂载根文件系统"),
    its cause column what a fix's heading names ("升级内核失败" -> "处理内核或引导问题")."""
    lines = [(coverage(focus, line), cause) for line, cause in _cause_lines(doc_chunks)]
    top = max((c for c, _ in lines), default=0.0)
    return marks(next(cause for c, cause in lines if c == top)) if top > 0 else set()


def named_fix(parts: list[tuple], doc_chunks: list[dict], focus: QuestionTerms) -> tuple | None:
    """The solution part whose heading names the cause the question matches best (the causes
    list's line covering most of what is asked: "私有仓库缺少凭据" -> "缺少或错误的拉取凭据"), or
    whose heading names what is asked; None when no part is named so (the first part then)."""
    if len(parts) < 2:
        return None
    cause = _asked_cause(doc_chunks, focus)

    def named(part: tuple) -> float:
        head = marks(part[-1])
        return (len(head & cause) / len(head) if head else 0.0) + coverage(focus, part[-1])

    best = max(parts, key=named)
    return best if named(best) > 0 else None


def focus_section(passage: dict, doc_chunks: list[dict], focus: QuestionTerms, skip: set[tuple]) -> dict | None:
    """The document's section that best covers what is asked beyond its title (None: none covers any)."""
    best, best_score = None, 0.0
    for path, chunks in sections_in_order(doc_chunks):
        key = (passage.get("source"), tuple(path))
        if key in skip or SKIP_HEAD.search(" ".join(path)):
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

