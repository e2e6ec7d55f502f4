"""Extractive answers: the best sentences (and, for "how" questions, the steps) of the
selected passages, each with its `[n]` citation. The no-model default strategy of answer.

Passages arrive most relevant LAST and are numbered in that order (as in the prompt);
the answer starts with the most relevant passage's units, in document order.
"""

from __future__ import annotations

import re

from graph.domain_score import content_tokens
from graph.passages import faq_question
from graph.sentences import is_code, is_list_item, split_units, strip_citations

MAX_SOURCES = 3
"""Passages (most relevant first) an extractive answer draws from: fewer, better-cited sources."""
MIN_RELEVANCE = 0.25
"""Share of the question's words a sentence must contain to be picked at all."""
HOW = re.compile(r"怎么|怎样|如何|步骤|排查|解决|处理|办法|方法|配置|设置|操作|\bhow\b", re.IGNORECASE)
_SKIP = re.compile(r"^(#|\||---)")
_LEAD_IN = re.compile(r"[：:]$")
_LINK_ONLY = re.compile(r"^\s*(?:(?:[-*•]|\d+[.、)])\s*)?\[[^\[\]]+\]\([^()]+\)\s*(?:[。；;，,]\s*)?$")
_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]+\)")  # no `[` / `(` inside: each scan stops at the next one
_FAQ_Q = re.compile(r"^(问|Q)\s*[：:]")
_FAQ_A = re.compile(r"^(答|A)\s*[：:]\s*")


def _overlap(q_tokens: set[str], text: str) -> float:
    """Share of the question's words found in the text (as substrings: 磁盘 matches 磁盘空间)."""
    if not q_tokens:
        return 0.0
    low = text.lower()
    return sum(1 for t in q_tokens if t in low) / len(q_tokens)


def _steps(units: list[str]) -> list[str]:
    """The first run of list items / code blocks (at least two units) in a passage."""
    best: list[str] = []
    run: list[str] = []
    for unit in units + [""]:
        if unit and (is_list_item(unit) or is_code(unit)) and not _LINK_ONLY.match(unit):
            run.append(unit)
            continue
        if len(run) >= 2 and any(is_list_item(u) for u in run):
            best = run
            break
        run = []
    return best[:10]


def _all_units(passage: dict) -> list[tuple[int, str]]:
    """(position, text) of a passage's prose units, as extractive_units numbers them."""
    out = []
    for pos, unit in enumerate(split_units(passage.get("text", ""))):
        clean = _LINK.sub(r"\1", _FAQ_A.sub("", strip_citations(unit)))
        if not (_SKIP.match(clean) or is_code(clean) or _FAQ_Q.match(clean) or _LEAD_IN.search(clean)
                or len(clean) < 6 or _LINK_ONLY.match(unit)):
            out.append((pos, clean))
    return out


def extractive_units(question: str, passages: list[dict], max_units: int = 4, query: str = "") -> list[dict]:
    """Units `{"text","cites"}` answering the question from the passages (may be empty).

    Passages are visited most relevant first; one with nothing to say (a list of links, a
    bare code block for a non-"how" question) does not use up one of the `MAX_SOURCES`.
    `query` is the expanded retrieval query: its documentation terms (连不上 -> 无法连接)
    count as the question's words too; a passage whose title matches lends its sentences
    half of that match.
    """
    q_tokens = set(content_tokens(question))
    expanded = set(content_tokens(query)) | q_tokens if query else q_tokens
    how = bool(HOW.search(question))
    candidates: list[tuple[float, int, int, str]] = []  # score, source rank, position, text
    sources: list[int] = []  # passage numbers used, most relevant first
    blocks: list[tuple[float, int, str, bool]] = []  # (match, passage number, steps or code, is_steps)
    for n in range(len(passages), 0, -1):
        if len(sources) >= MAX_SOURCES:
            break
        passage = passages[n - 1]
        title_rel = _overlap(q_tokens, " ".join([passage.get("title") or ""] + list(passage.get("heading_path") or [])))
        asked = faq_question(passage)
        found = []
        for pos, clean in _all_units(passage):
            if clean == asked:
                continue
            relevance = max(_overlap(q_tokens, clean), title_rel / 2,
                            min(1.0, _overlap(expanded, clean) * len(expanded) / max(1, len(q_tokens)) / 2))
            # The best passage passed the knowledge layer's threshold: any sentence sharing a word may speak.
            if relevance < (MIN_RELEVANCE if sources else 1e-9):
                continue
            score = relevance + 0.3 * (1 - len(sources) / MAX_SOURCES)
            if passage.get("kind") == "table":
                score -= 0.15  # a table row out of its table reads badly
            if passage.get("kind") == "faq" and asked:
                score += 0.2 * _overlap(q_tokens, asked)
            found.append((score, len(sources), pos, clean))
        units = split_units(passage.get("text", ""))
        steps = _steps(units) if how else []
        code = next((u for u in units if is_code(u)), "") if how and not steps else ""
        if found or steps or (code and (title_rel or _overlap(q_tokens, code))):
            if steps or code:
                block = "\n".join(steps) if steps else code
                blocks.append((title_rel + _overlap(q_tokens, block) - 0.1 * len(sources), n, block, bool(steps)))
            candidates.extend(found)
            sources.append(n)
    picked = sorted(candidates, key=lambda c: -c[0])[:max_units]
    picked = [c for c in picked if c[0] > 0.3 or c is picked[0]]
    if picked and len(picked) < 2:  # a terse question ("1045"): the sentences around it explain it
        best_rank, best_pos = picked[0][1], picked[0][2]
        around = [c for c in _all_units(passages[sources[best_rank] - 1]) if c[0] != best_pos]
        context = sorted(around, key=lambda c: (abs(c[0] - best_pos), c[0] < best_pos))[: max_units - 1]
        picked += [(0.0, best_rank, pos, text) for pos, text in context]
    picked.sort(key=lambda c: (c[1], c[2]))
    out = [{"text": text, "cites": [sources[rank]]} for _, rank, _, text in picked]
    if blocks:
        _, n, block, is_steps = max(blocks, key=lambda b: b[0])
        out = [u for u in out if u["text"] not in block]
        lead = "参考步骤：" if is_steps else "参考命令："
        out.insert(min(1, len(out)), {"text": f"{lead}\n{block}", "cites": [n], "steps": True})
    return out


def units_text(units: list[dict]) -> str:
    """Units as answer text: a sentence with its citation; a steps block with it on its lead line."""
    parts = []
    for unit in units:
        marks = "".join(f"[{n}]" for n in unit["cites"])
        if unit.get("steps") or "\n" in unit["text"]:
            lead, _, rest = unit["text"].partition("\n")
            parts.append(f"{lead.rstrip('：:')}{marks}：\n{rest}" if rest else f"{lead}{marks}")
        else:
            parts.append(f"{unit['text']}{marks}")
    return "\n".join(parts)
