"""A fact two sub-questions share is shown once (graph/repeats.py, issue 12)."""

from __future__ import annotations

from graph.repeats import without_repeats
from graph.service import Copilot
from tests.graph.conftest import make_context

SHARED = "按带宽计费的弹性公网 IP，每个 EIP 带宽可设置为 1-200 Mbps。[1]"


def test_a_section_answered_only_by_what_an_earlier_one_shows_is_merged_into_it():
    blocks = without_repeats(["带宽最大多少", "带宽上限是多少"], [SHARED, SHARED])
    assert blocks == [([0, 1], SHARED)]


def test_repeated_lines_are_left_out_and_the_earlier_section_is_named():
    other = "在 EIP 列表中点击 **调整带宽**，修改后立即生效，不会中断连接。[2]"
    blocks = without_repeats(["带宽最大多少", "调的时候会断吗"], [SHARED, f"{SHARED}\n{other}"])
    assert [b[0] for b in blocks] == [[0], [1]]
    assert SHARED not in blocks[1][1] and other in blocks[1][1] and "第 1 条" in blocks[1][1]


def test_code_and_partly_repeated_numbered_lists_stay_whole():
    steps = "1. 登录控制台。[1]\n2. 点击扩容。\n```bash\nresize2fs /dev/vdb\n```"
    first = "1. 登录控制台。[1]\n```bash\nresize2fs /dev/vdb\n```"
    blocks = without_repeats(["a", "b"], [first, steps])
    assert blocks[1][1] == steps


def test_two_questions_answered_by_one_entry_show_it_once(demo_knowledge):
    result = Copilot(make_context(demo_knowledge)).ask("默认安全组放了哪些端口？新建的安全组放了哪些端口", "two")
    body = result.answer.split("**参考来源**")[0]
    lines = [line for line in body.split("\n") if len(line.strip()) > 12 and not line.startswith("**")]
    assert lines and len(lines) == len(set(lines)), body
    assert "TCP 22" in body
