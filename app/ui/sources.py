"""The sources panel: one expandable card per citation (title, path, highlighted snippet, score).

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


def source_card(citation: dict[str, Any], terms: list[str], open_: bool = False) -> str:
    n = int(citation.get("n") or 0)
    title = html.escape(str(citation.get("title") or citation.get("source") or ""))
    heading = citation.get("heading")
    heading_html = f" · {html.escape(str(heading))}" if heading and heading != citation.get("title") else ""
    path = html.escape(str(citation.get("source") or ""))
    score = citation.get("score")
    score_html = f"<span class='sc-score'>相关度 {float(score):.3f}</span>" if isinstance(score, (int, float)) else ""
    snippet = highlight(rewrite_doc_links(str(citation.get("text") or "")), terms)  # doc-relative links: text only
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
    cards = "".join(source_card(c, terms) for c in citations)
    return f"<div class='sc-sources'><div class='sc-sources-title'>参考来源（{len(citations)}）</div>{cards}</div>"
