"""A follow-up pointing into the previous answer gets the unit of its page detailing that part
(graph/page_units.py, graph/detail_kind.py, graph/pointed_unit.py): unit checks on built pages, then
conversations on the keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.detail_kind import detail_kind, gives
from graph.page_units import page_units
from graph.pointed_unit import POINTED, best_unit, pointed_unit_first
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/probe.md"
CHUNKS = {
    PAGE: [
        {"chunk_id": "p-0", "heading_path": ["组件探测"], "kind": "doc",
         "text": "组件定期探测后端。探测失败时组件标记为异常。"},
        {"chunk_id": "p-1", "heading_path": ["组件探测", "排查步骤", "2. 在后端抓包"], "kind": "doc",
         "text": "在后端执行：\n\n```bash\ntcpdump -nn -i eth0 port 9000\n```\n\n"
                 "- 没有任何包：流量在到达实例前被拦截。\n- 有 SYN 但没有 SYN-ACK：系统防火墙拦截或端口未监听。"},
        {"chunk_id": "p-2", "heading_path": ["组件探测", "排查步骤", "3. 查看探测结果"], "kind": "doc",
         "text": "在控制台 **组件 > 实例 > 探测结果** 中查看每台后端的状态。"},
        {"chunk_id": "p-3", "heading_path": ["组件探测", "排查步骤", "4. 修改探测参数"], "kind": "doc",
         "text": "下面的命令把探测路径改为 /health：\n\n"
                 "1. 先确认当前参数；\n   ```bash\n   widget describe-probe --id w-1\n   ```\n"
                 "   改完后再次确认：\n   ```bash\n   widget modify-probe --id w-1 --path /health\n   ```"},
    ],
}
PRIOR = {"text": "1. 在后端抓包：tcpdump -nn -i eth0 port 9000\n2. 查看探测结果", "sources": [PAGE],
         "titles": {PAGE: "组件探测"}, "question": "组件探测失败怎么排查"}
OTHER = {"chunk_id": "o-1", "source": "docs/other/firewall.md", "title": "防火墙", "kind": "doc",
         "heading_path": ["防火墙"], "text": "防火墙会丢弃 SYN 包。", "meta": {"match": "strong"}}


def _units():
    return [u for c in CHUNKS[PAGE] for u in page_units(PAGE, [c])]


def test_a_page_is_cut_into_items_paragraphs_with_their_code_and_code_blocks():
    texts = [u.text for u in page_units(PAGE, CHUNKS[PAGE])]
    assert "在后端执行：\n```bash\ntcpdump -nn -i eth0 port 9000\n```" in texts  # a lead-in takes its code
    assert "- 有 SYN 但没有 SYN-ACK：系统防火墙拦截或端口未监听。" in texts  # a list item alone
    assert any(t.startswith("1. 先确认当前参数") and "describe-probe" in t for t in texts)
    # a paragraph inside an item, after the item's code, is a unit of its own with its own code
    assert any(t.strip().startswith("改完后再次确认") and "modify-probe" in t for t in texts)


def test_the_kind_of_detail_a_follow_up_asks():
    assert detail_kind("那条命令怎么写") == "command"
    assert detail_kind("抓包看到 SYN 没回包 说明啥") == "meaning"
    assert detail_kind("控制台里在哪看") == "place"
    assert detail_kind("如果是 Windows 实例呢") == ""  # a case, not a part's detail
    assert detail_kind("最多能建几个") == ""  # a value: graph/asked_kind.py
    assert gives("command", "`widget modify-probe`") and not gives("command", "改完后再次确认")
    assert not gives("meaning", "```bash\ntcpdump\n```")


def test_the_unit_pointed_at_is_the_one_detailing_the_part():
    found = best_unit("抓包看到有 SYN 没回 SYN-ACK 说明啥", _units())
    assert found is not None and "系统防火墙拦截或端口未监听" in found[0].text
    found = best_unit("查看探测结果那步 控制台里在哪看", _units())
    assert found is not None and "组件 > 实例 > 探测结果" in found[0].text
    assert best_unit("如果是 Windows 实例呢", _units()) is None


def test_a_command_asked_by_name_is_the_unit_running_it_not_the_one_installing_it():
    page = "docs/widget/bench.md"
    chunks = [{"chunk_id": "b-1", "heading_path": ["压测", "安装"], "kind": "doc",
               "text": "安装 wbench：\n\n```bash\nyum install -y wbench\n```"},
              {"chunk_id": "b-2", "heading_path": ["压测", "正确地压测"], "kind": "doc",
               "text": "测试随机写（队列深度 32、绕过缓存）：\n\n```bash\nwbench --direct=1 --iodepth=32 --rw=randwrite\n```\n\n"
                       "结果中的 IOPS 即为实测值，测试文件用完请删除，避免占用空间，也避免影响后续的容量统计和备份任务。"},
              {"chunk_id": "b-0", "heading_path": ["压测", "常见原因"], "kind": "doc",
               "text": "- 队列太浅：实测远低于标称值；\n- 页缓存参与：读可能虚高；\n- 块太大：IOPS 低而吞吐高；\n"
                       "- 盘太小：标称值随容量增长；\n- 实例规格限制：小规格实例有上限；\n- 测试时间太短：结果波动大。"}]
    units = [u for c in chunks for u in page_units(page, [c])]
    found = best_unit("那用 wbench 怎么测才对，参数给一下", units)
    assert found is not None and "--iodepth=32" in found[0].text, found


def test_the_unit_stands_alone_for_a_follow_up_even_when_another_page_was_selected():
    chosen = pointed_unit_first([OTHER], "抓包看到有 SYN 没回 SYN-ACK 说明啥", PRIOR, lambda s: CHUNKS.get(s, []),
                                None, "kb")
    assert [p["chunk_id"] for p in chosen] == ["p-1"]
    assert chosen[0]["text"] == "- 有 SYN 但没有 SYN-ACK：系统防火墙拦截或端口未监听。"
    assert chosen[0]["meta"][POINTED]


def test_a_follow_up_asking_no_detail_of_a_part_is_left_alone():
    chosen = pointed_unit_first([OTHER], "那要是换成 UDP 呢", PRIOR, lambda s: CHUNKS.get(s, []), None, "kb")
    assert chosen == [OTHER]


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


_sessions = itertools.count()


def _ask(demo: Copilot, first: str, then: str) -> dict:
    session = f"pointed-unit-{next(_sessions)}"
    demo.ask(first, session, kb="demo")
    return demo.ask(then, session, kb="demo").to_json()


def _cited(result: dict) -> list[str]:
    return [c["source"] for c in result.get("citations") or []]


def test_a_requirement_asked_is_a_question_for_the_unit_stating_the_rule():
    assert detail_kind("新的有啥要求") == "requirement"
    assert detail_kind("那个字段有啥格式限制") == "requirement"
    assert detail_kind("名字能用中文吗") == "requirement"
    assert detail_kind("安全组规则我刚加上 要重启机器才生效吗") == ""  # names rules, asks none
    assert detail_kind("来源那一栏能填啥格式") == "command"
    assert gives("requirement", "- **密码规则**：8-30 个字符，至少包含三类。") and not gives("requirement", "点击 **开机**。")



@pytest.mark.parametrize("first, then, fact, sources, longest", [
    # a meaning of a step: that step, not another page
    ("clb 后端全都显示不健康 怎么排查", "抓包看到有SYN但是没回SYN-ACK 说明啥", "系统防火墙拦截或端口未监听",
     {"docs/clb/health-check.md"}, None),
    # a command of a step: that step's command alone
    ("mysql 连接数满了 新连接都进不来 怎么排查", "按来源ip统计连接数的那个sql怎么写", "SUBSTRING_INDEX", None, 500),
    # a new one's requirement: the rule of the page, not another condition
    ("服务器root密码忘了 咋重置啊", "新的有啥要求", "8-30 个字符", {"docs/scs/reset-password.md"}, None),
    # a field's requirement: that field's row
    ("数据盘开机自动挂载怎么配", "fstab里挂载点那一项有啥要求", "必须已存在", None, 300),
])
def test_a_follow_up_pointing_at_a_part_gets_that_parts_unit(demo, first, then, fact, sources, longest):
    result = _ask(demo, first, then)
    assert fact in result["answer"], result["answer"]
    if sources is not None:
        assert set(_cited(result)) == sources, result["answer"]
    if longest is not None:
        assert len(result["answer"].split("**参考来源**")[0]) <= longest, result["answer"]
