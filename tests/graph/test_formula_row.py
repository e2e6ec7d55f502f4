"""A value worked out from the formula the page gives, for the number the question gives
(graph/formula_row.py), and as the value answer (graph/value_fact.best_fact)."""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.formula_row import worked_out
from graph.passages import to_state
from knowledge.types import Passage

ROWS = ("类型 | 公式\n--- | ---\n高性能云盘 | min(1800 + 8 × 容量GiB, 5000)\n"
        "极速 SSD 云盘 | min(1800 + 50 × 容量GiB, 100000)\n")


def test_the_formula_with_the_number_the_question_gives() -> None:
    assert worked_out("极速 SSD 云盘：min(1800 + 50 × 容量GiB, 100000)", "极速ssd 500G 的 IOPS 能到多少") \
        == "500 GiB 时：min(1800 + 50 × 500, 100000) = 26,800"
    assert worked_out("高性能云盘：min(1800 + 8 × 容量GiB, 5000)", "高性能云盘 1000个G 多少") \
        == "1000 GiB 时：min(1800 + 8 × 1000, 5000) = 5,000"


def test_no_arithmetic_the_page_does_not_give() -> None:
    assert worked_out("以 200 GiB 为例：1800 + 30 × 200 = 7800 IOPS。", "500G 能到多少") is None  # no variable
    assert worked_out("min(1800 + 50 × 容量GiB, 100000)", "能到多少") is None  # no number given
    assert worked_out("min(1800 + 50 × 容量GiB, 100000)", "2 核 4G 的机器能到多少 500G 呢") is None  # two
    assert worked_out("带宽 = 10 × 核数", "500G 多少") is None  # the number is in another unit


def test_the_value_answer_gives_the_worked_out_value() -> None:
    page = to_state(Passage(chunk_id="d-1", source="docs/disk/iops.md", title="云盘 IOPS", heading_path=["计算标称值"],
                            text="IOPS 随容量增长，直到类型上限：\n\n" + "| " + ROWS.replace("\n", " |\n| ").rstrip("| \n") + " |",
                            kind="doc", kb="demo", meta={"indexed_text": "云盘 IOPS > 计算标称值\n"}))
    text = units_text(extractive_units("极速 SSD 云盘 500G 的 IOPS 能到多少", [page]))
    assert "26,800" in text and "min(1800 + 50 × 500, 100000)" in text


LISTED = ("星栈云提供三种云盘：高性能云盘、SSD 云盘和极速 SSD 云盘。IOPS 分别为 min(1800 + 8 × 容量GiB, 5000)、"
          "min(1800 + 30 × 容量GiB, 26000) 和 min(1800 + 50 × 容量GiB, 100000)。")


def test_of_several_formulas_given_respectively_the_asked_type_s_is_worked_out() -> None:
    assert worked_out(LISTED, "ssd 云盘 300个G 的话 iops 怎么算") == "300 GiB 时：min(1800 + 30 × 300, 26000) = 10,800"
    assert worked_out(LISTED, "极速 SSD 云盘 500G 能到多少") == "500 GiB 时：min(1800 + 50 × 500, 100000) = 26,800"
    assert worked_out(LISTED, "云盘 300G 能到多少") is None  # no type named: no formula picked for it
    two = "IOPS 为 min(1800 + 8 × 容量GiB, 5000) 或 min(1800 + 30 × 容量GiB, 26000)。"
    assert worked_out(two, "SSD 云盘 300G") is None  # formulas not paired with names


def test_a_faq_formula_answer_comes_worked_out_for_the_number_asked() -> None:
    from dataclasses import replace
    from graph.doc_units import parse_units
    from graph.formula_row import work_in
    unit = parse_units("SSD 云盘 IOPS = min(1800 + 30 × 容量GiB, 26000)。", "faq")[0]
    other = replace(unit, text="例如 200 GiB 的 SSD 云盘 IOPS 为 7800。")
    out = work_in([(1, other), (1, unit)], "SSD 云盘 400G 的 IOPS 怎么算")
    assert out[1][1].text.endswith("400 GiB 时：min(1800 + 30 × 400, 26000) = 13,800") and out[0][1] is other
    assert work_in(out, "SSD 云盘 400G 的 IOPS 怎么算") == out  # worked out once
    assert work_in([(1, unit)], "SSD 云盘 IOPS 怎么算") == [(1, unit)]  # no number given


def test_how_a_value_is_computed_is_a_value_question() -> None:
    from graph.question_type import question_type
    assert question_type("SSD 云盘 400G 的 IOPS 怎么算") == "value"
    assert question_type("流量费用是怎么算的") == "value"
    assert question_type("怎么算才不超时") == "howto"


def test_a_formula_question_on_the_demo_base_gets_the_worked_value(demo_knowledge) -> None:
    from graph.service import Copilot
    from tests.graph.conftest import make_context
    text = Copilot(make_context(demo_knowledge)).ask("SSD 云盘 400G 的 IOPS 怎么算", "f1").answer
    assert "13,800" in text and "fio" not in text, text
