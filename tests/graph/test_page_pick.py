"""Which page anchors the answer when the gold page is retrieved beside another (issue 21):
the question's rarest declared name picks the product's page (graph/named_page.py), what the user
says works does not pick the page (graph/working_clause.py), and the anchor is chosen among every
kept section (graph/evidence.CANDIDATES). Made-up pages and the demo base (keyword index).
Run: pytest tests/graph/test_page_pick.py"""

from __future__ import annotations

import pytest

from graph.evidence import build_evidence
from graph.named_page import key_entity, naming_anchor
from graph.passages import to_state
from graph.relevance import QuestionTerms
from graph.working_clause import quieter, working_words
from tests.graph.conftest import asker
from tests.graph.fakes import FakeKnowledge, page_chunk


def _tagged(chunk: dict, *tags: str) -> dict:
    state = to_state(chunk)
    state["meta"] = {**(state.get("meta") or {}), "doc_tags": list(tags)}
    return state


SERVER = page_chunk("docs/s/cpu.md", "CPU 使用率 100% 排查", "c-0", ["现象"], "监控显示 CPU 长时间接近 100%，接口变慢。")
DATABASE = page_chunk("docs/m/slow.md", "慢查询分析", "m-0", ["发现慢查询"], "监控中 CPU 持续偏高，慢查询数上升。")


def test_the_rarest_declared_name_picks_its_product_page():
    terms = QuestionTerms({"rds": 5.4, "cpu": 2.6, "变慢": 5.1}, entities=["rds", "cpu"])
    assert key_entity(terms) == "rds"
    server, database = _tagged(SERVER, "云服务器", "CPU"), _tagged(DATABASE, "云数据库 MySQL", "RDS MySQL")
    assert naming_anchor(server, [server, database], terms) is database


def test_a_name_no_page_declares_or_of_like_rarity_decides_nothing():
    server, database = _tagged(SERVER, "云服务器"), _tagged(DATABASE, "云数据库 MySQL")
    terms = QuestionTerms({"ping": 4.5, "ssh": 2.6}, entities=["ping", "ssh"])
    assert naming_anchor(server, [server, database], terms) is server  # no page declares ping
    assert key_entity(QuestionTerms({"load": 4.5, "qps": 4.9}, entities=["load", "qps"])) is None


def test_the_working_clause_weighs_little():
    terms = QuestionTerms({"ping": 4.5, "不通": 3.5, "ssh": 2.6})
    assert working_words("ping 不通但 ssh 能连上", terms) == {"ssh"}
    assert quieter(terms, "ping 不通但 ssh 能连上").weights["ssh"] < 1.0
    assert working_words("ssh 连不上，ping 也不通", terms) == set()  # nothing said to work


RULES = page_chunk("docs/v/sg-rules.md", "安全组规则说明", "r-0", ["默认规则"], "新建的安全组不放行 ICMP，ping 不通。")
LOGIN = page_chunk("docs/s/ssh.md", "SSH 无法登录排查", "s-0", ["排查步骤"], "SSH 登录不通时先检查 22 端口和密钥。")


def test_the_page_about_the_failing_thing_anchors():
    kb = FakeKnowledge([RULES, LOGIN])
    terms = QuestionTerms({"ssh": 2.6, "登录": 2.2, "ping": 4.5, "不通": 3.5, "icmp": 2.2}, entities=["ssh", "ping"])
    chosen = [to_state(RULES), to_state(LOGIN)]  # most relevant last: the login page ranked first
    evidence = build_evidence(chosen, kb.document_chunks, "symptom", terms, question="ssh 可以正常登录 但是 ping 不通")
    assert evidence[-1]["source"] == "docs/v/sg-rules.md"


@pytest.fixture(scope="module")
def ask(keyword_demo):
    return asker(keyword_demo, "page-pick")


def _cited(result: dict) -> set[str]:
    return {c["source"] for c in result["citations"]}


def test_a_working_ssh_and_a_failing_ping_get_the_icmp_rule_on_the_demo_base(ask):
    result = ask("ssh 能连 就是 ping 不通")
    assert "docs/vpc/security-group-rules.md" in _cited(result), result["citations"]
    assert "ICMP" in result["answer"].split("**参考来源**")[0]


def test_a_cpu_at_full_load_is_answered_from_the_cpu_page_not_the_spec_table_on_the_demo_base(ask):
    result = ask("云服务器 cpu 一直 100%，卡得很")
    assert "docs/scs/cpu-high.md" in _cited(result), result["citations"]
