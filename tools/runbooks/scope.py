"""Runbooks belong to products: which runbooks are in scope for a knowledge base.

A runbook's `scope` names knowledge bases (or `"*"`, any base) and/or products; a base
holds a product when one of its documents declares it (front matter `product`, read
through `KnowledgeService.products`). Matching only considers runbooks in scope, so a
Kubernetes base never starts the demo cloud's flows, and a base without runbooks simply
answers from knowledge. A link step may only lead to a runbook at least as widely
scoped, so a product-neutral flow never ends in one product's advice.
Tests: tests/tools/test_runbook_scope.py.
"""

from __future__ import annotations

import logging
from typing import Any

from tools.runbooks.schema import LinkStep, Runbook

log = logging.getLogger(__name__)


def products_of(knowledge: Any, kb: str | None) -> set[str]:
    """Products the base's documents declare (empty without a knowledge service or base)."""
    if knowledge is None or kb is None or not hasattr(knowledge, "products"):
        return set()
    try:
        return set(knowledge.products(kb))
    except Exception as exc:  # an unknown base has no products; scoping must not break matching
        log.debug("products of %s unavailable: %s", kb, exc)
        return set()


def in_scope(runbooks: dict[str, Runbook], kb: str | None, products: set[str]) -> dict[str, Runbook]:
    return {rb_id: rb for rb_id, rb in runbooks.items() if rb.scope.covers(kb, products)}


def link_scope_problem(runbook: Runbook, runbooks: dict[str, Runbook]) -> str | None:
    """A link to a runbook that does not cover every base this one covers, described, or None."""
    for i, step in enumerate(runbook.steps):
        if not isinstance(step, LinkStep) or step.runbook not in runbooks:
            continue
        target = runbooks[step.runbook].scope
        mine = runbook.scope
        wider = target.anywhere or (not mine.anywhere and set(mine.kbs) <= set(target.kbs)
                                    and set(mine.products) <= set(target.products))
        if not wider:
            return (f"字段 steps[{i}]({step.id}).runbook：运行手册 {step.runbook} 的适用范围（scope）"
                    f"不包含本运行手册的适用范围")
    return None
