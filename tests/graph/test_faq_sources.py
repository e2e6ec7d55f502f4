"""A FAQ answer also cites the documentation page stating the same fact (issue 12 item 1, issue 21):
corroboration is judged by the values the sentence states, not by the topic the page shares."""

from __future__ import annotations

from graph.faq_sources import cite_pages, corroborating_line, facts_of
from graph.service import Copilot
from tests.graph.conftest import make_context

FAQ = {"kind": "faq", "chunk_id": "faq-1", "source": "faq/faq.jsonl", "meta": {"question": "欠费停服后充值多久能恢复？"},
       "text": "问：欠费停服后充值多久能恢复？\n答：充值后账户余额大于 0，服务会在 10 分钟内自动恢复。"}
PAGE = {"kind": "doc", "chunk_id": "arrears-3", "source": "docs/billing/arrears.md", "title": "欠费停服与恢复",
        "heading_path": ["欠费停服与恢复", "解决方法"],
        "text": "1. **充值**。在 **费用中心 → 充值** 中充值。**充值后服务会在 10 分钟内自动恢复**，无需提交工单。"}
TTL = {"kind": "doc", "chunk_id": "ttl-1", "source": "docs/dns/ttl.md", "title": "解析生效时间",
       "heading_path": ["解析生效时间"], "text": "默认 TTL 为 600 秒（10 分钟）；修改记录后最长 10 分钟生效。"}
ERRORS = {"kind": "table", "chunk_id": "err-1", "source": "tables/error-codes.csv", "text": (
    "error-codes（表头：错误码 | 产品 | 可能原因）\n错误码: SCS.Arrears；产品: 云服务器；可能原因: 充值后服务会在 10 分钟内自动恢复\n"
    "错误码: 1040；产品: 云数据库；可能原因: 连接数达到上限")}
SENTENCE = "充值后账户余额大于 0，服务会在 10 分钟内自动恢复。"


def test_the_values_a_sentence_states():
    assert facts_of(SENTENCE) == {"10分钟"}
    assert facts_of("星栈云的 NS 服务器为 ns1.starstackdns.com 和 ns2.starstackdns.com。") == {
        "ns1.starstackdns.com", "ns2.starstackdns.com"}
    assert {"1.28", "1.30"} <= facts_of("容器服务 SKE 支持 Kubernetes 1.28 和 1.30 版本。")
    assert facts_of("收费。") == set()


def test_a_line_corroborates_by_its_values_and_words():
    assert "10 分钟内自动恢复" in (corroborating_line(SENTENCE, PAGE["text"]) or "")
    assert corroborating_line(SENTENCE, TTL["text"]) is None  # the same value about another thing
    assert corroborating_line(SENTENCE, "充值后服务会在 30 分钟内自动恢复。") is None  # another value
    assert corroborating_line("收费。", PAGE["text"]) is None  # nothing to check it by


def test_the_faq_sentence_cites_the_page_from_the_evidence():
    units = [{"text": SENTENCE, "cites": [2], "block": "sentence"}]
    out, passages = cite_pages(units, [TTL, FAQ, PAGE], lambda q: [])
    assert out[0]["cites"] == [2, 3] and len(passages) == 3


def test_the_page_is_searched_for_when_the_evidence_lacks_it():
    asked: list[str] = []

    def find(query: str) -> list[dict]:
        asked.append(query)
        return [ERRORS, TTL, PAGE]  # an error-code row stating it is no page to cite

    out, passages = cite_pages([{"text": SENTENCE, "cites": [1], "block": "sentence"}], [FAQ], find)
    assert out[0]["cites"] == [1, 2] and passages[1]["source"] == "docs/billing/arrears.md"
    assert "欠费停服后充值多久能恢复" in asked[0]
    out, passages = cite_pages([{"text": SENTENCE, "cites": [1], "block": "sentence"}], [FAQ], lambda q: [TTL])
    assert out[0]["cites"] == [1] and len(passages) == 1


def test_a_faq_answer_cites_its_page_on_the_demo_base(demo_knowledge):
    result = Copilot(make_context(demo_knowledge)).ask("SKE 现在能建哪几个 k8s 版本", "versions")
    sources = [c.get("source") for c in result.citations]
    assert "faq/faq.jsonl" in sources and "docs/ske/ske-overview.md" in sources, result.answer


def test_the_page_card_opens_at_the_line_stating_the_fact():
    from graph.passages import focus_of

    text = "## 欠费后的处理\n" + "按量付费资源在余额小于 0 后 2 小时停服，包年包月资源到期后停服，停服后保留 15 天。\n" * 3 + PAGE["text"]
    at = focus_of(text, [SENTENCE])
    assert at > 0 and text[at:].startswith("1. **充值**"), text[at:][:30]


def test_without_beyond_only_a_page_already_cited_is_added_to_the_sentence():
    units = [{"text": SENTENCE, "cites": [2], "block": "sentence"}]
    out, passages = cite_pages(units, [PAGE, FAQ], lambda q: [PAGE], beyond=False)
    assert out[0]["cites"] == [2] and len(passages) == 2  # the page is not cited yet: no new card
    units.append({"text": "在费用中心充值。", "cites": [1], "block": "sentence"})
    out, _ = cite_pages(units, [PAGE, FAQ], lambda q: [], beyond=False)
    assert out[0]["cites"] == [2, 1]


def test_a_sentence_joining_two_facts_cites_the_page_stating_its_first():
    entry = {"kind": "faq", "chunk_id": "faq-sg", "source": "faq/faq.jsonl", "meta": {"question": "一个网卡可以绑定几个安全组？"},
             "text": "问：一个网卡可以绑定几个安全组？\n答：每个网卡最多绑定 5 个安全组，每个安全组最多 200 条规则。"}
    rules = {"kind": "doc", "chunk_id": "sg-1", "source": "docs/vpc/security-group-rules.md", "title": "安全组规则说明",
             "heading_path": ["安全组规则说明"], "text": "- **作用对象是网卡**：一个网卡最多绑定 5 个安全组，多个安全组的规则合并后按优先级统一匹配。"}
    units = [{"text": "每个网卡最多绑定 5 个安全组，每个安全组最多 200 条规则。", "cites": [1], "block": "sentence"}]
    out, passages = cite_pages(units, [entry], lambda q: [TTL, rules])
    assert out[0]["cites"] == [1, 2] and passages[1]["source"] == "docs/vpc/security-group-rules.md"
    out, _ = cite_pages(units, [entry], lambda q: [{**rules, "text": "一个网卡最多绑定 8 个安全组。"}])
    assert out[0]["cites"] == [1]  # another value: no page
