"""A page's 常见问题 section answers with the entry the question asks about, told by what is asked beyond
the page's title (graph/section_answer._from_section): the title's words are in many entries' question lines."""

from __future__ import annotations

from knowledge.types import Passage
from tests.graph.fakes import extractive_answer

TITLE = "使用远程终端登录云服务器"
FAQ_TEXT = (
    "**输入密码一直提示 Login incorrect？**\n终端里输入密码时不会显示任何字符，属于正常现象。请确认大小写锁定键的状态。\n\n"
    "**画面一直是黑屏？**\n先按回车或空格键。如果仍然黑屏，可以在控制台执行强制重启后再连接。\n\n"
    "**远程终端可以登录，但 SSH 不行？**\n说明机器本身在运行，问题出在网络层或 sshd。"
)


def _page() -> list[Passage]:
    return [Passage(chunk_id="term-faq", source="docs/scs/terminal-login.md", title=TITLE, heading_path=["常见问题"],
                    text=FAQ_TEXT, kind="doc", kb="demo", meta={})]


def test_the_entry_naming_the_symptom_answers_not_the_one_naming_the_title() -> None:
    answer = extractive_answer(_page(), "远程终端登录进去黑屏 按键没反应", "symptom")
    assert "先按回车或空格键" in answer
    assert "网络层或 sshd" not in answer


def test_an_entry_asked_by_the_title_words_still_answers() -> None:
    answer = extractive_answer(_page(), "远程终端可以登录 ssh 却不行", "symptom")
    assert "网络层或 sshd" in answer
    assert "先按回车或空格键" not in answer
