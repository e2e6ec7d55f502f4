"""A message page's example is the problem, its fix section the answer (issue #21):
graph/section_links.fix_beside_example, wired in graph/evidence.build_evidence for a how-to."""

from __future__ import annotations

from graph.section_links import fix_beside_example
from graph.evidence import build_evidence
from graph.passages import to_state
from graph.relevance import question_terms
from tests.graph.fakes import FakeKnowledge, page_chunk

SRC, TITLE = "docs/analysis/ms0143.md", "LocalOnlyListener"
PAGE = [
    page_chunk(SRC, TITLE, "m-0", [], "当工作负载只监听本机回环地址、但端口已在服务中暴露时，会出现此消息。"),
    page_chunk(SRC, TITLE, "m-1", ["示例"],
               "以一个只监听 `localhost:9090` 的程序为例，其他实例访问它的服务端口时连接被拒绝。\n\n"
               "```yaml\nkind: Service\nports:\n- port: 9090\n```\n\n因为程序只在回环地址上提供流量，所以其他实例无法访问。"),
    page_chunk(SRC, TITLE, "m-2", ["如何修复"],
               "修改程序，让它监听对其他实例可见的地址，通常是 `0.0.0.0`，例如 `serve --bind 0.0.0.0:9090`。\n\n"
               "如果不打算让其他实例访问，请从服务中移除该端口。"),
]


def _chunks() -> list[dict]:
    return FakeKnowledge(PAGE).document_chunks("demo", SRC)


def test_the_fix_beside_the_example_is_found() -> None:
    example = {**to_state(PAGE[1]), "heading_path": ["示例"]}
    fix = fix_beside_example(example, _chunks(), set())
    assert fix is not None and fix["heading_path"] == ["如何修复"] and fix["meta"]["added"] == "resolve"
    assert fix_beside_example({**example, "heading_path": ["如何修复"]}, _chunks(), set()) is None
    assert fix_beside_example(example, _chunks(), {(SRC, ("如何修复",))}) is None


def test_evidence_puts_the_fix_before_the_example_retrieval_found() -> None:
    question = "别的实例都访问不到这个服务，本机 curl localhost:9090 是通的，程序监听在 127.0.0.1"
    chosen = [to_state(PAGE[1])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(PAGE).document_chunks, "howto", terms)
    heads = [e["heading_path"] for e in reversed(evidence)]  # best first
    assert heads.index(["如何修复"]) < heads.index(["示例"])



DNS_SRC, DNS_TITLE = "docs/ops/dns-debug.md", "调试 DNS 问题"
DNS = [
    page_chunk(DNS_SRC, DNS_TITLE, "d-0", ["准备开始", "先检查本地的 DNS 配置"],
               "在测试实例里查询集群内的名字：\n\n```shell\nmonctl exec probe -- nslookup api.internal\n```\n\n"
               "下列错误表示 DNS 插件或者相关服务出现了问题：\n\n```\nnslookup: can't resolve 'api.internal'\n```"),
    page_chunk(DNS_SRC, DNS_TITLE, "d-1", ["准备开始", "检查 DNS 实例是否运行"],
               "使用 `monctl get pods` 验证 DNS 实例是否运行：\n\n```shell\nmonctl get pods -l app=dns-server\n```"),
    page_chunk(DNS_SRC, DNS_TITLE, "d-2", ["准备开始", "检查 DNS 端点"], "确认 DNS 服务有端点。"),
]


def test_a_next_step_question_gets_the_section_after_the_one_done() -> None:
    question = "monctl exec 进 probe 跑 nslookup api.internal 报 can't resolve 'api.internal'，下一步该查啥"
    chosen = [to_state(DNS[0])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(DNS).document_chunks, "howto", terms, question=question)
    heads = [e["heading_path"] for e in reversed(evidence)]  # best first
    assert heads.index(["准备开始", "检查 DNS 实例是否运行"]) < heads.index(["准备开始", "先检查本地的 DNS 配置"])
    assert ["准备开始", "检查 DNS 端点"] not in heads  # the step after, not every later one
    same = build_evidence(chosen, FakeKnowledge(DNS).document_chunks, "howto", terms,
                          question="nslookup api.internal 报 can't resolve 怎么回事")
    assert ["准备开始", "检查 DNS 实例是否运行"] not in [e["heading_path"] for e in same]
