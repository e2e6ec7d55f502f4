"""Padding after an answer holding the asked thing (graph/padding.py): the causes list gives only its items
naming what is asked, a section matched by words alone adding nothing is left out, the fix stays."""

from __future__ import annotations

from graph.doc_units import Unit
from graph.extractive import extractive_units
from graph.padding import asked_beyond_topic, asked_items, before_the_answer, held_by_entry, holds_asked, pads
from graph.relevance import QuestionTerms
from graph.passages import to_state
from knowledge.types import Passage

TITLE = "磁盘读写慢"


def doc(chunk_id: str, heads: list[str], text: str, **meta) -> dict:
    return to_state(Passage(chunk_id=chunk_id, source="docs/disk/slow.md", title=TITLE, heading_path=heads, text=text,
                            kind="doc", kb="demo",
                            meta={"indexed_text": " > ".join([TITLE, *heads]) + "\n" + text, **meta}))


CHECK = doc("c-1", ["排查步骤", "3. 观察指标"],
            "| 指标 | 含义 |\n| --- | --- |\n| await | 平均延迟（毫秒） |\n| svctm | 对网络盘参考意义有限，偏高不代表磁盘故障 |",
            added="focus")
CAUSES = doc("c-2", ["可能原因"],
             "1. **队列太浅**：单线程写入，并发不足。\n2. **块太大**：先达到带宽上限。\n"
             "3. **svctm 被误读**：网络盘上 svctm 不可信。\n4. **规格太小**：实例带宽不足。", added="causes")
NEIGHBOUR = doc("c-3", ["排查步骤", "2. 压测"], "压测时使用 `--direct=1` 绕过页缓存，队列深度设为 32。")
FIX = doc("c-4", ["解决方法"], "1. **规格太小**：升级实例规格。\n2. **并发不足**：提高队列深度。")
TERMS = QuestionTerms({"svctm": 6.0, "偏高": 3.0, "磁盘": 1.0, "故障": 2.0})
QUESTION = "svctm 偏高 是不是磁盘故障了"


def test_a_title_word_says_which_page_not_what_is_asked():
    asked = asked_beyond_topic(TERMS, [CHECK], [(1, Unit("row", "svctm：对网络盘参考意义有限"))])
    assert "磁盘" not in asked.weights and "svctm" in asked.weights


def test_a_word_the_page_is_tagged_with_says_which_page_too():
    tagged = {**CHECK, "meta": {**CHECK["meta"], "doc_tags": ["云盘", "svctm"]}}
    asked = asked_beyond_topic(TERMS, [tagged], [(1, Unit("row", "svctm：对网络盘参考意义有限"))])
    assert "svctm" not in asked.weights and "偏高" in asked.weights


def test_one_line_must_hold_the_asked_thing():
    passages, terms = [CHECK, NEIGHBOUR], QuestionTerms({"svctm": 4.0, "偏高": 4.0, "故障": 3.0})
    assert holds_asked(passages, [(1, Unit("row", "svctm：偏高不代表故障"))], terms)
    scattered = [(1, Unit("sentence", "svctm 是一个指标。")), (2, Unit("sentence", "偏高时先看日志。")),
                 (2, Unit("sentence", "故障要报修。"))]
    assert not holds_asked(passages, scattered, terms)
    assert not holds_asked([FIX], [(1, Unit("item", "svctm 偏高时：升级规格，不是故障"))], terms)  # a fix line: the why is unsaid


def test_causes_list_keeps_the_items_naming_what_is_asked():
    units = [Unit("item", "**队列太浅**：单线程写入。", number=1), Unit("item", "并发为 1", depth=1),
             Unit("item", "**svctm 被误读**：网络盘上 svctm 不可信。", number=2), Unit("item", "看 await", depth=1),
             Unit("item", "**容量**：最多 100,000。", number=3)]
    kept = asked_items(units, QuestionTerms({"svctm": 6.0, "100": 2.0}))
    assert [u.text for u in kept] == ["**svctm 被误读**：网络盘上 svctm 不可信。", "看 await"]  # not "100" in "100,000"


def test_a_word_matched_section_adding_nothing_pads_but_a_fix_never_does():
    picked = [(1, Unit("row", "svctm：偏高不代表磁盘故障"))]
    passages = [CHECK, NEIGHBOUR, FIX]
    assert pads(passages, picked, NEIGHBOUR, [Unit("sentence", "压测时使用 direct=1，队列深度设为 32。")], TERMS)
    assert not pads(passages, picked, FIX, [Unit("item", "**规格太小**：升级实例规格。")], TERMS)
    assert not pads(passages, picked, NEIGHBOUR, [Unit("sentence", "svctm 偏高时压测。")],
                    QuestionTerms({"svctm": 6.0, "压测": 3.0}))  # names "压测", asked and not yet said


def test_answer_to_one_condition_is_not_padded_with_the_whole_causes_list():
    units = extractive_units(QUESTION, [CAUSES, NEIGHBOUR, CHECK], query=QUESTION, qtype="symptom")
    text = "\n".join(u["text"] for u in units)
    assert "偏高不代表磁盘故障" in text
    assert "svctm 被误读" in text  # the cause naming what is asked stays
    assert "块太大" not in text and "队列太浅" not in text  # the other causes pad it
    assert "direct=1" not in text  # a check matched by a word, adding nothing asked


FAQ_SECTION = doc("c-5", ["常见问题"], "1. **svctm 偏高**：网络盘上不代表故障，看 await。")


def test_a_block_before_the_line_holding_the_asked_thing_and_adding_nothing_is_left_out():
    terms = QuestionTerms({"svctm": 4.0, "偏高": 4.0, "故障": 3.0})
    passages = [NEIGHBOUR, FAQ_SECTION]
    picked = [(1, Unit("leadin", "压测时看 svctm：")), (1, Unit("code", "iostat -x 1")),
              (2, Unit("item", "**svctm 偏高**：网络盘上不代表故障，看 await。"))]
    assert before_the_answer(passages, picked, [1, 1, 2], terms) == {0, 1}
    assert held_by_entry(passages, picked, terms)  # a page's FAQ item holds it: its procedure would pad it
    naming_more = [(1, Unit("sentence", "压测时先看 svctm。")), picked[2]]
    more = QuestionTerms({"svctm": 4.0, "偏高": 4.0, "故障": 3.0, "压测": 1.0})
    assert before_the_answer(passages, naming_more, [1, 2], more) == set()  # it names "压测", which the hit lacks


def test_a_row_contrasting_things_does_not_hold_what_is_asked_of_one():
    terms = QuestionTerms({"发送": 4.0, "文本": 5.0, "限制": 3.0})
    differs = doc("c-6", ["与 SSH 的区别"], "| 项目 | VNC | SSH |\n| --- | --- | --- |\n| 复制粘贴 | 只能通过发送文本 | 方便 |")
    row = [(1, Unit("row", "复制粘贴：只能通过发送文本；SSH 方便"))]
    assert not holds_asked([differs], row, terms)
    assert holds_asked([NEIGHBOUR], [(1, Unit("sentence", "发送文本有长度限制"))], terms)
