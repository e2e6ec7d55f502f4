"""A follow-up asking the same thing for a sibling variant gets the thread page's unit naming that variant
(graph/variant_unit.py): unit checks on a built page."""

from __future__ import annotations

from graph.page_units import page_units
from graph.pointed_unit import POINTED
from graph.variant_unit import names, swapped_words, swaps, variant_unit, variant_unit_first

PAGE = "docs/widget/overdue.md"
TITLE = "组件欠费"
CHUNKS = [
    {"chunk_id": "o-s", "title": TITLE, "heading_path": ["现象"],
     "text": "\n".join(f"- 现象 {i}：控制台第 {i} 栏显示红色横幅，任务列表第 {i} 行停止刷新；" for i in range(1, 9))},
    {"chunk_id": "o-0", "title": TITLE, "heading_path": ["可能原因"],
     "text": "两种计费方式欠费后规则不同：（表头：计费方式 | 到期后）\n"
             "计费方式: 按次计费；到期后: 欠费 1 小时后暂停，保留 10 天\n"
             "计费方式: 包季计费；到期后: 到期未续费则暂停，保留 3 天后回收"},
    {"chunk_id": "o-1", "title": TITLE, "heading_path": ["解决方法", "恢复组件"],
     "text": "1. **充值**：充值后组件在 5 分钟内自动恢复。\n2. **包季计费的组件**：在续费页面续费，续费成功后组件恢复。"},
    {"chunk_id": "o-2", "title": TITLE, "heading_path": ["解决方法", "防止再次欠费"],
     "text": "1. **核心组件改为包季计费**，避免按次扣费波动导致暂停；"},
    {"chunk_id": "o-3", "title": TITLE, "heading_path": ["常见问题"],
     "text": "**Q：组件跑在 http 协议上怎么配？**\n在协议页选择 HTTP 并保存。\n"
             "**Q：组件跑在 https 协议上怎么配？**\n在协议页选择 HTTPS，再上传证书。"},
    {"chunk_id": "o-4", "title": TITLE, "heading_path": ["相关文档"], "text": "- [包季计费说明](season.md)"},
]
UNITS = page_units(PAGE, CHUNKS)


def _text(standalone: str, previous: str, focus: str, selected: tuple[str, ...] = ()) -> str | None:
    unit = variant_unit(standalone, previous, UNITS, focus, selected)
    return None if unit is None else unit.text


def test_the_swapped_words_are_what_the_two_questions_do_not_share():
    assert swapped_words("按次计费的组件欠费了会怎样", "包季计费的组件欠费了会怎样") == ("按次", "包季")
    # the rewrite's variant whole first: 计费 is shared, yet "按次" alone is no billing mode
    assert swaps("按次计费的组件欠费了会怎样", "包季计费的组件欠费了会怎样", "包季计费") == [("按次计费", "包季计费"), ("按次", "包季")]
    assert swaps("tcp 监听器怎么检查", "http 监听器怎么检查", "http 监听器") == [("tcp 监听器", "http 监听器"), ("tcp", "http")]
    assert swapped_words("tcp 监听器怎么检查", "http 监听器怎么检查") == ("tcp", "http")
    assert swapped_words("ssd 云盘上限", "essd 云盘上限") == ("ssd", "essd")  # a Latin word is swapped whole
    assert swapped_words("同一个问题", "同一个问题") == ("", "")
    assert swaps("日志怎么写", "日志怎么读", "读") == []  # one character names no unit


def test_a_latin_variant_is_named_as_a_whole_word():
    assert names("协议页选择 HTTP", "http") and not names("选择 HTTPS", "http")
    assert names("包季计费的组件", "包季计费")


def test_the_row_beside_the_siblings_row_answers_a_value_asked_of_the_variant():
    text = _text("包季计费的组件欠费了会怎样", "按次计费的组件欠费了会怎样", "包季计费")
    assert text is not None and "保留 3 天后回收" in text and "按次" not in text


def test_a_how_to_gets_the_variants_fix_in_the_section_the_selection_chose():
    # the row and the prevention item name the variant too: a how-to asks the fix, and the selection
    # (retrieval judged the whole question) chose the 恢复组件 section
    text = _text("包季计费的组件欠费暂停了怎么恢复", "按次计费的组件欠费暂停了怎么恢复", "包季计费", ("o-1",))
    assert text is not None and "续费页面" in text


def test_a_question_line_naming_the_variant_comes_with_its_answer():
    text = _text("组件跑在 https 协议上怎么配", "组件跑在 http 协议上怎么配", "https")
    assert text is not None and "上传证书" in text and "选择 HTTP 并保存" not in text


def test_no_unit_naming_the_variant_leaves_the_selection():
    assert _text("包年计费的组件欠费了会怎样", "按次计费的组件欠费了会怎样", "包年计费") is None
    chosen = [{"chunk_id": "x", "source": "docs/other.md", "text": "包年计费的组件……", "meta": {}}]
    prior = {"sources": [PAGE], "question": "按次计费的组件欠费了会怎样", "text": "欠费 1 小时后暂停"}
    assert variant_unit_first(chosen, "包年计费的呢", "包年计费的组件欠费了会怎样", "包年计费", prior,
                              lambda source: CHUNKS if source == PAGE else [], "demo") is chosen


def test_the_variants_unit_is_the_evidence_alone():
    prior = {"sources": [PAGE], "question": "按次计费的组件欠费了会怎样", "text": "欠费 1 小时后暂停，保留 10 天"}
    out = variant_unit_first([{"chunk_id": "o-2", "source": PAGE, "text": "…", "meta": {}}],
                             "包季计费的呢", "包季计费的组件欠费了会怎样", "包季计费", prior,
                             lambda source: CHUNKS if source == PAGE else [], "demo")
    assert len(out) == 1 and out[0]["meta"][POINTED] and "保留 3 天后回收" in out[0]["text"]


TABLE = [{"chunk_id": "t-0", "title": "组件规格", "heading_path": ["两种组件"],
          "text": "两种组件的规格不同：（表头：项目 | 标准组件 | 高级组件）\n项目: 容量范围；标准组件: 10-100 GiB；高级组件: 20-2000 GiB\n"
                  "项目: 开放端口；标准组件: 22、80；高级组件: 22、80、443\n项目: 数量上限；标准组件: 5 个；高级组件: 50 个"}]


def test_a_variant_given_a_column_is_answered_by_the_row_the_question_names_only():
    units = page_units("docs/widget/spec.md", TABLE)
    found = variant_unit("高级组件容量范围是多少", "标准组件容量范围是多少", units, "高级组件")
    assert found is not None and "20-2000 GiB" in found.text
    # no row named: the column is the answer, which no one unit holds
    assert variant_unit("高级组件都有哪些规格", "标准组件都有哪些规格", units, "高级组件") is None


def test_a_row_is_given_under_its_columns_header_line():
    prior = {"sources": ["docs/widget/spec.md"], "question": "标准组件容量范围是多少", "text": "10-100 GiB"}
    out = variant_unit_first([], "高级组件的呢", "高级组件容量范围是多少", "高级组件", prior,
                             lambda source: TABLE if source == "docs/widget/spec.md" else [], "demo")
    assert out and out[0]["text"] == "（表头：项目 | 标准组件 | 高级组件）\n项目: 容量范围；标准组件: 10-100 GiB；高级组件: 20-2000 GiB"


def test_another_selected_page_titled_by_the_variant_is_the_switch():
    prior = {"sources": [PAGE], "question": "按次计费的组件欠费了会怎样", "text": "欠费 1 小时后暂停，保留 10 天"}
    chosen = [{"chunk_id": "s-1", "source": "docs/widget/season.md", "title": "包季计费说明", "text": "…", "meta": {}}]
    assert variant_unit_first(chosen, "包季计费的呢", "包季计费的组件欠费了会怎样", "包季计费", prior,
                              lambda source: CHUNKS if source == PAGE else [], "demo") is chosen
