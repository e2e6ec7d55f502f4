"""graph/runbook_offer.py: a runbook is offered after an answer about the pages it advises from."""

from __future__ import annotations

from graph.runbook_offer import offer_fits, runbook_sources
from tools.runbooks import load_runbooks


def test_the_offer_needs_the_answer_on_the_runbooks_pages_folder():
    books = load_runbooks()
    cpu = books["cpu-high"]
    assert runbook_sources(cpu) == {"docs/scs/cpu-high.md", "docs/scs/memory-oom.md"}
    mysql_page = {"source": "docs/mysql/mysql-overview.md", "kind": "doc"}
    assert not offer_fits(cpu, [mysql_page])  # another product's pages
    assert offer_fits(cpu, [mysql_page, {"source": "docs/scs/burstable.md", "kind": "doc"}])  # one in its folder
    assert offer_fits(cpu, [{"source": "faq/faq.jsonl", "kind": "faq"}])  # a FAQ entry says nothing against it
    assert offer_fits(cpu, [])
    assert offer_fits(books["connectivity-check"], [mysql_page])  # product-neutral: cites no page

