"""Runbooks belong to a product: scope validation, matching per knowledge base, and the
product-neutral connectivity check that takes its advice from the base in use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.tools.flows import drive, kinds
from tests.tools.servers import closed_port
from tools.errors import ToolsError
from tools.runbooks import RunbookEngine, load_runbooks
from tools.runbooks.loader import load_paths
from tools.runbooks.schema import AdviseStep

DEMO_QUESTIONS = ["ssh 连不上服务器了", "网站访问报 502 Bad Gateway", "新加的解析记录不生效", "浏览器提示证书过期",
                  "No space left on device 磁盘满了", "服务器 CPU 一直 100%", "MySQL 报 Too many connections"]
MINIMAL = {"id": "custom", "title": "自定义", "description": "测试",
           "steps": [{"id": "hello", "kind": "advise", "text": "你好"}]}


def write_runbook(folder: Path, data: dict) -> Path:
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def ops_base(tmp_path):
    """A second product's knowledge base beside the demo one: a few pages of another vendor's docs."""
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder

    docs = tmp_path / "ops-docs"
    pages = {
        "network/port-unreachable.md": "---\ntitle: 端口无法连接\nproduct: 网关服务\n---\n# 端口无法连接\n\n"
        "连接超时通常是 NetworkPolicy 或主机防火墙拦截了端口，请检查 ingress 规则是否放行该端口。\n",
        "network/tls-handshake.md": "# TLS 握手失败\n\n证书过期或 SNI 不匹配会导致握手失败，用 openssl s_client 查看证书链。\n",
        "dns/cluster-dns.md": "# 集群内域名解析失败\n\nsvc.cluster.local 解析失败时检查 CoreDNS 的 Pod 与日志。\n",
    }
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    service = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path / "data", HashEmbedder(dim=64))
    service.ingest([docs], kb="ops")
    yield service
    service.close()


def test_shipped_runbooks_belong_to_the_demo_cloud_except_the_neutral_one():
    runbooks = load_runbooks()
    neutral = [r.id for r in runbooks.values() if r.scope.anywhere]
    assert neutral == ["connectivity-check"]
    assert all(r.scope.kbs == ["demo"] for r in runbooks.values() if not r.scope.anywhere)
    texts = [s.text for s in runbooks["connectivity-check"].steps if isinstance(s, AdviseStep)]
    assert not any(word in t for t in texts for word in ("星栈云", "控制台"))  # no product's console


def test_the_neutral_check_cites_what_its_check_observed():
    """The symptom slot holds the request ("帮我做一下网络连通性诊断，地址 127.0.0.1 端口 1"): without the
    tool's observation the citation query is host, port and filler, and its top passages tie on noise."""
    steps = [s for s in load_runbooks()["connectivity-check"].steps if isinstance(s, AdviseStep) and s.cite]
    observed = [s for s in steps if "data.summary" in s.text]
    assert observed
    for step in observed:
        placeholders = set(re.findall(r"\{\{(tool\.\w+\.data\.summary)\}\}", step.text))
        assert all(placeholders <= set(re.findall(r"\{\{(tool\.\w+\.data\.summary)\}\}", c.query or ""))
                   for c in step.cite), step.id


@pytest.mark.parametrize("scope, problem", [
    ({}, "needs kbs or products"), ({"kbs": ["*", "demo"]}, "stands alone"), ({"kbs": "demo"}, "valid list"),
])
def test_a_bad_scope_is_one_clear_error_naming_the_field(tmp_path, scope, problem):
    path = write_runbook(tmp_path, {**MINIMAL, "scope": scope})
    with pytest.raises(ToolsError, match=f"{path}.*字段 scope.*{problem}"):
        load_paths([path])


def test_a_neutral_runbook_may_not_link_into_a_product_runbook(tmp_path):
    step = {"id": "go", "kind": "link", "runbook": "dns-not-resolving"}
    neutral = write_runbook(tmp_path, {**MINIMAL, "scope": {"kbs": ["*"]}, "steps": [step]})
    with pytest.raises(ToolsError, match=r"steps\[0\]\(go\)\.runbook.*适用范围"):
        load_paths([neutral])
    demo = write_runbook(tmp_path, {**MINIMAL, "id": "demo-link", "scope": {"kbs": ["demo"]}, "steps": [step]})
    assert set(load_paths([demo])) == {"demo-link"}


def test_matching_only_considers_runbooks_in_scope_for_the_base(make_registry, knowledge, ops_base):
    engine = RunbookEngine(load_runbooks(), make_registry(knowledge=knowledge), knowledge=knowledge)
    for question in DEMO_QUESTIONS:
        assert engine.match(question, "demo") is not None, question
        assert engine.match(question) == engine.match(question, "demo")  # no base named: every runbook
    other = RunbookEngine(load_runbooks(), make_registry(knowledge=ops_base), knowledge=ops_base)
    for question in DEMO_QUESTIONS:
        found = other.match(question, "ops")
        assert found is None or found[0] == "connectivity-check", (question, found)
    assert {r["id"] for r in other.list("ops")} == {"connectivity-check"}
    assert other.match("帮我检查一下 api.example.com 的网络连通性", "ops")[0] == "connectivity-check"


def test_a_product_scope_follows_the_products_the_base_declares(make_registry, ops_base, tmp_path):
    scoped = write_runbook(tmp_path, {**MINIMAL, "scope": {"products": ["网关服务"]},
                                      "triggers": {"keywords": ["网关", "端口不通"]}})
    runbooks = {**load_runbooks(), **load_paths([scoped])}
    engine = RunbookEngine(runbooks, make_registry(knowledge=ops_base), knowledge=ops_base)
    assert ops_base.products("ops") == {"网关服务"}
    assert engine.match("网关的端口不通", "ops")[0] == "custom"
    assert "custom" not in engine.in_scope("demo")


def test_the_neutral_check_cites_the_base_in_use(make_registry, ops_base):
    registry = make_registry(knowledge=ops_base)
    engine = RunbookEngine(load_runbooks(), registry, knowledge=ops_base)
    port = closed_port()
    state = engine.start("connectivity-check", f"帮我测一下 127.0.0.1 的 {port} 端口通不通，连接超时", "s-ops",
                         "agent", kb="ops")
    assert state.kb == "ops" and state.slots["host"] == "127.0.0.1" and state.slots["port"] == port
    state, outputs = drive(engine, state, ["否"])
    assert kinds(outputs) == ["tool", "advise", "ask", "escalate", "summary"]
    advise = outputs[1]
    assert "端口无法连接" in advise.text and "星栈云" not in advise.text
    assert [c["source"] for c in advise.citations] == ["network/port-unreachable.md"]


def test_with_several_bases_a_runbook_of_any_of_them_runs_on_the_first_it_covers(make_registry, ops_base):
    """Issue 17: a conversation may answer from several bases; runbooks in scope for any of them can start."""
    engine = RunbookEngine(load_runbooks(), make_registry(knowledge=ops_base), knowledge=ops_base)
    question = "ssh 连不上服务器了，帮我排查"
    alone = engine.match(question, "ops")
    assert alone is None or alone[0] == "connectivity-check"
    found = engine.match(question, ("ops", "demo"))
    assert found is not None and found[0] != "connectivity-check" and engine.get(found[0]).scope.kbs == ["demo"]
    assert engine.start(found[0], question, "s-many", "agent", kb=("ops", "demo")).kb == "demo"
    assert engine.start("connectivity-check", question, "s-many", "agent", kb=("ops", "demo")).kb == "ops"
    assert engine.start("connectivity-check", question, "s-many", "agent", kb=["demo", "ops"]).kb == "demo"
