"""Within-page section choice: the section of an evidence page whose own heading names what the question singles out.

Retrieval ranks chunks, and a page's chunks compete with each other: a spoken question sharing the
page's common words ("sidecar", "pod", "注入") brings one section of the page to the lead while the
section whose heading names the one thing the user asks about ("在 Pod 中使用 `tcpdump` 的限制" for
"…在 istio-proxy 容器里跑 tcpdump 用不了") comes lower, or not at all (issue 21: right page, other section).
Once the evidence's pages are chosen, their sections are compared by heading: the thing the question names
beyond the page's title that the base writes most rarely (`singled_out`: an entity or code, clearly rarer than
the next one named) singles out what is asked; a section whose own last heading names it, with at least
MIN_HEADING_TERMS asked words, and is the only heading of the page naming it, is the page's section on it.
When the leading evidence passage's heading and text do not name that word, the section is fetched from
the page (whether retrieval returned it or not) and leads; the page's other sections not naming it, found by
the page's common words, give way (they would pad the answer with another case). Which pages answer is not
changed: only pages the evidence already holds are read; graph/doc_order.py answers from the section first.
Used by graph/nodes/select.py; tested in tests/graph/test_heading_section.py.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from graph.doc_sections import SKIP_HEAD, is_step_heading, section_key, subtree
from graph.doc_units import sections_in_order
from graph.heading_match import MIN_HEADING_TERMS, clearly_heaviest
from graph.relevance import QuestionTerms, found, title_context

PAGES = 2
"""Evidence pages (the most relevant first) whose sections are compared."""


def _named(rare: str, terms: QuestionTerms, heading: str) -> bool:
    low = heading.lower()
    return found(rare, low) and sum(1 for t in terms.weights if found(t, low)) >= MIN_HEADING_TERMS


def singled_out(terms: QuestionTerms) -> str | None:
    """The thing the question names that the base writes most rarely (one of its entities or codes), when it
    weighs RAREST_MARGIN times the next such thing: a spoken question's rarest word is often a colloquial one
    ("一堆", "这边"), so the things it names are compared among themselves."""
    named = set(terms.entities) | set(terms.codes())
    return clearly_heaviest((t, w) for t, w in terms.weights.items() if t in named)


def _names(rare: str, passage: Mapping[str, Any]) -> bool:
    """The passage's headings or text name the word."""
    return found(rare, " ".join([*(passage.get("heading_path") or []), str(passage.get("text") or "")]).lower())


def _page_section(page: Mapping[str, Any], doc: list[dict], terms: QuestionTerms) -> tuple[str, dict] | None:
    """The question's rarest word beyond the page's title and the page's one section whose own heading names it."""
    asked = terms.own().without(title_context(page))
    rare = singled_out(asked)
    if rare is None:
        return None
    named = [path for path, _ in sections_in_order(doc)
             if path and not is_step_heading(path[-1]) and not SKIP_HEAD.search(path[-1]) and _named(rare, asked, path[-1])]
    if len({tuple(p) for p in named}) != 1:
        return None  # none, or several sections name it: the heading does not single one out
    section = subtree(dict(page), doc, named[0], added="heading")
    return (rare, section) if section is not None else None


def heading_led(evidence: Sequence[dict], terms: QuestionTerms,
                chunks_of: Callable[[Mapping[str, Any]], list], room: int) -> list[dict]:
    """The evidence (most relevant LAST) led by the section of one of its first PAGES pages whose heading
    names what the question singles out, when the leading passage does not name it (module docstring);
    at most `room` passages, the least relevant given up first. Unchanged otherwise."""
    docs = [p for p in reversed(evidence) if p.get("kind") != "faq" and p.get("source")]
    if not docs:
        return list(evidence)
    lead = evidence[-1]
    pages = list(dict.fromkeys(str(p.get("source")) for p in docs))[:PAGES]
    for source in pages:
        page = next(p for p in docs if p.get("source") == source)
        named = _page_section(page, chunks_of(page), terms)
        if named is None:
            continue
        rare, section = named
        if _names(rare, lead):
            return list(evidence)  # the lead names it already
        if section_key(section) == section_key(lead):
            return list(evidence)
        # the page's other sections not naming it were found by the page's common words: they give way
        rest = [p for p in evidence if p.get("kind") == "faq" or p.get("source") != source or _names(rare, p)]
        return [*rest[-(room - 1):], section] if room > 1 else [section]
    return list(evidence)
