"""Whether a runbook offered after a knowledge answer is about what the answer is about.

A runbook cites the pages its advice comes from; the answer cites the pages it quotes. When the
answer quotes document pages and none of them is filed where the runbook's pages are
(knowledge.pages.product_folder: `mysql` of `docs/mysql/…`), the question is about another
product: "数据库 cpu 一直 100%" answered from the MySQL pages is no case for the cloud server's CPU
flow, though both share "CPU 100%". An answer from FAQ entries or tables only, or a runbook citing
no page (a product-neutral check), says nothing against the offer.

After a hedged answer (the knowledge matched the question only in part) the folder is not enough:
the answer must quote one of the runbook's own pages, or retrieval must have ranked one among its
first few. "数据库 cpu 一直 100%" hedged over a spec table matched the server CPU runbook's trigger
words without any of its pages found; "云服务器 CPU 一直 100% 很卡", hedged over the same table, has
the CPU page fourth in retrieval and is that runbook's case.
The previous reply of the thread made the same offer: it is not repeated (`offered_before`) — a follow-up
narrowing to one line of the page is answered by that line, the offer still stands above it.
Tests: tests/graph/test_runbook_offer.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from knowledge.pages import product_folder
from tools.runbooks.schema import AdviseStep, Runbook


def runbook_sources(runbook: Runbook) -> set[str]:
    """The pages the runbook's advice cites."""
    return {c.source for s in runbook.steps if isinstance(s, AdviseStep) for c in s.cite if c.source}


HEDGED_REACH = 5
"""Retrieved passages, best first, among which a runbook page lets a hedged answer offer it."""


def offer_fits(runbook: Runbook, cited: Sequence[Mapping[str, Any]], hedged: bool = False,
               retrieved: Sequence[Mapping[str, Any]] = ()) -> bool:
    """The answer's document pages share a folder with the runbook's pages (or either side names none);
    after a hedged answer (`hedged`), it quotes one of the runbook's pages or `retrieved` (best first)
    has one among its first HEDGED_REACH."""
    pages = runbook_sources(runbook)
    quoted = {str(c.get("source") or "") for c in cited if (c.get("kind") or "doc") == "doc"} - {""}
    if hedged:
        found = {str(p.get("source") or "") for p in retrieved[:HEDGED_REACH]}
        return not pages or bool(pages & (quoted | found))
    theirs = {product_folder(s) for s in pages} - {""}
    ours = {product_folder(s) for s in quoted} - {""}
    return not theirs or not ours or bool(theirs & ours)


def offered_before(offer: str, prior: Mapping[str, Any]) -> bool:
    """Did the thread's previous reply end with the same offer (its text is kept without bold marks)?"""
    said = str(prior.get("text") or "")
    return bool(said) and offer.replace("**", "") in said
