"""The found section keeps its place when its heading names the question (graph/heading_match.py)."""

from __future__ import annotations

from graph.heading_match import heading_keeps, heading_lead, names_rarest, rarest_term
from graph.topic import leading, on_topic_here
from graph.relevance import QuestionTerms

ASKED = QuestionTerms({"主键": 4.5, "自增": 6.0, "tikv": 2.2, "cpu": 3.4, "打散": 6.6, "订单": 8.6})


def _section(heading: list[str], chunks: list[str]) -> dict:
    return {"source": "hot.md", "kind": "doc", "heading_path": heading, "chunk_id": chunks[0],
            "meta": {"chunks": chunks}}


FOUND = _section(["使用 AUTO_RANDOM 处理自增主键热点表"], ["c5", "c6"])


def test_a_task_heading_naming_the_question_beats_the_pages_first_procedure():
    first = _section(["使用 SHARD_ROW_ID_BITS 处理热点表"], ["c3", "c4"])
    assert heading_keeps(FOUND, first, ASKED)


def test_a_heading_naming_a_word_said_in_passing_does_not_move_it():
    by_cpu = _section(["打散读热点", "基于 TiKV CPU 使用情况的热点 Region 调度"], ["c8"])
    assert heading_keeps(FOUND, by_cpu, ASKED)


def test_the_replacement_naming_more_wins():
    better = _section(["订单表主键自增时打散写入"], ["c9"])
    assert not heading_keeps(FOUND, better, ASKED)


def test_a_procedure_holding_the_found_section_stands():
    whole = _section(["处理热点表"], ["c4", "c5", "c6"])
    assert not heading_keeps(FOUND, whole, ASKED)


def test_one_shared_word_a_step_a_faq_question_or_the_intro_keep_nothing():
    first = _section(["使用 SHARD_ROW_ID_BITS 处理热点表"], ["c3"])
    assert not heading_keeps(_section(["主键说明"], ["c5"]), first, ASKED)  # one asked word only
    assert not heading_keeps(_section(["2. 改为自增主键"], ["c5"]), first, ASKED)  # a numbered step
    assert not heading_keeps(_section(["自增主键怎么打散？"], ["c5"]), first, ASKED)  # a FAQ entry's question
    assert not heading_keeps(_section([], ["c5"]), first, ASKED)  # the page's intro
    assert not heading_keeps(FOUND, None, ASKED)


# heading_lead: the section whose own heading names a long spoken question vouches for its sentences

SPOKEN = QuestionTerms({"订单": 8.6, "主键": 4.5, "bigint": 4.8, "自增": 6.1, "压测": 6.9, "写入": 3.5, "tikv": 2.2,
                        "cpu": 3.4, "打满": 8.9, "几台": 9.7, "打散": 6.6}, entities=["bigint", "tikv", "cpu"])
AUTO = {"source": "hot.md", "kind": "doc", "title": "TiDB 热点问题处理", "heading_path": ["使用 AUTO_RANDOM 处理自增主键热点表"],
        "text": "使用该功能后，将由 TiDB 生成随机分布的主键，打散写入热点。CREATE TABLE t (a BIGINT PRIMARY KEY AUTO_RANDOM);"}
FAQ = {"source": "faq.md", "kind": "doc", "title": "SQL 操作常见问题",
       "heading_path": ["如何避免热点问题并实现负载均衡？"], "text": "TiKV 会打散写入，订单表写入也会分散到几台上……"}
PRACTICE = {"source": "bp.md", "kind": "doc", "title": "高并发写入场景最佳实践", "heading_path": ["热点问题的规避方法"],
            "text": "压测时 tikv 的 cpu 打满……"}


def test_the_section_whose_heading_names_the_question_leads():
    assert heading_lead(SPOKEN, [PRACTICE, FAQ, AUTO]) == 3
    assert leading(SPOKEN, [PRACTICE, FAQ, AUTO]) == 3


def test_a_rival_heading_naming_as_much_or_one_word_leads_nothing():
    rival = {**PRACTICE, "heading_path": ["自增主键的写入热点"]}
    assert heading_lead(SPOKEN, [rival, AUTO]) is None
    one_word = {**AUTO, "heading_path": ["使用 AUTO_RANDOM 处理主键热点表"]}  # only 主键 asked
    assert heading_lead(SPOKEN, [PRACTICE, one_word]) is None


def test_a_section_naming_nothing_asked_about_or_covering_little_leads_nothing():
    unnamed = {**AUTO, "text": "使用该功能后，将由 TiDB 生成随机分布的主键。"}  # neither bigint, tikv nor cpu
    assert heading_lead(SPOKEN, [PRACTICE, unnamed]) is None
    step = {**AUTO, "heading_path": ["2. 自增主键改为 AUTO_RANDOM"]}
    assert heading_lead(SPOKEN, [PRACTICE, step]) is None


def test_the_leading_sections_sentences_are_on_topic_of_the_spoken_question():
    sentence = "使用该功能后，将由 TiDB 生成随机分布的主键，打散写入热点。"
    assert not on_topic_here(SPOKEN, sentence, AUTO)
    assert on_topic_here(SPOKEN, sentence, AUTO, lead=True)


# names_rarest: a troubleshooting entry singled out by the question's rarest word in its own heading

HOSTPORT = QuestionTerms({"kubeadm": 4.2, "pod": 2.0, "hostport": 7.2, "节点": 2.2, "ip": 3.3, "访问": 2.8,
                          "不到": 6.0, "网络": 3.3, "插件": 3.8}, entities=["kubeadm", "pod", "hostport", "ip"])
ENTRY = {"source": "troubleshooting-kubeadm.md", "kind": "doc", "title": "对 kubeadm 进行故障排查",
         "heading_path": ["`HostPort` 服务无法工作"], "text": "此 `HostPort` 功能是否可用取决于你的 Pod 网络配置。"}


def test_the_heading_naming_the_rarest_asked_word_singles_out_the_entry():
    assert rarest_term(HOSTPORT) == "hostport"
    assert names_rarest(HOSTPORT, ENTRY)


def test_no_rarest_word_a_word_of_the_title_or_a_heading_without_it_single_out_nothing():
    close = QuestionTerms({**HOSTPORT.weights, "不到": 6.5}, entities=HOSTPORT.entities)  # two near-equal rare words
    assert rarest_term(close) is None and not names_rarest(close, ENTRY)
    seen = QuestionTerms({"cdn": 2.7, "用户": 2.8, "看到": 3.4}, entities=["cdn"])  # a verb of the symptom names no thing
    assert rarest_term(seen) is None and not names_rarest(seen, {**ENTRY, "heading_path": ["刷新后仍然看到旧内容"]})
    titled = {**ENTRY, "title": "HostPort 故障排查"}  # the whole page is about it: its headings tell nothing apart
    assert not names_rarest(HOSTPORT, titled)
    assert not names_rarest(HOSTPORT, {**ENTRY, "heading_path": ["容器使用的非公共 IP"]})
    assert not names_rarest(HOSTPORT, {**ENTRY, "heading_path": ["2. 检查 HostPort"]})  # a numbered step


def test_the_entry_singled_out_is_given_whole_with_its_closing_fix():
    from graph.section_answer import from_section
    entry = {**ENTRY, "text": "此 `HostPort` 和 `HostIP` 功能是否可用取决于你的 Pod 网络配置。请联系 Pod 网络插件的作者。\n\n"
                              "已验证 Calico、Canal 和 Flannel CNI 驱动程序支持 HostPort。\n\n"
                              "如果你的网络提供商不支持 portmap CNI 插件，你或许需要使用 NodePort 服务的功能或者使用 `HostNetwork=true`。\n"}
    units = from_section(entry, "symptom", HOSTPORT, 900, "pod 里配了 hostPort 可从节点 ip 就是访问不到，网络插件不常见")
    assert any("portmap" in u.text for u in units) and all(u.whole for u in units)  # judged with the heading
    other = {**entry, "heading_path": ["网络插件的说明"]}  # the heading lacks the rare word: the matching lines only
    assert not any("portmap" in u.text for u in from_section(other, "symptom", HOSTPORT, 900, "hostPort 访问不到"))
