"""A follow-up reporting a detail of the thread's page gets the unit holding its rare words
(graph/detail_unit.py through graph/pointed_unit.py): unit checks on a built page, then conversations on the
keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.detail_unit import detail_unit
from graph.worded_unit import reports_case, worded_unit
from graph.page_units import page_units
from graph.pointed_unit import Scorer
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/console.md"
CHUNKS = [
    {"chunk_id": "c-0", "heading_path": ["使用终端", "登录步骤"], "kind": "doc",
     "text": "1. 在控制台找到组件，点击 **远程连接**。\n2. 首次使用时会显示一个 6 位的连接口令，它只显示一次。"
             "忘记时可以点击 **修改口令** 重新设置。\n3. 输入口令后进入终端画面。"},
    {"chunk_id": "c-1", "heading_path": ["使用终端", "常见问题"], "kind": "doc",
     "text": "**终端输入账号一直提示 Login incorrect？**\n终端里输入时不会显示任何字符，属于正常现象。\n\n"
             "**画面一直不动？**\n先按回车键唤醒。"},
    {"chunk_id": "c-2", "heading_path": ["使用终端", "命令行登录"], "kind": "doc",
     "text": "也可以用命令行连接：\n\n```bash\nterm-cli connect --id w-1\n```"},
]


def _units():
    return page_units(PAGE, CHUNKS)


def test_chinese_words_alone_point_at_no_unit():
    message = "首次那个口令忘记了"  # two rare pairs of one unit, no name quoted from the page: said many ways
    assert detail_unit(_units(), Scorer.of(message, _units())) is None


def test_a_question_unit_reads_with_its_answer():
    message = "输账号一直提示 Login incorrect"
    found = detail_unit(_units(), Scorer.of(message, _units()))
    assert found is not None and "不会显示任何字符" in found[0].text


def test_a_unit_lacking_a_name_the_message_quotes_is_not_the_part():
    message = "用 term-cli 连的时候输账号一直提示 Login incorrect"  # the FAQ entry names no term-cli
    assert detail_unit(_units(), Scorer.of(message, _units())) is None


def test_words_every_unit_shares_point_at_no_unit():
    message = "终端口令还是不行"  # no rare word: which part is meant is not known
    assert detail_unit(_units(), Scorer.of(message, _units())) is None


_sessions = itertools.count()


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


@pytest.mark.parametrize("first, then, fact, longest", [
    ("vnc 登录的步骤是啥", "连上以后输系统密码一直提示 Login incorrect", "不会显示任何字符", 600),
    ("数据盘挂载流程是怎样的", "mount 的时候报 wrong fs type, bad superblock", "分区还没有格式化", 600),
])
def test_a_follow_up_naming_a_detail_gets_that_unit(demo, first, then, fact, longest):
    session = f"detail-unit-{next(_sessions)}"
    demo.ask(first, session, kb="demo")
    result = demo.ask(then, session, kb="demo").to_json()
    assert fact in result["answer"] and len(result["answer"]) <= longest * 2


TROUBLE = "docs/widget/sync-failed.md"
TROUBLE_CHUNKS = [
    {"chunk_id": "t-0", "title": "同步失败", "heading_path": ["同步失败", "现象"], "kind": "doc",
     "text": "- 控制台显示同步失败，提示凭据已失效。\n- 同步任务时好时坏，偶尔超时。"},
    {"chunk_id": "t-1", "title": "同步失败", "heading_path": ["同步失败", "可能原因"], "kind": "doc",
     "text": "1. **凭据失效**：访问令牌已过期，或账号密码被修改。\n2. **任务排队**：高峰时段任务堆积，偶尔超时。\n"
             "3. **目录权限**：目标目录只读，写入被拒绝。"},
    {"chunk_id": "t-2", "title": "同步失败", "heading_path": ["同步失败", "解决方法"], "kind": "doc",
     "text": "- **凭据失效**：在控制台重新生成访问令牌并更新任务配置。\n- **任务排队**：把任务改到低峰时段执行。\n"
             "- **目录权限**：为目标目录授予写权限。"},
]


def _trouble():
    return page_units(TROUBLE, TROUBLE_CHUNKS)


def test_a_case_reported_in_words_gets_its_cause_line_and_its_fix():
    words = [["高峰"], ["时段"], ["堆积"]]  # "高峰时段任务都堆积着"
    found = worded_unit(_trouble(), words)
    assert len(found) == 2 and "高峰时段任务堆积" in found[0].text and "改到低峰时段" in found[1].text


def test_a_symptom_line_restating_the_report_is_not_the_part():
    words = [["时好时坏"], ["偶尔"], ["超时"]]  # the 现象 line says all three: it restates what is reported
    found = worded_unit(_trouble(), words)
    assert found and "高峰时段任务堆积" in found[0].text


def test_words_two_units_share_alike_point_at_none():
    assert worded_unit(_trouble(), [["访问令牌"], ["任务"]]) == []  # cause 1 and fix 1 hold them alike
    assert worded_unit(_trouble(), [["高峰"]]) == []  # one rare word is shared by chance


def test_only_a_case_reported_in_words_is_worded():
    units = _trouble()
    assert reports_case("高峰时段任务都堆积着", Scorer.of("高峰时段任务都堆积着", units))
    assert not reports_case("以后高峰时段的任务应该咋弄", Scorer.of("以后高峰时段的任务应该咋弄", units))  # asks an action
    page = _units()
    assert not reports_case("终端一直提示 Login incorrect", Scorer.of("终端一直提示 Login incorrect", page))  # a name


@pytest.mark.parametrize("first, then, fact, unsaid, longest", [
    ("clb 后端健康检查一直不通过", "健康检查的路径要登录才能访问 会返回未授权", "专用的轻量健康检查接口", "100.64.0.0/10", 450),
    # "中断了" reads as an interruption asked about: the symptom line it restates is no answer (graph/prior_scan.py)
    ("远程桌面登录 windows 服务器失败了", "弹窗说没有远程桌面授权服务器提供许可证 远程会话中断了", "配置授权服务器",
     "远程会话被中断", 450),
])
def test_a_follow_up_reporting_a_case_in_words_gets_that_unit(demo, first, then, fact, unsaid, longest):
    session = f"detail-unit-{next(_sessions)}"
    demo.ask(first, session, kb="demo")
    result = demo.ask(then, session, kb="demo").to_json()
    body = result["answer"].split("**参考来源**")[0]
    assert fact in body and unsaid not in body and len(body) <= longest


def test_a_fix_pointed_at_comes_with_its_cause_line_which_does_not_compete():
    words = [["低峰"], ["改到"], ["排队"]]  # the fix holds all three, its cause line "任务排队" one
    found = worded_unit(_trouble(), words)
    assert len(found) == 2 and "高峰时段任务堆积" in found[0].text and "改到低峰时段" in found[1].text
