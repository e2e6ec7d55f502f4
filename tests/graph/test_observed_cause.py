"""A first message reporting a symptom with an observation gets the cause it points at, with its fix
(graph/observed_cause.py): unit checks on a built page, then one conversation on the keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.observed_cause import OBSERVED, observation_words, observed_cause_first, observed_unit, stated_cause
from graph.page_units import page_units
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/slow.md"
CHUNKS = [
    {"chunk_id": "s-0", "heading_path": ["现象"], "kind": "doc",
     "text": "- 组件响应变慢，请求排队。"},
    {"chunk_id": "s-1", "heading_path": ["可能原因"], "kind": "doc",
     "text": "1. 业务流量增长，组件规格不足。\n2. 定时任务（备份、压缩）集中在同一时间运行。\n"
             "3. 旧版客户端 `legacy-sdk` 没有复用连接，每次请求都握手。"},
    {"chunk_id": "s-2", "heading_path": ["解决方法"], "kind": "doc",
     "text": "解决方法（表头：原因 | 处理）\n原因: 规格不足；处理: 升级组件规格\n"
             "原因: 定时任务扎堆；处理: 错开执行时间\n原因: 旧版客户端；处理: 把 `legacy-sdk` 升级到 2.0"},
]
TITLE = "组件响应慢排查"
_sessions = itertools.count()


def _units():
    return page_units(PAGE, CHUNKS)


def _texts(units):
    return [u.text for u in units]


def test_a_recurring_time_points_at_the_cause_said_in_time_words():
    words = observation_words("组件每天凌晨两点响应慢，过一会儿又好了", None, TITLE)
    picked = _texts(observed_unit(_units(), words))
    assert picked == ["2. 定时任务（备份、压缩）集中在同一时间运行。", "原因: 定时任务扎堆；处理: 错开执行时间"]


def test_a_quoted_name_points_at_its_cause_and_the_fix_naming_it():
    words = observation_words("组件响应慢，日志里客户端是 legacy-sdk", None, TITLE)
    picked = _texts(observed_unit(_units(), words))
    assert picked[0].startswith("3. 旧版客户端") and picked[1].endswith("升级到 2.0")


def test_the_problem_alone_points_at_no_cause():
    # the title's words are the problem, not an observation: the causes list answers as before
    assert observed_unit(_units(), observation_words("组件响应慢怎么办", None, TITLE)) == []


def test_a_clause_saying_what_works_is_no_observation():
    words = observation_words("组件响应慢，定时任务那边都正常", None, TITLE)
    assert not any("定时" in t for w in words for t in w)


def test_a_page_without_causes_gives_nothing():
    units = page_units(PAGE, [CHUNKS[0], CHUNKS[2]])
    assert observed_unit(units, observation_words("组件每天凌晨两点响应慢", None, TITLE)) == []


def test_a_cause_row_states_its_cause_column():
    assert stated_cause("错误码: (111)；含义: 连接被拒绝；常见方向: 端口写错、实例不在运行中") == "端口写错、实例不在运行中"


def test_the_selection_is_led_by_the_cause_then_its_fix():
    anchor = {"chunk_id": "s-1", "source": PAGE, "kind": "doc", "title": TITLE, "text": CHUNKS[1]["text"],
              "heading_path": ["可能原因"], "meta": {"doc_tags": ["组件"]}}
    out = observed_cause_first([anchor], "组件每天凌晨两点响应慢", lambda s: CHUNKS, None, "demo")
    assert [p["text"] for p in out][::-1][0].startswith("2. 定时任务") and all(p["meta"][OBSERVED] for p in out)
    assert observed_cause_first([anchor], "组件响应慢怎么办", lambda s: CHUNKS, None, "demo") == [anchor]


def test_a_message_pasted_is_no_observation_a_name_standing_alone_is():
    from graph.observed_cause import without_pasted

    assert "denied" not in without_pasted("ssh 报 Permission denied (publickey) 登陆不上去")
    assert "T5" in without_pasted("T5 的机器 cpu 一直卡在 20%") and "Sleep" in without_pasted("连接都是 Sleep 状态")


def test_the_symptom_sections_output_names_the_problem():
    chunks = [{**CHUNKS[0], "text": "日志中出现 `legacy-sdk timeout`。"}, *CHUNKS[1:]]
    anchor = {"chunk_id": "s-1", "source": PAGE, "kind": "doc", "title": TITLE, "text": CHUNKS[1]["text"],
              "heading_path": ["可能原因"], "meta": {}}
    # the page shows legacy-sdk in its symptom's output: quoting it reports the problem, not which cause
    assert observed_cause_first([anchor], "组件响应慢，日志里是 legacy-sdk", lambda s: chunks, None, "demo") == [anchor]


def test_a_section_of_causes_and_fixes_together_lists_no_cause():
    chunks = [{**c, "heading_path": ["常见原因和解决方法"]} for c in CHUNKS[1:]]
    assert observed_unit(page_units(PAGE, chunks), observation_words("组件每天凌晨两点响应慢", None, TITLE)) == []


def test_an_ask_besides_the_report_keeps_the_selection():
    anchor = {"chunk_id": "s-1", "source": PAGE, "kind": "doc", "title": TITLE, "text": CHUNKS[1]["text"],
              "heading_path": ["可能原因"], "meta": {}}
    assert observed_cause_first([anchor], "组件每天凌晨两点响应慢，是不是被攻击了", lambda s: CHUNKS, None, "demo") == [anchor]


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


@pytest.mark.parametrize("message, fact, other", [
    ("服务器 cpu 每天凌晨两点左右冲到 100%，过半小时又自己降下去了，平时都很低", "错开执行时间", "挖矿"),
    ("报 ERROR 1040 连接数满了，show processlist 看大部分连接都是 Sleep 状态挂着", "interactive_timeout", "连接池"),
])
def test_a_first_report_with_an_observation_is_answered_by_its_cause(demo, message, fact, other):
    answer = demo.ask(message, f"observed-{next(_sessions)}", kb="demo").to_json()["answer"]
    assert fact in answer and other not in answer.split("**参考来源**")[0]


def test_a_cause_row_without_a_fix_gets_the_one_check_naming_its_code():
    chunks = [
        {"chunk_id": "e-0", "heading_path": ["现象"], "kind": "doc",
         "text": "错误码表（表头：错误码 | 常见方向）\n错误码: (111)；常见方向: 端口写错\n错误码: (110)；常见方向: 白名单未放行"},
        {"chunk_id": "e-1", "heading_path": ["排查步骤"], "kind": "doc",
         "text": "- 立即被拒绝：对应错误码 111，核对地址和端口。\n- 长时间无响应：对应错误码 110，检查白名单。"},
        {"chunk_id": "e-2", "heading_path": ["解决方法"], "kind": "doc",
         "text": "- **白名单缺失**：添加客户端网段。\n- **安全组缺失**：放行 3306。\n- **欠费停服**：充值后恢复。"},
        {"chunk_id": "e-3", "heading_path": ["相关说明"], "kind": "doc",
         "text": "- 实例规格见概述。\n- 内网地址只在本 VPC 可达。\n- 外网地址需要单独开通。"},
    ]
    picked = _texts(observed_unit(page_units(PAGE, chunks), observation_words("连接报错，括号里是 111", None, TITLE)))
    assert picked == ["错误码: (111)；常见方向: 端口写错", "- 立即被拒绝：对应错误码 111，核对地址和端口。"]


def test_a_case_with_a_section_of_its_own_is_left_to_that_section():
    steps = {"chunk_id": "s-3", "heading_path": ["排查步骤", "3. 处理定时任务扎堆"], "kind": "doc",
             "text": "用 `crontab -l` 找出同一时间运行的任务，把备份挪到其他时段。"}
    units = page_units(PAGE, [*CHUNKS, steps])
    assert observed_unit(units, observation_words("组件每天凌晨两点响应慢", None, TITLE)) == []
