"""graph/runbook_offer.py: a runbook is offered after an answer about the pages it advises from."""

from __future__ import annotations

from graph.runbook_offer import offer_fits, offered_before, runbook_sources
from tests.graph.conftest import make_context
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
    assert not offer_fits(ssh, [rules_page], hedged=True)
    assert offer_fits(ssh, [{"source": "docs/scs/ssh-login-failed.md", "kind": "doc"}], hedged=True)
    # retrieval ranked one of the runbook's pages among its first few: "云服务器 CPU 一直 100% 很卡"
    ranked = [{"source": "docs/scs/overview.md"}, table, {"source": "docs/scs/cpu-high.md"}]
    assert offer_fits(books["cpu-high"], [table], hedged=True, retrieved=ranked)
    assert not offer_fits(books["cpu-high"], [table], hedged=True, retrieved=[{"source": "docs/x.md"}] * 5 + ranked)
    assert offer_fits(books["connectivity-check"], [table], hedged=True)  # product-neutral



def test_a_hedged_answer_on_another_products_case_offers_no_runbook(keyword_demo, tmp_path):
    """Through the whole graph on the demo base with the shipped runbooks: the server CPU runbook is not
    offered after a hedged answer to a database CPU question, and still is after the server CPU
    questions (hedged or not)."""
    import dataclasses

    from graph.service import Copilot
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine

    engine = RunbookEngine(load_runbooks(), build_registry(ToolSettings(), tmp_path / "tools", knowledge=keyword_demo),
                           knowledge=keyword_demo)
    copilot = Copilot(dataclasses.replace(make_context(keyword_demo), runbooks=engine))
    offer = "「云服务器 CPU 使用率 100%」"
    answers = {q: copilot.ask(q, f"offer-{n}", kb="demo").answer
               for n, q in enumerate(["数据库 cpu 一直 100%", "云服务器 CPU 一直 100% 很卡", "cpu 一直 100% 怎么办"])}
    assert offer not in answers["数据库 cpu 一直 100%"], answers
    assert offer in answers["云服务器 CPU 一直 100% 很卡"] and offer in answers["cpu 一直 100% 怎么办"], answers


def test_an_offer_the_previous_reply_made_is_not_repeated():
    offer = "如需按排障流程「磁盘空间满」逐步排查（会调用诊断工具），请回复“帮我排查”。"
    assert offered_before(offer, {"text": f"1. 日志占满空间。\n\n{offer}"})
    assert not offered_before(offer, {"text": "1. 日志占满空间。"})
    assert not offered_before(offer, {})
