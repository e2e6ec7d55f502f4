"""The part of the question the answer leaves out comes from another unit of the page it cites
(graph/asked_cover.py): the question's words beyond the page title and the answer, looked up among
the page's units. A built page, then the demo KB end to end (keyword index)."""

from __future__ import annotations

import pytest

from graph.asked_cover import by_rarity, covering_unit, echoes, left_out, page_unit_texts, reported, with_asked_part
from graph.relevance import QuestionTerms, question_terms
from graph.service import Copilot
from tests.graph.conftest import make_context, page_chunks

SOURCE = "docs/net/eip.md"
TITLE = "弹性公网 IP（EIP）绑定与带宽"


PAGE = page_chunks(SOURCE, TITLE, [
    (["现象"], "绑定后在实例里看不到公网 IP。"),
    (["绑定 EIP"], "在控制台点击 **绑定**，选择实例。\n\n"
                 "> 说明：实例网卡上只有内网 IP，看不到公网 IP。应用程序不要监听公网 IP，应该监听 `0.0.0.0` 或内网 IP。"),
    (["计费"], "入方向流量不收费。未绑定的 EIP 按小时收取闲置费。"),
])


def terms(text: str) -> QuestionTerms:
    return question_terms(text, "", None, [c["text"] for c in PAGE])


def test_the_words_left_out_are_those_beyond_the_title_and_the_answer():
    left = left_out(terms("eip 看不到公网 ip，程序监听该填啥"), TITLE, "实例网卡上只有内网 IP，看不到公网 IP。")
    assert "监听" in left.weights and "程序" in left.weights
    assert "公网" not in left.weights and "看不到" not in left.weights


def test_the_unit_naming_what_is_left_out_is_found_in_another_part_of_the_page():
    asked = terms("eip 看不到公网 ip，程序监听该填啥")
    shown = "实例网卡上只有内网 IP，看不到公网 IP。"
    cover = covering_unit(asked, left_out(asked, TITLE, shown), PAGE, "".join(shown.split()).lower())
    assert cover is not None and cover.path == ["绑定 EIP"]
    assert any("0.0.0.0" in u.text for u in cover.units)


def test_nothing_is_added_when_no_unit_names_what_is_left_out():
    asked = terms("eip 绑定以后多久生效")
    assert covering_unit(asked, left_out(asked, TITLE, ""), PAGE, "") is None


def test_a_unit_restating_the_question_is_not_the_asked_part():
    assert echoes("`ERROR 8141 (HY000): assertion failed`", "提交报 ERROR 8141 (HY000): assertion failed 咋办")
    assert echoes("`ERROR 8141 (HY000): assertion failed: key: 7480000000000000405f, assertion: NotExist, start_ts: 4`",
                  "事务提交报 ERROR 8141 (HY000): assertion failed: key: 7480..., as 咋回事")
    assert not echoes("应用程序不要监听公网 IP，应该监听 `0.0.0.0`。", "程序监听该填啥")


def test_the_added_unit_cites_its_own_section_and_keeps_to_the_room():
    units = [{"text": "实例网卡上只有内网 IP，看不到公网 IP。", "cites": [1], "block": "sentence", "group": 0}]
    passages = [{**PAGE[0], "text": PAGE[0]["text"]}]
    q = "eip 看不到公网 ip，程序监听该填啥"
    out, evidence = with_asked_part(q, units, passages, lambda text, texts: terms(text), lambda p: PAGE, 400)
    assert "0.0.0.0" in out[-1]["text"] and evidence[out[-1]["cites"][0] - 1]["heading_path"] == ["绑定 EIP"]
    assert out[0]["cites"] == [2]  # the section joined the evidence first: the answer's own citation moved on
    assert with_asked_part(q, units, passages, lambda text, texts: terms(text), lambda p: PAGE, 60)[0] == units


def body(result: dict) -> str:
    """The reply without its source cards (their excerpts quote the page around the cited line)."""
    return str(result["answer"]).split("**参考来源**")[0]


@pytest.fixture(scope="module")
def copilot(keyword_demo) -> Copilot:
    return Copilot(make_context(keyword_demo))


def test_demo_the_listening_address_follows_the_note_the_answer_quotes(copilot):
    answer = body(copilot.ask("eip 绑好了但机器里 ip addr 看不到公网 ip，程序监听地址该填啥", "cover-1", kb="demo").to_json())
    assert "只有内网 IP" in answer and "0.0.0.0" in answer


def test_demo_a_follow_up_gets_the_row_of_the_table_it_names(copilot):
    copilot.ask("cdn 上的文件更新了 用户看到的还是旧的怎么办", "cover-2", kb="demo")
    answer = body(copilot.ask("那 html 页面默认是缓存多长时间", "cover-2", kb="demo").to_json())
    assert "0（不缓存）" in answer


SSH_TITLE = "SSH 登录失败排查"
SSH_PAGE = page_chunks("docs/host/login.md", SSH_TITLE, [
    (["现象"], "常见报错有：\n\n- `connect to host 10.0.0.1 port 22: Connection timed out`\n"
              "- `connect to host 10.0.0.1 port 22: Connection refused`\n"
              "- 登录后马上断开：`Connection closed by 10.0.0.1 port 22`"),
    (["可能原因"], "| 报错 | 原因 |\n| --- | --- |\n| Connection timed out | 安全组未放行 22 端口 |\n"
                  "| Connection refused | 22 端口上没有 sshd 监听 |\n| Connection closed | sshd 配置错误或 hosts.deny 拦截 |"),
    (["排查步骤"], "用 ssh -v 连 22 端口，看停在哪一步。\n\n检查安全组是否放行 22 端口。\n\n在实例内确认 22 端口有进程监听。"),
])


def ssh_terms(text: str) -> QuestionTerms:
    return question_terms(text, "", None, [c["text"] for c in SSH_PAGE])


def test_a_word_many_units_name_weighs_less_than_the_pasted_status():
    left = ssh_terms("ssh 登上去就断开 Connection closed port 22 是哪里的问题")
    texts = page_unit_texts(SSH_PAGE)
    rare = by_rarity(left, texts)
    assert rare.weights["closed"] == left.weights["closed"]  # two units name it: it singles one out
    assert rare.weights["22"] < left.weights["22"] / 2  # most units name the port


def test_a_restated_symptom_line_is_followed_by_the_cause_row_of_the_status_pasted():
    q = "ssh 登上去就断开 Connection closed by port 22 是哪里的问题"
    units = [{"text": "登录后马上断开：`Connection closed by 10.0.0.1 port 22`", "cites": [1], "block": "item", "group": 0}]
    passages = [dict(SSH_PAGE[0])]
    assert reported(units, passages, q) == {0}
    out, evidence = with_asked_part(q, units, passages, lambda text, texts: ssh_terms(text), lambda p: SSH_PAGE, 400)
    assert [u["text"] for u in out[1:]] == ["Connection closed：sshd 配置错误或 hosts.deny 拦截"]
    assert evidence[out[1]["cites"][0] - 1]["heading_path"] == ["可能原因"]


def test_a_line_of_another_section_is_not_a_restated_symptom():
    units = [{"text": "Connection closed：sshd 配置错误或 hosts.deny 拦截", "cites": [1], "block": "row", "group": 0}]
    assert reported(units, [dict(SSH_PAGE[1])], "Connection closed by port 22 是哪里的问题") == set()
