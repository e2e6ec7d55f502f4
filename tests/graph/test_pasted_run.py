"""The page quoting the pasted error message anchors the answer (graph/pasted_run.py, issue 21):
a general diagnosing page whose title names the tool of the question ("使用 analyze 诊断配置")
and that quotes the same code with another message loses to the page quoting the message itself.
Made-up pages, and two real Istio pages read at test time (skipped without the shared corpora). Run: pytest tests/graph/test_pasted_run.py"""

from __future__ import annotations

import pytest

from graph.evidence import build_evidence
from graph.passages import to_state
from graph.pasted_run import pasted_runs, quoted_length, quoting_anchor
from graph.relevance import QuestionTerms
from tests.graph.fakes import FakeKnowledge, page_chunk

QUESTION = "analyze 报 Error [E0101] (Route web.prod) Referenced gateway not found: \"web-gw\"，网关我建过的，该怎么查"
GENERAL = page_chunk("docs/m/analyze.md", "使用 analyze 诊断配置", "a-0", ["分析运行中的集群"],
                     "运行 analyze 检查配置，输出示例：\nError [E0101] (Route default/shop) Referenced host not found: \"shop\"\n"
                     "按消息修正配置后重新运行 analyze。")
MESSAGE = page_chunk("docs/m/e0101.md", "ReferencedResourceNotFound", "e-0", [],
                     "资源引用了不存在的资源时出现此消息，例如：\nError [E0101] (Route httpbin.default) Referenced gateway "
                     "not found: \"httpbin-gateway-bogus\"\n要解决此问题，请找到资源类型，修正配置并重试。")
TERMS = QuestionTerms({"analyze": 4.0, "error": 2.0, "e0101": 8.0, "route": 3.0, "referenced": 6.0, "gateway": 3.0,
                       "found": 2.0, "网关": 3.0})


def _anchor(qtype: str, question: str) -> str:
    kb = FakeKnowledge([GENERAL, MESSAGE])
    chosen = [to_state(p) for p in reversed([GENERAL, MESSAGE])]  # most relevant LAST
    return build_evidence(chosen, kb.document_chunks, qtype, TERMS, question=question)[-1]["source"]


def test_latin_stretches_end_at_chinese_text():
    runs = pasted_runs(QUESTION)
    assert runs == [["error", "e0101", "route", "web.prod", "referenced", "gateway", "not", "found", "web-gw"]]
    assert pasted_runs("kubectl get 一下 pods 看看") == []  # two words, then one: no message


def test_the_longest_stretch_quoted_word_for_word_counts():
    runs = pasted_runs(QUESTION)
    assert quoted_length(runs, MESSAGE.text) == 4  # "referenced gateway not found"
    assert quoted_length(runs, GENERAL.text) == 3  # "error e0101 route"


def test_the_page_quoting_the_message_anchors_over_the_diagnosing_page_titled_with_the_tool():
    assert _anchor("symptom", QUESTION) == "docs/m/e0101.md"
    assert _anchor("howto", QUESTION) == "docs/m/e0101.md"


def test_without_a_pasted_message_the_title_rule_still_decides():
    assert _anchor("howto", "analyze 报 E0101 网关找不到，该怎么查") == "docs/m/analyze.md"


def test_two_pages_quoting_as_much_leave_the_order_alone():
    twin = {**to_state(MESSAGE), "source": "docs/m/copy.md", "chunk_id": "c-0"}
    assert quoting_anchor([to_state(GENERAL), twin, to_state(MESSAGE)], QUESTION) is None
    denied = page_chunk("docs/m/authz.md", "授权策略", "z-0", ["验证"], "再次访问，您将会看到 `\"RBAC: access denied\"`。")
    # three words quoted are a phrase many pages write (a task's expected output), not the message's page
    assert quoted_length(pasted_runs("返回 403 RBAC: access denied，日志怎么开"), denied.text) == 3
    assert quoting_anchor([to_state(GENERAL), to_state(denied)], "返回 403 RBAC: access denied，日志怎么开") is None



ISTIO = "istio-zh/content/zh/docs"


def _around(path: str, needle: str) -> str:
    """Five lines either side of the first line holding `needle`, read from the shared corpora at test time."""
    from tests.graph.conftest import CORPORA

    if not (CORPORA / path).is_file():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    lines = (CORPORA / path).read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if needle in line)
    return "\n".join(lines[max(0, at - 5):at + 6])


def test_real_pages_the_message_page_anchors_over_the_analyze_guide():
    """Real page text: the analyze guide quotes IST0101 with other messages and its title names the tool;
    the IST0101 page quotes "Referenced gateway not found" itself (the guide anchored before)."""
    from graph.relevance import question_terms

    guide = page_chunk(f"{ISTIO}/ops/diagnostic-tools/istioctl-analyze/index.md", "使用 istioctl analyze 诊断配置", "g-0",
                       ["分析运行中的集群、本地文件或同时分析两者"],
                       _around(f"{ISTIO}/ops/diagnostic-tools/istioctl-analyze/index.md", "Error [IST0101]"))
    message = page_chunk(f"{ISTIO}/reference/config/analysis/ist0101/index.md", "ReferencedResourceNotFound", "m-0", [],
                         _around(f"{ISTIO}/reference/config/analysis/ist0101/index.md", "Error [IST0101]"))
    question = "跑 istioctl analyze 出来 Error [IST0101] (VirtualService api.shop) Referenced gateway not found: \"api-gw\"，咋回事"
    kb = FakeKnowledge([guide, message])
    chosen = [to_state(message), to_state(guide)]  # most relevant LAST: the guide ranked first
    terms = question_terms(question, "", None, [c["text"] for c in chosen])
    evidence = build_evidence(chosen, kb.document_chunks, "symptom", terms, question=question)
    assert evidence[-1]["source"].endswith("ist0101/index.md"), [e["source"] for e in evidence]
