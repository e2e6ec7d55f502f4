"""A setting's own reference section names the setting in what is quoted of it (issue #21):
graph/setting_block.named_setting / with_setting_name, applied by graph/answer_draft.AnswerDraft.add."""

from __future__ import annotations

from graph.answer_draft import AnswerDraft
from graph.doc_units import Unit, parse_units
from graph.relevance import question_terms
from graph.setting_block import named_setting, with_setting_name

ENTRY = ("+ 单行数据的大小限制\n+ 默认值：6291456\n+ 单位：Byte\n"
         "+ 事务中单个记录的大小限制。若超出该限制，服务将会返回 `entry too large` 错误。\n")


def _section(head: str, text: str = ENTRY) -> dict:
    return {"chunk_id": "c1", "source": "ref/server-config.md", "title": "服务配置文件描述", "kind": "doc",
            "heading_path": ["performance", head], "text": text, "kb": "k", "meta": {}}


def test_a_heading_that_is_a_setting_name_is_read_as_one() -> None:
    assert named_setting(_section("entry-size-limit` 从 v4.0.10 和 v5.0.0 版本开始引入")) == "entry-size-limit"
    assert named_setting(_section("example.io/default-container")) == "example.io/default-container"
    assert named_setting(_section("example.io/avoid-pods（已弃用）")) == "example.io/avoid-pods"
    assert named_setting(_section("--no-labels")) == "--no-labels"
    assert named_setting(_section("使用 AUTO_RANDOM 处理自增主键热点表")) is None
    assert named_setting(_section("hostname")) is None  # one plain word: no more a setting than a topic


def test_the_first_quoted_line_opens_with_the_name_unless_one_names_it() -> None:
    units = [u for u in parse_units(ENTRY) if "事务中" in u.text]
    shown = with_setting_name(units, _section("entry-size-limit"))
    assert shown[0].text.startswith("`entry-size-limit`：事务中单个记录")
    named = [Unit("sentence", "把 `entry-size-limit` 调大即可。")]
    assert with_setting_name(named, _section("entry-size-limit")) == named
    assert with_setting_name(units, _section("单行数据")) == units


def test_the_answer_names_the_setting_once() -> None:
    passage = _section("entry-size-limit")
    terms = question_terms("单条记录太大报 entry too large 该调哪个参数", "", None, [ENTRY])
    draft = AnswerDraft([passage], terms, 600)
    units = [u for u in parse_units(ENTRY) if u.kind == "item"]
    draft.add(1, units[3:])
    draft.add(1, units[:1])
    texts = [u.text for _, u in draft.picked]
    assert texts[0].startswith("`entry-size-limit`：") and sum("`entry-size-limit`" in t for t in texts) == 1
