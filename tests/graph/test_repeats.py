"""A fact two sub-questions share is shown once (graph/repeats.py, issue 12)."""

from __future__ import annotations

from graph.nodes.compose import asked_words
from graph.repeats import without_repeats
from graph.service import Copilot
from tests.graph.conftest import make_context

SHARED = "按带宽计费的弹性公网 IP，每个 EIP 带宽可设置为 1-200 Mbps。[1]"


def test_a_section_answered_only_by_what_an_earlier_one_shows_is_merged_into_it():
    blocks = without_repeats(["带宽最大多少", "带宽上限是多少"], [SHARED, SHARED])
    assert blocks == [([0, 1], SHARED)]


def test_repeated_lines_are_left_out_and_a_section_with_its_own_answer_gives_it_without_a_note():
    other = "在 EIP 列表中点击 **调整带宽**，修改后立即生效，不会中断连接。[2]"
    blocks = without_repeats(["带宽最大多少", "调的时候会断吗"], [SHARED, f"{SHARED}\n{other}"])
    assert [b[0] for b in blocks] == [[0], [1]]
    assert blocks[1][1] == other


def test_a_section_left_with_nothing_of_its_own_names_the_sections_that_hold_its_answer():
    other = "在 EIP 列表中点击 **调整带宽**，修改后立即生效，不会中断连接。[2]"
    blocks = without_repeats(["带宽最大多少", "调的时候会断吗", "都说说"], [SHARED, other, f"{SHARED}\n{other}"])
    assert [b[0] for b in blocks] == [[0], [1], [2]]
    assert "第 1、2 条" in blocks[2][1] and SHARED not in blocks[2][1] and other not in blocks[2][1]


def test_a_block_answering_two_questions_is_headed_with_the_users_own_words_once():
    message = "eip 带宽最大能调到多少，调的时候会断吗"
    assert asked_words(message, ["eip 带宽最大能调到多少", "eip 带宽 调的时候会断吗"]) == message
    assert asked_words("eip没绑东西也收钱？收多少", ["eip没绑东西也收钱", "eip 收多少"]) == "eip没绑东西也收钱？收多少"
    # not next to each other in the message: each one's own words
    assert asked_words("A 怎么弄？另外 B 是多少？那 C 呢", ["A 怎么弄", "A C 怎么弄"]) == "A 怎么弄；A C 怎么弄"
    assert asked_words("A 怎么弄？B 是多少？C 怎么配", ["A 怎么弄", "C 怎么配"]) == "A 怎么弄；C 怎么配"


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


def _section(standalone: str, answer: str, sources: list[str]) -> dict:
    return {"standalone": standalone, "route": "knowledge", "answer": answer,
            "citations": [{"source": s, "kind": "faq" if s.startswith("faq/") else "doc"} for s in sources]}


def test_short_answers_about_one_subject_from_one_page_are_one_block():
    from graph.repeats import one_subject

    same = lambda later, first: "实例" in later and "实例" in first  # noqa: E731
    first = _section("实例关机了还扣钱吗", "关机后 vCPU 和内存不再计费。[1]", ["docs/life.md"])
    later = _section("实例 内网ip会变不", "内网 IP 在实例释放之前保持不变。[2]", ["docs/life.md"])
    assert one_subject([first, later], same) == [False, True]
    blocks = without_repeats(["实例关机了还扣钱吗", "内网ip会变不"], [first["answer"], later["answer"]], [False, True])
    assert blocks == [([0, 1], f"{first['answer']}\n{later['answer']}")]
    other_page = _section("实例 内网ip会变不", later["answer"], ["docs/eip.md"])
    steps = _section("实例 内网ip会变不", "1. 打开控制台[2]\n2. 点击实例", ["docs/life.md"])
    hedged = _section("实例 内网ip会变不", "知识库中没有与问题完全对应的内容，以下是部分相关的资料，仅供参考：\n内网 IP 不变。[2]",
                      ["docs/life.md"])
    assert one_subject([first, other_page], same) == [False, False]  # another page: another block
    assert one_subject([first, steps], same) == [False, False]  # a list stays under its own heading
    assert one_subject([first, hedged], same) == [False, False]  # a hedge speaks for its own ask
    assert one_subject([first, later], lambda a, b: False) == [False, False]


def test_a_repeated_line_is_shown_once_in_the_joined_block_whatever_its_citations():
    blocks = without_repeats(["a", "b"], [SHARED, SHARED.replace("[1]", "[1][2]")], [False, True])
    assert blocks == [([0, 1], SHARED)]


def test_a_message_answered_in_one_block_has_no_numbered_heading(fake_kb):
    from graph.nodes.compose import compose_result
    from graph.schema import make_section

    def cited(source: str, text: str) -> list:
        return [{"n": 1, "source": source, "kind": "doc", "chunk_id": text, "text": text, "title": "t"}]

    life = "docs/scs/instance-lifecycle.md"
    sections = [make_section(0, "实例关机了还扣钱吗", "实例关机了还扣钱吗", "knowledge", "关机后 vCPU 和内存不再计费。[1]",
                             citations=cited(life, "关机后 vCPU 和内存不再计费。"), grounded=True),
                make_section(1, "内网ip会变不", "实例 内网ip会变不", "knowledge", "内网 IP 在实例释放之前保持不变。[1]",
                             citations=cited(life, "内网 IP 在实例释放之前保持不变。"), grounded=True)]
    result = compose_result(make_context(fake_kb), {"sections": sections, "message": "实例关机了还扣钱吗 内网ip会变不",
                                                    "guard": {}})  # type: ignore[typeddict-item]
    body = result.answer.split("**参考来源**")[0]
    assert "**1." not in body and "**2." not in body, body
    assert "vCPU 和内存不再计费。[1]" in body and "内网 IP 在实例释放之前保持不变。[2]" in body, body


def test_a_line_shown_in_an_earlier_section_is_a_repeat_whatever_it_cites():
    """The same sentence cited [1] in one section and [1][3] in the next (a FAQ entry and its page)."""
    fee = "未绑定任何资源的 EIP 会按 ¥0.20/小时收取闲置费，不用时请及时释放。"
    blocks = without_repeats(["eip没绑东西也收费", "eip 收费多少"],
                             [f"收费。[1]\n{fee}[1]", f"{fee}[1][3]\n- **定期清理闲置资源**，特别是未绑定的 EIP；[4]"])
    assert blocks[1][1].count(fee) == 0 and "定期清理" in blocks[1][1], blocks


def test_a_line_an_earlier_one_already_says_whole_is_a_repeat():
    blocks = without_repeats(["iops 怎么算", "iops 上限是多少"],
                             ["SSD 云盘 IOPS = min(1800 + 30 × 容量GiB, 26000)；300 GiB 时：10,800[1]",
                              "SSD 云盘 IOPS = min(1800 + 30 × 容量GiB, 26000)。[1]\n例如 200 GiB 的 SSD 云盘 IOPS 为 7800。[1]"])
    assert "min(1800" not in blocks[1][1] and "7800" in blocks[1][1], blocks


def test_one_answer_shows_a_line_once_but_never_drops_code_steps_or_short_verdicts():
    from graph.repeats import once

    units = [{"text": "1. 创建后不能修改名称，只能新建存储桶并迁移数据。", "block": "item", "cites": [1]},
             {"text": "2. 只能包含小写字母、数字和连字符 `-`；", "block": "item", "cites": [1]},
             {"text": "3. 创建后不能修改名称，只能新建存储桶并迁移数据。", "block": "item", "cites": [1]},
             {"text": "不能。", "block": "sentence", "cites": [2]},
             {"text": "不能。", "block": "sentence", "cites": [2]},
             {"text": "```bash\ndf -h /data\n```", "block": "code", "cites": [1]},
             {"text": "```bash\ndf -h /data\n```", "block": "code", "cites": [1]}]
    kept = once(units)
    assert [u["text"][:2] for u in kept] == ["1.", "2.", "不能", "不能", "``", "``"]


def test_a_line_rewording_an_earlier_one_with_the_same_numbers_is_said_once() -> None:
    """A FAQ entry and its page word one quota apart: the answer gave both ("每个 VPC 最多 100 个子网" twice)."""
    from graph.repeats import once

    units = [{"text": "每个地域每个账号默认可创建 10 个 VPC，每个 VPC 最多 100 个子网。[1][2]", "block": "sentence"},
             {"text": "- 每个账号在每个地域默认最多创建 10 个 VPC，每个 VPC 最多 100 个子网。[2]", "block": "item"}]
    assert len(once(units)) == 1
    other = [{"text": "高性能云盘最高 5,000 IOPS。", "block": "sentence"},
             {"text": "SSD 云盘最高 26,000 IOPS。", "block": "sentence"}]
    assert len(once(other)) == 2  # other numbers: another fact
    close = [{"text": "每个 VPC 最多 100 个子网。", "block": "sentence"},
             {"text": "每个 VPC 最多 200 个路由条目。", "block": "sentence"}]
    assert len(once(close)) == 2
