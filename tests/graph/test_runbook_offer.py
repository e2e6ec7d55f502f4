"""graph/runbook_offer.py: a runbook is offered after an answer about the pages it advises from."""

from __future__ import annotations

from graph.runbook_offer import offer_fits, runbook_sources
from tests.graph.conftest import asker
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



def test_after_a_hedged_answer_the_offer_needs_one_of_the_runbooks_own_pages():
    books = load_runbooks()
    table = {"source": "tables/instance-types.xlsx", "kind": "table"}
    rules_page = {"source": "docs/vpc/security-group-not-working.md", "kind": "doc"}
    assert offer_fits(books["cpu-high"], [table])  # a full answer from a table says nothing against it
    assert not offer_fits(books["cpu-high"], [table], hedged=True)  # "数据库 cpu 一直 100%"
    ssh = books["ssh-rdp-cannot-connect"]
    assert offer_fits(ssh, [rules_page])  # the same folder as its security-group page
    assert not offer_fits(ssh, [rules_page], hedged=True)  # "ping 不通但 ssh 能连上"
    assert offer_fits(ssh, [{"source": "docs/scs/ssh-login-failed.md", "kind": "doc"}], hedged=True)
    assert offer_fits(books["connectivity-check"], [table], hedged=True)  # product-neutral



def test_a_hedged_answer_on_another_products_case_offers_no_runbook(keyword_demo):
    """Through the whole graph on the demo base: the server CPU runbook is not offered after a hedged
    answer to a database CPU question, and still is after the server CPU question."""
    ask = asker(keyword_demo, "offer")
    assert "帮我排查" not in ask("数据库 cpu 一直 100%")["answer"]
    assert "帮我排查" not in ask("ping 不通但 ssh 能连上")["answer"]
    assert "CPU 使用率 100%" in ask("cpu 一直 100% 怎么办")["answer"].split("帮我排查")[0]
