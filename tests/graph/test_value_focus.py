"""The asked number beside what the question asks it of (graph/value_focus.py), in the FAQ entry that
leads and in the sentence picked (graph/faq_entry.lead_faq, graph/value_fact.best_fact)."""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.question_type import asked_unit
from graph.value_focus import asked_focus, value_by_focus, value_elsewhere
from graph.passages import to_state
from knowledge.types import Passage


def faq(chunk_id: str, question: str, answer: str) -> dict:
    return to_state(Passage(chunk_id=chunk_id, source="faq/faq.jsonl", title="常见问题", heading_path=[question], kind="faq",
                   kb="demo", text=f"问：{question}\n答：{answer}", meta={"question": question}))


def doc(chunk_id: str, title: str, heads: list[str], text: str) -> dict:
    return to_state(Passage(chunk_id=chunk_id, source="docs/x.md", title=title, heading_path=heads, text=text, kind="doc",
                   kb="demo", meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text}))


STOP = faq("f-stop", "欠费后服务器会马上停吗？", "不会立即停止。账户余额小于 0 后，按量付费资源会在 2 小时后停服，停服后保留 15 天。")
RESUME = faq("f-resume", "欠费停服后充值多久能恢复？", "充值后账户余额大于 0，服务会在 10 分钟内自动恢复。")


def test_focus_is_what_follows_the_question_word_else_what_precedes_it() -> None:
    assert asked_focus("账户欠费了 机器多久会被停") == {"停"}
    assert "iops" in asked_focus("ssd 云盘 iops 上限是多少")
    assert asked_focus("跑稳多久以后会清零") == {"清", "零"}
    assert asked_focus("这个怎么配置") == set()


def test_a_number_beside_the_focus_answers_one_beside_another_event_does_not() -> None:
    question = "账户欠费了 机器多久会被停"
    focus, unit = asked_focus(question), asked_unit(question)
    assert value_by_focus(STOP["text"], focus, unit)
    assert not value_by_focus(RESUME["text"], focus, unit)
    assert value_elsewhere(RESUME["text"], focus, unit)  # names 停服, gives the time to recover
    assert not value_elsewhere("按量付费按小时计费。", focus, unit)  # gives no number: not judged here
    assert not value_by_focus(STOP["text"], asked_focus("默认放行哪些端口"), asked_unit("默认放行哪些端口"))


def test_the_entry_giving_the_asked_time_leads_not_the_one_sharing_more_words() -> None:
    units = extractive_units("账户欠费了 机器多久会被停", [STOP, RESUME])
    text = units_text(units)
    assert "2 小时后停服" in text and "10 分钟" not in text


def test_the_sentence_giving_the_asked_time_wins_over_a_closer_worded_one() -> None:
    page = doc("d-1", "健康检查", ["检查参数"],
               "健康检查超时时间默认 2 秒，探测失败后立即重试。\n\n每隔 5 秒探测一次后端健康检查端口。")
    text = units_text(extractive_units("健康检查默认超时多久算失败", [page]))
    assert "2 秒" in text
    text = units_text(extractive_units("健康检查多久探测一次", [page]))
    assert "5 秒" in text
