"""The section of a document written for the variant a how-to asks about ("如果是 windows 呢").

A document's procedure is written for one case (Linux commands); the same document often
answers another case in a section of its own ("## Windows 实例") or a question of its FAQ part
("**Q：Windows 实例怎么扩展？**"). When the question names a thing (an entity of the base's
lexicon, an English name) the procedure never mentions and such a heading or question line
names it, that section is the answer, not the procedure: `variant_section` returns it as an evidence passage (meta.added = "variant").
Used by graph/evidence.build_evidence; tested in tests/graph/test_variant.py.
"""

from __future__ import annotations

import re
from typing import Any

from graph.doc_units import merge_texts, sections_in_order
from graph.relevance import QuestionTerms, found

MAX_CHUNKS = 6
# one quantifier per run of text (hardening: no adjacent quantifiers); the closing ** is cut in code
_QUESTION_LINE = re.compile(r"^(?:\*\*)?(?:Q|问)[：:]([^\n]+)$|^\*\*([^*\n]{2,60}[？?])\*\*[ \t]*$", re.M)
_SKIP = re.compile(r"相关文档|相关链接|参考文档|参考资料|延伸阅读|see also|related", re.I)


def _questions(text: str) -> list[tuple[str, str]]:
    """A FAQ part's (question, the question with its answer) pairs, in order."""
    marks = list(_QUESTION_LINE.finditer(text))
    return [((m.group(1) or m.group(2) or "").strip().removesuffix("**").strip(),
             text[m.start():marks[k + 1].start() if k + 1 < len(marks) else len(text)].strip())
            for k, m in enumerate(marks)]


def variant_section(anchor: dict, doc_chunks: list[dict], focus: QuestionTerms, steps: dict) -> dict | None:
    """The section whose heading (or one of its question lines) names a term of `focus` (what is
    asked beyond the document's title) that the procedure `steps` never mentions; the one naming
    the most such weight; None when there is none."""
    shown = f"{' '.join(steps.get('heading_path') or [])} {steps.get('text') or ''}".lower()
    # a thing's name (an entity of the base's lexicon, a product or OS name), not a symptom ("看不到")
    names = {e.lower() for e in focus.entities}
    missing = {t: w for t, w in focus.weights.items()
               if not found(t, shown) and (t in names or re.fullmatch(r"[a-z][a-z0-9.+-]{2,}", t))}
    if not missing:
        return None
    best, best_weight = None, 0.0
    for path, chunks in sections_in_order(doc_chunks):
        if not path or _SKIP.search(" ".join(path)):
            continue
        text = merge_texts([c["text"] for c in chunks[:MAX_CHUNKS]])
        for name, part in [(path[-1], text), *_questions(text)]:  # the heading: the whole section; a question: its answer
            weight = sum(w for t, w in missing.items() if found(t, name.lower()))
            if weight > best_weight:
                best, best_weight = (path, chunks, part, name), weight
    if best is None:
        return None
    path, chunks, text, name = best
    kinds = {c.get("kind") for c in chunks}
    meta = {**(anchor.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks], "added": "variant"}
    if name != path[-1]:
        meta["question"] = name  # read where it sits: under its own question
    return {**anchor, "chunk_id": chunks[0]["chunk_id"], "heading_path": path, "text": text,
            "kind": kinds.pop() if len(kinds) == 1 else "doc", "meta": meta}


def usable_variant(variant: dict | None, steps: dict | None) -> dict | None:
    """The variant section, unless it is inside the procedure itself (nothing else to show)."""
    if variant is None or steps is None:
        return variant
    inside = set((steps.get("meta") or {}).get("chunks") or [])
    return None if set((variant.get("meta") or {}).get("chunks") or []) <= inside else variant
