"""The question's shape decides the answer's (issue #12): a yes or no gets the verdict and its reason,
"哪几个字段" the list, "用啥命令" the command block, "那 X 的呢" the row keyed X, "还有别的办法吗" a procedure.
Run: pytest tests/graph/test_answer_shape.py"""

from __future__ import annotations

import pytest

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.passages import to_state
from graph.question_type import asked_unit, asks_command, asks_list, asks_verdict, question_type
from knowledge.types import Passage
from tests.graph.conftest import asker


def doc(chunk_id: str, heads: list[str], text: str, kind: str = "doc", source: str = "docs/x/page.md") -> dict:
    return to_state(Passage(chunk_id=chunk_id, source=source, title="备份与恢复", heading_path=heads, text=text, kind=kind,
                            kb="demo", meta={"indexed_text": " > ".join(["备份与恢复", *heads]) + "\n" + text}))


def answer(question: str, passages: list[dict]) -> str:
    return units_text(extractive_units(question, passages))


def test_the_shape_a_question_asks_for():
    assert asks_verdict("误删的快照能找回来吗") and asks_verdict("停机了还计费不") and asks_verdict("先删点日志腾空间行不")
    assert not asks_verdict("不是说 7800 吗") and not asks_verdict("一般几天能开出来")
    assert question_type("停机了还计费不") == "value"  # a yes or no, not a problem reported
    assert question_type("一直不续费 里面数据会咋样") == "value"  # a consequence
    assert question_type("业务停不了 不停机还有别的办法吗") == "howto"  # the page's other way
    assert question_type("签名不对 先查啥") == "howto" and question_type("从哪查起") == "howto"  # the first checks
    assert question_type("空间满了 一般是啥占的") != "define" and question_type("报 1290 是啥") == "define"
    assert asks_command("登进去之后查 nginx 用啥命令") and not asks_command("nginx 怎么重启")
    assert asks_list("重点看哪几个字段") == "字段" and asks_list("有哪些") == "" and asks_list("端口是多少") is None
    assert asked_unit("重点看哪几个字段") is None  # "哪几个" asks which, not how many
    assert asked_unit("一般几天能开出来").search("提交后 3 个工作日内开出")


def test_a_yes_or_no_gets_the_pages_verdict_with_its_reason():
    page = doc("q-1", ["常见问题"], "**Q：快照删除后磁盘会变小吗？**\n\n不会。磁盘大小与快照无关。\n\n"
                                     "**Q：误删的快照还能恢复吗？**\n\n不能。删除是不可逆操作，建议为重要快照开启删除保护。")
    text = answer("误删的快照能找回来吗", [page])
    assert "不能。" in text and "删除保护" in text and "不会。" not in text


def test_a_list_question_gets_the_list_its_lead_in_announces():
    page = doc("l-1", ["检查执行计划"], "执行计划里 `cost` 越高，语句越慢，通常看 `cost` 就够了。\n\n"
                                        "客户端访问备份服务的两个方向如下：\n\n- 请求：客户端到服务端\n- 响应：服务端到客户端\n\n"
                                        "阅读执行计划时关注以下字段：\n\n- `scan`：全表扫描\n- `rows`：扫描行数\n- `sort`：额外排序")
    text = answer("看执行计划的时候重点看哪几个字段", [page])
    assert "`scan`：全表扫描" in text and "`sort`：额外排序" in text and "请求：客户端到服务端" not in text


def test_a_command_question_gets_the_command_block():
    faq = to_state(Passage(chunk_id="f-1", source="faq/faq.jsonl", title="常见问题", heading_path=["备份服务起不来怎么办？"],
                           kind="faq", kb="demo", text="问：备份服务起不来怎么办？\n答：登录实例后检查备份服务 backupd 的状态和日志。",
                           meta={"question": "备份服务起不来怎么办？"}))
    page = doc("c-1", ["检查服务"], "备份服务 backupd 由 systemd 管理，登录实例后执行：\n\n"
                                    "```bash\nsystemctl status backupd\njournalctl -u backupd -n 50\n```")
    text = answer("登进实例之后查 backupd 用啥命令", [faq, page])
    assert "systemctl status backupd" in text and "journalctl -u backupd -n 50" in text


def test_the_row_keyed_with_what_the_question_names():
    table = doc("t-1", ["保留规则"], "保留规则（表头：备份类型 | 保留时长）\n"
                                     "备份类型: 自动备份；保留时长: 欠费停服后保留 3 天\n"
                                     "备份类型: 手动备份；保留时长: 停服后保留 30 天", kind="table")
    text = answer("手动备份：欠费停服后多久删除", [table])
    assert "30 天" in text and "3 天" not in text.replace("30 天", "")


def test_done_without_what_the_question_would_do_without():
    page = doc("w-1", ["升级前须知"], "- **需要停机**：默认情况下，升级内核要求实例处于停机状态，请预留停机时间。\n"
                                      "- **热升级例外**：实例内运行了热升级代理时，可以在运行中直接升级内核，无需停机。")
    text = answer("业务停不了 能不停机升级内核吗", [page])
    assert "无需停机" in text


def test_a_verdict_brings_what_to_do_instead():
    page = doc("r-1", ["常见问题"], "**备份不够用怎么办？** 单个实例 7 份自动备份是硬性限制。可以把旧备份导出到对象存储后删除；"
                                    "仍然不够时，改用手动备份，手动备份不占这个额度。\n\n另外，备份按容量计费。")
    text = answer("自动备份7份不够用了能申请提升吗", [page])
    assert "硬性限制" in text and "导出到对象存储" in text


def test_a_command_block_is_judged_with_its_commands():
    page = doc("c-2", ["排查步骤", "4. 登录实例检查"], "如果网络确认无误仍然失败，请通过控制台登录实例，然后执行：\n\n"
                                                 "```bash\nsystemctl status backupd\nbackupd --check-config\n```")
    faq = to_state(Passage(chunk_id="f-2", source="faq/faq.jsonl", title="常见问题", heading_path=["网络不通时还能登录实例吗？"],
                           kind="faq", kb="demo", text="问：网络不通时还能登录实例吗？\n答：可以，控制台登录不依赖实例网络，登进去之后检查服务和防火墙。",
                           meta={"question": "网络不通时还能登录实例吗？"}))
    text = answer("网络看着没问题，那登进去之后查 backupd 用啥命令", [faq, page])
    assert "systemctl status backupd" in text



@pytest.fixture(scope="module")
def ask_keyword(keyword_demo):
    return asker(keyword_demo, "shape")


def test_a_state_row_is_named_without_its_aspect_mark(ask_keyword):
    # "关机后" names the instance-state row "已关机", not the arrears row that also writes 按量付费 and 关机
    answer = ask_keyword("按量付费的机器关机后还收费吗")
    assert "vCPU 和内存停止计费" in answer["answer"] and "欠费 2 小时" not in answer["answer"]
