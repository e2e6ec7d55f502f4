"""A partial match is answered with a hedge; "not found" only when nothing relevant was selected.

The knowledge layer's verdict (Passage.meta["match"], ["unknown_terms"]) is scripted through a
fake selection; the real selection is tested in tests/knowledge/test_calibration.py.
"""

from __future__ import annotations

from graph.prompts import replies
from graph.service import Copilot
from tests.graph.conftest import make_context
from tests.graph.fakes import FakeKnowledge


class Judged(FakeKnowledge):
    """Selection that labels what it keeps as the calibrated selection does."""

    def __init__(self, match: str, unknown: list[str] | None = None, **meta) -> None:
        super().__init__()
        self.match, self.unknown, self.extra = match, unknown or [], meta

    def select(self, query, passages, max_passages=4, alternatives=None):
        kept = super().select(query, passages, max_passages)
        for p in kept:
            p.meta.update(match=self.match, unknown_terms=list(self.unknown), **self.extra)
        return kept


def answer(knowledge: FakeKnowledge, question: str) -> dict:
    return Copilot(make_context(knowledge)).ask(question, "s").sections[0]


def test_a_partial_match_is_answered_with_a_hedge_first():
    # no SSH passage speaks of rule priority (a word the base uses elsewhere): part of the question stays open
    section = answer(Judged("partial"), "SSH 连接超时，按安全组规则优先级端口 22 要怎么放通")
    lead = replies()["partial_match"].strip()
    assert section["grounded"] and section["citations"]
    assert section["answer"].startswith(lead) and section["answer"].count(lead) == 1


def test_the_hedge_names_what_the_base_never_mentions():
    section = answer(Judged("partial", ["vGPU"]), "SSH 连接超时，vGPU 实例端口 22 怎么放通")
    assert section["answer"].startswith("知识库中没有找到“vGPU”的相关内容") and section["citations"]


def test_a_strong_match_needs_no_hedge():
    section = answer(Judged("strong", ["vGPU"]), "SSH 连接超时一直连不上，端口 22 要怎么放通")
    assert "部分相关" not in section["answer"] and "没有找到" not in section["answer"]
    assert section["grounded"] and section["citations"]


def test_the_nearest_page_kept_when_nothing_matched_keeps_its_hedge():
    # knowledge.nearest_page: a page only its title made the nearest is hedged, however many words it carries
    section = answer(Judged("partial", nearest=True), "SSH 连接超时一直连不上，端口 22 要怎么放通")
    assert section["answer"].startswith(replies()["partial_match"].strip()) and section["citations"]


def test_a_partial_verdict_whose_passage_carries_the_whole_question_is_not_hedged():
    # keyword evidence is diluted by spoken words; the cited passage still names all the question asks
    section = answer(Judged("partial"), "SSH 连接超时一直连不上，端口 22 要怎么放通")
    assert "部分相关" not in section["answer"] and section["grounded"] and section["citations"]


def test_spoken_questions_on_the_demo_base_are_answered_without_a_hedge(demo_knowledge):
    """Real selection on the demo base: its keyword verdict for these is "partial" (spoken words the
    base never writes), yet the cited entry answers the whole question."""
    copilot = Copilot(make_context(demo_knowledge))
    for question, fact in (("mysql 报 1040 咋整", "max_connections"), ("对象存储访问报 403 怎么办", "AccessDenied")):
        text = copilot.ask(question, question).answer
        assert fact in text and "部分相关" not in text, text


def test_spoken_and_asking_words_weigh_less_than_topic_words():
    from graph.hedge_terms import hedge_terms, specificity
    from graph.relevance import QuestionTerms

    assert specificity("多久", []) == 0.0 and specificity("哪里", []) == 0.0  # answered by the value itself
    assert specificity("还要", []) < specificity("机器", []) < specificity("安全组", []) == 1.0
    assert specificity("clb", []) == 1.0
    # a rewrite's carried-over words are not the user's: they never count against the answer
    terms = QuestionTerms({"clb": 2.0, "健康检查": 3.0, "默认": 2.0, "多久": 4.0}, entities=["clb"])
    weighted = hedge_terms(terms, "默认多久探一次")
    assert set(weighted.weights) == {"默认"} and weighted.entities == []


def test_follow_up_and_sub_question_values_answered_by_the_entry_are_not_hedged(demo_knowledge):
    """Real selection on the demo base: value questions whose cited FAQ entry gives the value."""
    copilot = Copilot(make_context(demo_knowledge))
    text = copilot.ask("clb 健康检查默认多久检查一次 超时几秒", "hc").answer
    assert "5 秒" in text and "部分相关" not in text, text
    text = copilot.ask("存储桶名字能用大写吗？一个地域最多建几个桶", "bk").answer
    assert "200" in text and "部分相关" not in text, text


def test_a_how_to_answered_with_a_whole_procedure_it_mostly_names_is_not_hedged(demo_knowledge):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    body = Copilot(make_context(demo_knowledge)).ask("图片换了 cdn 上还是旧的 咋刷新", "ph").answer.split("**参考来源**")[0]
    assert "刷新预热" in body and "操作记录" in body, body
    assert "仅供参考" not in body, body


def test_compounds_units_and_directional_words_do_not_make_a_right_answer_look_partial():
    from graph.hedge_terms import covered_share, hedge_terms, specificity
    from graph.relevance import QuestionTerms

    assert specificity("进去", []) == 0.0 and specificity("出来", []) == 0.0  # how, not what
    assert specificity("意思", []) == 0.0  # what a definition asks: its sentence answers it
    terms = QuestionTerms({"ssd": 3.0, "500g": 6.0, "500": 4.0, "iops": 3.0}, entities=["ssd", "iops"])
    assert set(hedge_terms(terms, "ssd 500G 的 iops 多少").weights) == {"ssd", "500", "iops"}
    idle = QuestionTerms({"负载均衡": 2.0, "空闲超时": 6.0}, entities=["负载均衡"])
    assert covered_share(idle, "负载均衡的空闲连接超时为 60 秒") == 1.0
    assert covered_share(idle, "负载均衡的连接超时为 60 秒") < 0.5  # half a compound is not the compound


def test_a_yes_or_no_answered_by_the_page_naming_what_it_asks_is_not_hedged():
    from graph.nodes.verify import _covered_by
    from graph.relevance import QuestionTerms

    terms = QuestionTerms({"防火墙": 2.0, "规则": 2.0, "加上": 2.4, "重启": 2.7, "机器": 2.2, "生效": 1.2},
                          entities=["防火墙", "规则"])
    page = {"text": "防火墙规则在添加后数秒内生效，无需重启实例。", "heading_path": ["规则生效时间"], "title": "防火墙"}
    covered = _covered_by(terms, "防火墙规则我刚加上 要重启机器才生效吗", "value", [{"text": page["text"]}])
    assert covered(page) == 1.0
    asked_how = _covered_by(terms, "防火墙规则我刚加上 怎么让机器重启后生效", "howto", [{"text": page["text"]}])
    assert asked_how(page) < 0.8  # not a yes or no: the words the page lacks still count


def test_the_page_of_the_quoted_error_code_is_not_hedged():
    from graph.nodes.verify import _covered_by
    from graph.relevance import QuestionTerms

    terms = QuestionTerms({"以后": 1.0, "浏览器": 3.3, "err_too_many_redirects": 6.2}, entities=[])
    page = {"text": "后端把用户重定向到 http，又被跳回 https，形成循环（`ERR_TOO_MANY_REDIRECTS`）。", "title": "HTTPS 监听"}
    covered = _covered_by(terms, "配完以后浏览器报 ERR_TOO_MANY_REDIRECTS", "symptom", [{"text": page["text"]}])
    assert covered(page) == 1.0


def test_places_desk_words_spoken_words_and_fused_verbs_are_not_the_asked_thing():
    """The hedge weighs what names the asked thing; a page answering in its own words is not partial."""
    from graph.hedge_terms import covered_share, hedge_terms
    from graph.relevance import QuestionTerms

    where = QuestionTerms({"白名单": 3.6, "控制台": 2.5}, entities=["白名单"])  # 控制台 rare here: the place rule
    assert set(hedge_terms(where, "白名单在控制台哪加").weights) == {"白名单"}
    assert set(hedge_terms(where, "控制台白名单怎么加").weights) == {"白名单", "控制台"}  # not asked as a place
    desk = QuestionTerms({"欠费": 3.3, "服务器": 1.2}, entities=["欠费"])  # in a third of the base's chunks
    assert set(hedge_terms(desk, "欠费服务器被关了").weights) == {"欠费"}
    tiny = QuestionTerms({"超时": 1.4, "规则": 1.4}, entities=[])  # a base of four chunks: no word is "everyday"
    assert set(hedge_terms(tiny, "超时 规则").weights) == {"超时", "规则"}
    spoken = QuestionTerms({"windows": 3.1, "机器": 4.5}, entities=["windows"])  # everyday Chinese, rare in the base
    assert set(hedge_terms(spoken, "windows 的机器扩了盘").weights) == {"windows"}
    fused = QuestionTerms({"ske": 2.8, "能建": 6.2, "版本": 3.6}, entities=["ske"])
    weighted = hedge_terms(fused, "ske 现在能建哪几个版本")
    assert "能建" not in weighted.weights and covered_share(weighted, "容器服务 SKE 支持 1.28 和 1.30 版本") == 1.0
    pointing = QuestionTerms({"uo": 9.7, "503": 6.8, "这是": 4.8}, entities=[])  # "这是" cut as one word
    assert set(hedge_terms(pointing, "503 后面跟了个 uo 标志，这是啥意思").weights) == {"uo", "503"}
    redis = QuestionTerms({"redis": 4.0, "集群": 2.0, "扩容": 3.0}, entities=["redis"])
    assert covered_share(hedge_terms(redis, "redis 集群怎么扩容"), "云盘扩容：集群节点的数据盘") < 0.8  # the named product is missing: hedged


def test_a_code_the_page_declares_in_its_front_matter_tags_is_the_pages_word(demo_knowledge):
    """domain-mismatch.md names NET::ERR_CERT_COMMON_NAME_INVALID in its tags, its text says "不匹配": the
    page of the quoted error answers it; the hedge would only make the right answer look unreliable."""
    copilot = Copilot(make_context(demo_knowledge))
    result = copilot.ask("买了 *.example.com 的通配符证书 访问 example.com 报 COMMON_NAME_INVALID", "tags",
                         kb="demo").to_json()
    assert "domain-mismatch" in " ".join(c["source"] for c in result["citations"]), result["answer"]
    assert replies()["partial_match"].strip() not in result["answer"], result["answer"]


def test_a_question_asking_only_a_term_the_base_never_writes_names_the_nearest_pages(demo_knowledge):
    # its other words ("云服务器") only say which product: a page sharing them and a verb does not answer it
    text = Copilot(make_context(demo_knowledge)).ask("云服务器上怎么开 ipv6", "s-ipv6").answer
    assert text.startswith(replies()["not_covered_terms"].strip().format(terms="“ipv6”")), text
    assert "**参考来源**" not in text, text
    # a question asking more than the unknown term keeps its hedged answer
    text = Copilot(make_context(demo_knowledge)).ask("对象存储支持 webdav 挂载吗", "s-webdav").answer
    assert "**参考来源**" in text and "webdav" in text, text


def test_a_cost_or_count_asked_and_given_nowhere_in_the_answer_is_a_partial_match() -> None:
    """"nat 网关按什么收费" answered with the NAT page's setup steps: no line states a fee, so the answer says it
    is only related material; a line naming the charge ("闲置费 ¥0.20/小时", "停止计费") answers the cost.
    "一个 vpc 能建几个 nat" answered with the VPC quota line: it counts VPCs and subnets, not NAT gateways."""
    from graph.nodes.verify import asked_unsaid
    from graph.relevance import QuestionTerms

    def terms(*words: str) -> QuestionTerms:
        return QuestionTerms({w: 1.0 for w in words}, set(), [])

    steps = [{"text": "1. **创建 NAT 网关**"}, {"text": "登录控制台，进入 **私有网络 > NAT 网关**，点击 **新建**。"}]
    assert asked_unsaid("nat 网关按什么收费", steps, terms("nat", "网关", "收费"))
    assert not asked_unsaid("eip 不绑定机器收费吗", [{"text": "未绑定的 EIP 收取闲置费 ¥0.20/小时。"}], terms("eip", "收费"))
    assert not asked_unsaid("关机还收钱吗", [{"text": "vCPU 和内存停止计费；云盘照常计费"}], terms("关机", "收钱"))
    assert not asked_unsaid("nat 网关怎么创建", steps, terms("nat", "网关", "创建"))  # no cost asked
    quota = [{"text": "每个地域每个账号默认可创建 10 个 VPC，每个 VPC 最多 100 个子网。"}]
    assert asked_unsaid("一个 vpc 能建几个 nat", quota, terms("vpc", "nat"))
    assert not asked_unsaid("一个 vpc 最多几个子网", quota, terms("vpc", "子网"))
