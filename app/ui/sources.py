"""The sources panel: one expandable card per citation (title, path, highlighted snippet, match).

The match shown is how much of the question the passage covers (`relevance`, 0..1, from
verify) as 高 / 中 / 低 — never the retrieval's internal fusion score, which means nothing to a reader.

Cards have ids `src-n`, the targets of the `[n]` links in the chat. Everything taken
from documents is HTML-escaped before the query terms are highlighted with <mark>.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable

from knowledge.text import tokenize

from app.ui.links import rewrite_doc_links

SNIPPET_CHARS = 360


def highlight(text: str, terms: Iterable[str], limit: int = SNIPPET_CHARS) -> str:
    """Escaped snippet (around the first hit) with the query's terms in <mark>."""
    words = sorted({t for t in terms if len(t.strip()) >= 2 or (t.strip() and not t.isascii())}, key=len, reverse=True)
    start = 0
    lowered = text.lower()
    hits = [lowered.find(w.lower()) for w in words if lowered.find(w.lower()) >= 0]
    if hits and min(hits) > limit // 2:
        start = max(0, min(hits) - limit // 4)
    snippet = text[start:start + limit]
    prefix, suffix = ("…" if start else ""), ("…" if start + limit < len(text) else "")
    escaped = html.escape(snippet)
    if words:
        pattern = re.compile("|".join(re.escape(html.escape(w)) for w in words), re.I)
        escaped = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return prefix + escaped.replace("\n", "<br>") + suffix


def query_terms(questions: Iterable[str]) -> list[str]:
    terms: list[str] = []
    for question in questions:
        terms.extend(tokenize(question))
    return list(dict.fromkeys(terms))


MATCH_LEVELS = ((0.6, "高"), (0.3, "中"), (0.0, "低"))
"""Share of the question's (weighted) words a passage contains -> the label a card shows."""


def match_label(relevance) -> str:
    """`匹配度：高` with the share as a tooltip; nothing when the citation carries no relevance."""
    if not isinstance(relevance, (int, float)):
        return ""
    level = next(label for bar, label in MATCH_LEVELS if relevance >= bar)
    tip = f"这段内容包含问题中约 {round(float(relevance) * 100)}% 的关键词（按重要性加权）"
    return f"<span class='sc-score' title='{tip}'>匹配度：{level}</span>"


def source_card(citation: dict[str, Any], terms: list[str], open_: bool = False, base: bool = False) -> str:
    """One source; `base`: several knowledge bases are cited, so the card names this one's."""
    n = int(citation.get("n") or 0)
    title = html.escape(str(citation.get("title") or citation.get("source") or ""))
    heading = citation.get("heading")
    heading_html = f" · {html.escape(str(heading))}" if heading and heading != citation.get("title") else ""
    path = html.escape(str(citation.get("source") or ""))
    if base and citation.get("kb"):
        path = f"{html.escape(str(citation['kb']))} · {path}"
    score_html = match_label(citation.get("relevance"))
    text = str(citation.get("text") or "")
    focus = int(citation.get("focus") or 0)  # the cited line; links are rewritten after cutting there
    snippet = highlight(rewrite_doc_links(text[focus:] if 0 < focus < len(text) else text), terms)
    snippet = ("…" + snippet) if 0 < focus < len(text) and not snippet.startswith("…") else snippet
    return (
        f"<details class='sc-source' id='src-{n}'{' open' if open_ else ''}>"
        f"<summary><b>[{n}]</b> {title}{heading_html}</summary>"
        f"<div class='sc-path'><code>{path}</code> {score_html}</div>"
        f"<div class='sc-snippet'>{snippet}</div></details>"
    )


def sources_html(result: dict[str, Any] | None) -> str:
    """The panel for one turn; a hint when the turn cited nothing, another before any turn (None)."""
    if result is None:
        return "<div class='sc-sources-empty'>提问后，这里会列出回答引用的知识库来源；点击回答中的 [n] 可定位到对应来源。</div>"
    citations = (result or {}).get("citations") or []
    if not citations:
        return "<div class='sc-sources-empty'>本轮回答没有引用知识库来源。</div>"
    terms = query_terms((result or {}).get("standalone") or (result or {}).get("sub_questions") or [])
    several = len({c.get("kb") for c in citations if c.get("kb")}) > 1
    cards = "".join(source_card(c, terms, base=several) for c in citations)
    return f"<div class='sc-sources'><div class='sc-sources-title'>参考来源（{len(citations)}）</div>{cards}</div>"
