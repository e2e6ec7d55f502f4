"""Relative document links inside answers: point them at the source card, or keep only the text.

Passages copied from Markdown documents carry links relative to their own file, e.g.
`[ERROR 1040](too-many-connections.md)`; in the chat or an exported transcript they lead
nowhere. `rewrite_doc_links` turns each into a link to the cited source card (`#src-n`)
when the target is one of the turn's citations, else into its plain text. Web links
(`https:`, `mailto:` …) and anchors (`#…`) stay as they are.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Iterable

LINK_RE = re.compile(r"(!?)\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _is_relative(target: str) -> bool:
    return not (target.startswith(("#", "//")) or SCHEME_RE.match(target))


def _doc_name(target: str) -> str:
    path = target.split("#", 1)[0].split("?", 1)[0]
    return posixpath.basename(posixpath.normpath(path)) if path else ""


def _card_for(target: str, citations: Iterable[dict[str, Any]]) -> int | None:
    name = _doc_name(target)
    if not name:
        return None
    for citation in citations:
        source = str(citation.get("source") or "")
        if source and posixpath.basename(source) == name:
            return int(citation.get("n") or 0) or None
    return None


def rewrite_doc_links(text: str, citations: list[dict[str, Any]] | None = None, prefix: str = "src") -> str:
    """Relative links -> `[label](#src-n)` for a cited document, else `label` (images: their alt text)."""
    if "](" not in text:
        return text
    cited = list(citations or [])

    def swap(match: re.Match) -> str:
        bang, label, target = match.group(1), match.group(2), match.group(3)
        if not _is_relative(target):
            return match.group(0)
        n = None if bang else _card_for(target, cited)
        return f"[{label}](#{prefix}-{n})" if n and label.strip() else label

    return LINK_RE.sub(swap, text)
