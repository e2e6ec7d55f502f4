"""Every ask of a message gets its line (graph/ask_aspect.py, graph/aspect_lines.py): the command,
log, place, prevention or first fix an ask names, from the answer's page, when the composed answer
gave the page's lead only. Built pages, then the demo KB end to end."""

from __future__ import annotations

import itertools

import pytest

from graph.aspect_lines import with_asked_lines
from graph.ask_aspect import asked_line, asks_of
from graph.relevance import QuestionTerms, question_terms
from graph.service import Copilot
from tests.graph.conftest import make_context, page_chunks

SOURCE = "docs/app/service-down.md"
TITLE = "服务异常退出"


PAGE = page_chunks(SOURCE, TITLE, [
    (["现象"], "服务进程突然退出，客户端报连接被拒绝。"),
    (["排查步骤", "1. 确认进程是否被系统杀掉"], "查看内核日志：\n\n```bash\ndmesg -T | grep -i killed\n```"),
    (["排查步骤", "2. 查看服务自身的日志"], "服务日志在 `/var/log/app/app.log`：\n\n```bash\ntail -n 200 /var/log/app/app.log\n```"),
    (["解决方法", "紧急止血"], "- 先重启服务，使业务恢复：`systemctl restart app`。"),
    (["解决方法", "控制台操作"], "1. 进入控制台 **应用 → 实例**；\n2. 点击 **重启**。"),
    (["解决方法", "sscli 操作"], "```bash\nsscli app restart --id app-1\n```"),
    (["预防"], "- 为服务设置内存上限，避免拖垮整机。\n- 定期巡检日志中的告警。"),
])


def terms(text: str) -> QuestionTerms:
    return question_terms(text, "", None, [c["text"] for c in PAGE])


def line_for(question: str, **kw) -> list[str]:
    ask = asks_of(question)[-1]
    line = asked_line(ask, terms(ask.text), terms(ask.clause), TITLE, PAGE, **kw)
    return [] if line is None else [u.text for u in line.units]


def test_each_ask_of_a_message_gets_its_aspect():
    asks = asks_of("服务挂了 怀疑被杀了，怎么确认？眼下先怎么止血，以后怎么避免")
    assert [a.aspect for a in asks] == ["command", "fix_now", "prevent"]
    assert asks[0].clause == "怎么确认" and "怀疑被杀了" in asks[0].text  # the statement reads with its ask
    assert asks_of("这个服务重启要多久") == []  # a value ask is value_fact's


def test_a_command_ask_gets_the_command_under_the_heading_naming_it():
    assert any("dmesg -T" in t for t in line_for("服务进程没了，怎么确认是不是被系统杀了"))


def test_a_log_ask_gets_the_log_command():
    assert any("tail -n 200 /var/log/app/app.log" in t for t in line_for("服务起不来，日志在哪看"))


def test_a_first_fix_and_a_prevention_ask_get_their_sections():
    assert any("systemctl restart app" in t for t in line_for("服务挂了，眼下先怎么止血"))
    assert any("避免拖垮整机" in t for t in line_for("服务挂了，以后怎么避免"))


def test_an_ask_naming_only_the_command_line_gets_the_cli_beside_what_the_answer_gives():
    assert any("sscli app restart" in t for t in line_for("重启服务控制台会点，命令行怎么弄", near=["解决方法", "控制台操作"]))
    assert line_for("重启服务控制台会点，命令行怎么弄", named_only=True) == []  # names nothing: not for an empty answer


def test_the_missing_line_is_added_with_its_citation_and_a_shown_one_is_not():
    evidence = [{**PAGE[3], "meta": {}}]
    units = [{"text": "先重启服务，使业务恢复：`systemctl restart app`。", "cites": [1], "block": "item", "group": 1}]
    out, passages = with_asked_lines("服务挂了眼下先怎么止血，另外怎么确认是不是被系统杀了", units, evidence,
                                     lambda text, _texts: terms(text),
                                     lambda p: PAGE)
    assert out[0]["cites"] == [2] and passages[1] is evidence[0]  # the anchor stays last
    added = [u for u in out[1:]]
    assert any("dmesg -T" in u["text"] for u in added) and all(u["cites"] == [1] for u in added)
    assert passages[0]["heading_path"] == ["排查步骤", "1. 确认进程是否被系统杀掉"]
    assert sum("systemctl restart app" in u["text"] for u in out) == 1  # the first fix was shown: not again


@pytest.fixture(scope="module")
def copilot(demo_knowledge):
    return Copilot(make_context(demo_knowledge))


_sessions = itertools.count()


def body(copilot: Copilot, message: str) -> str:
    return copilot.ask(message, f"ask-aspect-{next(_sessions)}", kb="demo").to_json()["answer"].split("**参考来源**")[0]


def test_two_asks_on_the_demo_base_each_get_their_line(copilot):
    replica = body(copilot, "只读实例延迟越来越大，先用啥命令看落后了多少秒？以后怎么避免")
    assert "SHOW SLAVE STATUS" in replica, replica
    cdn = body(copilot, "cdn 刷新缓存 控制台我会点，命令行怎么弄")
    assert "sscli cdn purge-urls" in cdn, cdn


def test_a_second_ask_nothing_was_selected_for_gets_its_line_from_the_message_page(copilot):
    reply = body(copilot, "证书过期网站打不开了，怎么看服务器实际返回的证书啥时候到期？以后怎么防止再忘了续期")
    second = reply.split("**2.", 1)[1]
    assert "维护续期提醒联系人" in second, reply
