"""Where a question's gold page is lost in the keyword ranking, by class (issues 15 and 21).

For each question, the keyword path's first `CANDIDATES` passages collapsed to pages:

- `first`: a gold page leads;
- `absent`: no gold page among the candidates (the question's words are not the page's: a
  vocabulary gap no reordering of the candidates can close);
- `other_product`: a page of another product folder leads (knowledge.pages.product_folder:
  `istio-zh` vs `kubernetes-zh-cn` in the corpora base);
- `sibling`: a page of the gold page's own folder leads (same topic, another page);
- `same_product`: another page of the gold page's product leads.

The class tells which mechanism could help: `absent` needs words the page uses (vocabulary),
the others an order among pages that all hold the question's words. Run by
`benchmarks/retrieval_eval.py --classes even` (the dev half; `odd` only as the check);
tests in tests/knowledge/test_retrieval_classes.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Callable, Iterable

from knowledge.pages import product_folder

CANDIDATES = 50
"""Keyword passages looked at: the candidates the keyword path hands to fusion (lexical_candidates)."""
CLASSES = ("first", "sibling", "same_product", "other_product", "absent")


def topic_folder(source: str) -> str:
    """The folder a page belongs to: its parent folder, or the one above for a page that is a
    folder's `index.md` / `_index.md` (Hugo bundles: `tasks/x/index.md` is the page `x`)."""
    parts = source.split("/")
    if parts[-1] in ("index.md", "_index.md") and len(parts) > 2:
        return "/".join(parts[:-2])
    return "/".join(parts[:-1])


def loss_class(pages: list[str], gold: Iterable[str]) -> str:
    """The class of one question from its ranked candidate pages (best first, each once)."""
    gold = list(gold)
    if pages and pages[0] in gold:
        return "first"
    if not any(p in gold for p in pages):
        return "absent"
    leader, target = pages[0], next(p for p in pages if p in gold)
    if product_folder(leader) != product_folder(target):
        return "other_product"
    return "sibling" if topic_folder(leader) == topic_folder(target) else "same_product"


def class_report(items: list[dict], rank_pages: Callable[[str], list[str]]) -> str:
    """One line per question not ranked first (class, gold page rank, the leading page), then the counts."""
    lines, counts = [], Counter()
    for item in items:
        pages = list(dict.fromkeys(rank_pages(item["question"])))
        klass = loss_class(pages, item["gold"])
        counts[klass] += 1
        if klass != "first":
            rank = next((i for i, p in enumerate(pages, 1) if p in item["gold"]), None)
            lines.append(f"{item['id']}\t{klass}\tgold page {rank}\tled by {pages[0] if pages else '-'}")
    lines.append(" ".join(f"{k} {counts[k]}" for k in CLASSES) + f" (of {len(items)})")
    return "\n".join(lines)
