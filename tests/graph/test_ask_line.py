"""An ask of a two-ask message wanting a time or a count its answer does not give gets the found pages'
line giving it (graph/ask_line.py): a built page, then the split of an ask with no mark before the
next (graph/questions.py)."""

from __future__ import annotations

from graph.ask_line import value_kinds, with_ask_line
from graph.questions import domain_terms, split_message
from graph.relevance import question_terms
from tests.graph.conftest import page_chunks

SOURCE = "docs/scs/custom-image.md"
PAGE = page_chunks(SOURCE, "创建与共享自定义镜像", [
    (["基本概念"], "| 镜像类型 | 来源 |\n| --- | --- |\n| 自定义镜像 | 你基于实例或系统盘快照创建 |"),
    (["创建自定义镜像"], "1. 选择实例，点击 **创建自定义镜像**。\n"
                      "2. 提交后在镜像列表中查看进度。制作时间与磁盘已用容量有关，一般 10-30 分钟。"),
    (["删除镜像"], "删除前确认没有伸缩组仍在引用该镜像，删除约 1 分钟内完成。"),
])


def _terms(text: str, texts: list[str]):
    return question_terms(text, "", None, [c["text"] for c in PAGE])


def _answer(text: str, at: int) -> tuple[list[dict], list[dict]]:
    return [{"text": text, "cites": [1], "block": "row", "group": 0}], [dict(PAGE[at])]


def test_an_ask_for_a_time_its_answer_lacks_gets_the_page_line_giving_it():
    units, passages = _answer("自定义镜像：来源 你基于实例或系统盘快照创建", 0)
    out, evidence = with_ask_line("自定义镜像 做一个大概要多久", units, passages, [], _terms, lambda p: PAGE)
    assert "10-30 分钟" in out[0]["text"]
    assert evidence[out[0]["cites"][0] - 1]["heading_path"] == ["创建自定义镜像"]
    assert any("来源" in u["text"] for u in out[1:])  # the answer's own line stays, after it


def test_an_answer_giving_the_time_of_the_asked_thing_is_left_alone():
    units, passages = _answer("制作时间与磁盘已用容量有关，一般 10-30 分钟。", 1)
    out, _ = with_ask_line("自定义镜像 做一个大概要多久", units, passages, [], _terms, lambda p: PAGE)
    assert out == units


def test_a_time_of_something_else_gives_way_to_the_line_about_the_asked_thing():
    units, passages = _answer("删除前确认没有伸缩组仍在引用该镜像，删除约 1 分钟内完成。", 2)
    out, _ = with_ask_line("自定义镜像 创建要多久", units, passages, [], _terms, lambda p: PAGE)
    assert "10-30 分钟" in out[0]["text"] and not any("删除" in u["text"] for u in out)


def test_an_ask_wanting_no_value_is_left_alone():
    assert value_kinds("自定义镜像能导出到本地吗") == []
    units, passages = _answer("自定义镜像：来源 你基于实例或系统盘快照创建", 0)
    out, _ = with_ask_line("自定义镜像能导出到本地吗", units, passages, [], _terms, lambda p: PAGE)
    assert out == units


TERMS = domain_terms({"eip", "网卡", "vpc", "子网"})


def test_a_count_ask_ending_with_an_ascii_name_ends_before_the_next_chinese_clause():
    assert split_message("一块网卡能同时绑几个 eip 绑上以后系统里能看到公网地址吗", TERMS) == [
        "一块网卡能同时绑几个 eip", "eip 绑上以后系统里能看到公网地址吗"]  # timed by the first ask's verb: its counted thing
    assert split_message("一个地域最多能建几个 vpc 每个 vpc 能建多少个子网", TERMS) == [
        "一个地域最多能建几个 vpc", "每个 vpc 能建多少个子网"]
    assert split_message("cdn 回源 host 怎么填", TERMS) == ["cdn 回源 host 怎么填"]
    assert split_message("要买几个 eip 才够用", TERMS) == ["要买几个 eip 才够用"]  # what follows asks nothing


DISK = page_chunks("docs/disk/expand-disk.md", "扩容云盘", [
    (["扩容云盘"], "系统盘和数据盘都支持在线扩容：在控制台扩容时无需关机、无需重启实例。"),
    (["常见问题"], "系统盘和数据盘一样支持在线扩容，按上面的步骤执行 `growpart /dev/vda 1`。"),
])


def _disk_terms(text: str, texts: list[str]):
    return question_terms(text, "", None, [c["text"] for c in DISK])


def test_a_yes_or_no_ask_its_answer_does_not_judge_gets_the_line_judging_the_action():
    units = [{"text": DISK[1]["text"], "cites": [1], "block": "sentence", "group": 0}]
    out, _ = with_ask_line("系统盘扩容的时候要不要关机", units, [dict(DISK[1])], [], _disk_terms, lambda p: DISK)
    assert "无需关机" in out[0]["text"] and len(out) == 2


def test_an_answer_judging_the_action_in_its_own_words_stands():
    units = [{"text": "扩容系统盘不需要关机。", "cites": [1], "block": "sentence", "group": 0}]
    out, _ = with_ask_line("系统盘扩容的时候要不要关机", units, [dict(DISK[1])], [], _disk_terms, lambda p: DISK)
    assert out == units


def test_a_later_ask_naming_things_only_after_its_modal_takes_the_first_asks_subject():
    terms = domain_terms({"envoy", "访问日志", "json"})
    later = split_message("envoy 的访问日志怎么打开 输出能换成 json 格式吗", terms)[1]
    assert "envoy" in later and later.endswith("输出能换成 json 格式吗")
    assert split_message("envoy 的访问日志怎么打开，json 格式能改吗", terms)[1] == "json 格式能改吗"  # names its own


EIP = page_chunks("docs/vpc/eip.md", "弹性公网 IP 绑定与带宽", [
    (["绑定 EIP"], "说明：EIP 通过平台的地址转换实现，实例操作系统的网卡上只有内网 IP，看不到公网 IP。\n\n"
                 "应用程序不要绑定监听公网 IP，应该监听 `0.0.0.0` 或内网 IP。"),
])


def test_a_verb_asked_with_its_result_is_judged_by_its_potential_form():
    def eip_terms(text: str, texts: list[str]):
        return question_terms(text, "", None, [c["text"] for c in EIP])

    units = [{"text": "应用程序不要绑定监听公网 IP，应该监听 `0.0.0.0` 或内网 IP。", "cites": [1], "block": "sentence", "group": 0}]
    out, _ = with_ask_line("eip 绑上以后系统里能看到公网地址吗", units, [dict(EIP[0])], [], eip_terms, lambda p: EIP)
    assert "看不到公网 IP" in out[0]["text"] and len(out) == 2
