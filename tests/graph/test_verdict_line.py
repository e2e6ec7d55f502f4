"""A yes-or-no question gets the line judging the very action it asks about (graph/verdict_line.py).
Run: pytest tests/graph/test_verdict_line.py"""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.faq_entry import lead_faq
from graph.passages import to_state
from graph.question_type import asks_verdict, question_type
from graph.relevance import QuestionTerms
from graph.verdict_line import answers_action, asked_action, bare_verb_action, holds_verdict, judges_action, verdict_passage
from knowledge.types import Passage


def doc(chunk_id: str, heads: list[str], text: str, kind: str = "doc", title: str = "记录冲突") -> dict:
    return to_state(Passage(chunk_id=chunk_id, source="docs/x/page.md", title=title, heading_path=heads, text=text,
                            kind=kind, kb="demo", meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text}))


def terms(*words: str) -> QuestionTerms:
    return QuestionTerms({w: 1.0 for w in words})


def test_the_asks_of_whether_something_is_needed_or_will_do():
    assert asks_verdict("改了阈值 得重启数据库吗") and question_type("改了阈值 得重启数据库吗") == "value"
    assert asks_verdict("重置密码是不是一定得先关机") and question_type("重置密码是不是一定得先关机") == "value"
    assert asks_verdict("以后清日志直接 rm 就行了吧") and question_type("以后清日志直接 rm 就行了吧") == "value"
    assert asks_verdict("主域名能直接加一条 cname 记录指到加速域名上吗")  # a long action between the modal and 吗
    assert not asks_verdict("是不是内存不够导致的") and question_type("是不是内存不够导致的") == "cause"


def test_the_action_is_what_follows_the_modal():
    action = asked_action(terms("域名", "cname", "cdn", "一条"), "根域名能直接加一条 cname 指到 cdn 上吗")
    assert set(action.weights) == {"cname", "cdn"}  # the subject before the modal and the count "一条" are not the action
    action = asked_action(terms("阈值", "重启", "数据库"), "阈值调小了 得重启数据库吗")
    assert set(action.weights) == {"重启", "数据库"}
    assert asked_action(terms("阈值"), "阈值默认多少").total == 0  # no modal, no action judged


def test_a_verb_written_alone_after_the_modal_is_the_action_where_few_lines_hold_it():
    # "会断" is no term of the question: the verb after the modal is still what a verdict line must judge
    lines = ["在列表中点击调整带宽，修改后立即生效，不会中断连接。", "应用程序不要绑定监听公网 IP。", "带宽上限同时限制入方向和出方向。",
             "按带宽计费的 EIP 调整后按新带宽计费。", "绑定后数秒内生效。"]
    action = bare_verb_action("带宽调大的话连接会断吗", lines)
    assert set(action.weights) == {"断"}
    assert judges_action(action, lines[0]) and not judges_action(action, lines[1])  # the other judges another action
    # "开" is in most lines of the page ("开票"): it tells no line apart
    assert bare_verb_action("这个月的钱能开吗", ["只能开给企业账号。", "开票后发送邮件。", "当月消费次月才能开票。"]).total == 0
    assert bare_verb_action("快照能跨地域复制之后再改名吗", lines).total == 0  # a long tail is no bare verb


def test_a_verdict_judges_the_action_it_names_or_its_page_question_asks():
    action = terms("重启")
    assert judges_action(action, "修改后立即生效，无需重启。")
    assert not judges_action(action, "long_query_time 默认为 1 秒。")  # shares the subject, judges nothing
    assert not judges_action(action, "重启后生效时间取决于实例规格。")  # names it, judges nothing
    # "可以，…" judges what its page question asks, which must be the asked action
    assert not judges_action(terms("直接", "ssd"), "可以，但选 SSD 云盘性价比更高。", "系统盘可以选极速 SSD 云盘吗？")
    assert judges_action(terms("重启"), "不需要。", "扩容系统盘需要重启吗？")


def test_a_faq_entry_answers_a_yes_or_no_only_by_judging_that_action():
    action = terms("重启")
    assert not answers_action(action, "慢查询阈值默认多少？", "问：慢查询阈值默认多少？\n答：默认为 1 秒，超过的 SQL 会记入慢日志。")
    assert answers_action(action, "改阈值要重启吗？", "问：改阈值要重启吗？\n答：不需要。修改后立即生效。")
    # a bare "可以。" answers its own question's action; a verdict stated in words ("硬性限制") stands
    share = "问：自定义镜像可以共享给其他账号吗？\n答：可以。被共享的账号不能再次共享。"
    assert not answers_action(terms("直接", "拿来", "机器"), "自定义镜像可以共享给其他账号吗？", share)
    assert answers_action(terms("申请", "提升"), "规则不够用怎么办？", "问：规则不够用怎么办？\n答：200 条是硬性限制。可以拆分。")
    faq = to_state(Passage(chunk_id="f-1", source="faq/faq.jsonl", title="常见问题", heading_path=["慢查询阈值默认多少？"],
                           kind="faq", kb="demo", text="问：慢查询阈值默认多少？\n答：慢查询阈值默认为 1 秒，超过的 SQL 会记入慢日志。",
                           meta={"question": "慢查询阈值默认多少？"}))
    question = "慢查询阈值调小了 得重启吗"
    assert lead_faq([faq], "value", terms("慢查询", "阈值", "重启"), question) is None


def test_the_line_judging_the_action_beats_a_row_sharing_more_words():
    page = doc("s-1", ["慢日志的默认设置"], "| 参数 | 默认值 | 说明 |\n| --- | --- | --- |\n"
                                              "| 慢查询阈值 | 1 秒 | 慢查询阈值调小后记录更多语句 |\n\n"
                                              "该参数可以在控制台修改，修改后立即生效，无需重启。", title="慢查询分析")
    text = units_text(extractive_units("慢查询阈值调小了 得重启数据库吗", [page]))
    assert text.startswith("该参数可以在控制台修改，修改后立即生效，无需重启。")  # the verdict first


def test_the_section_judging_the_action_is_brought_when_retrieval_missed_it():
    symptom = {"chunk_id": "c-1", "heading_path": ["现象"], "kind": "doc",
               "text": "常见场景：\n\n- 已有 CNAME 的主机记录上，无法再添加 TXT。"}
    cause = {"chunk_id": "c-2", "heading_path": ["可能原因"], "kind": "doc",
             "text": "根域名下一定存在 NS 记录，因此根域名在原则上不能设置 CNAME。"}
    page = doc("c-1", ["现象"], symptom["text"])
    question = "根域名能直接加一条 cname 指到 cdn 上吗"
    found = verdict_passage([(page, [symptom, cause])], terms("根域名", "cname", "cdn"), question, {"c-1"})
    assert found is not None and found["chunk_id"] == "c-2" and found["meta"]["added"] == "verdict"
    assert verdict_passage([(page, [symptom, cause])], terms("根域名", "cname", "cdn"), question, {"c-2"}) is None


def test_evidence_holds_a_verdict_only_outside_the_symptom_it_reports():
    action, question = terms("cname", "cdn"), terms("根域名", "cname", "cdn")
    symptom = {"heading_path": ["现象"], "kind": "doc", "text": "- 已有 CNAME 的主机记录上，无法再添加 TXT。"}
    assert not holds_verdict([symptom], action, question)  # the failure reported judges nothing
    cause = {"heading_path": ["可能原因"], "kind": "doc", "text": "因此根域名在原则上不能设置 CNAME。"}
    assert holds_verdict([symptom, cause], action, question)
    limit = {"heading_path": ["常见问题"], "kind": "doc", "text": "单个安全组 200 条规则是硬性限制。可以拆分到多个安全组。"}
    assert holds_verdict([limit], terms("申请", "提升"), terms("安全组", "200", "规则", "申请", "提升"))


def test_a_closing_ask_judges_the_proposal_before_it():
    action = asked_action(terms("扩容", "快照"), "扩容前不打快照可以吗")
    assert set(action.weights) == {"扩容", "快照"}
    assert judges_action(action, "扩容前务必创建快照。")
    assert set(asked_action(terms("日志", "rm"), "以后清日志直接 rm 就行了吧").weights) == {"日志", "rm"}
