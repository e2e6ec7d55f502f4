"""A source's excerpt starts at the line the answer cites (issue 12): a one-step answer's card
shows that step, not the passage's opening."""

from __future__ import annotations

from app.ui.sources import source_card
from graph.passages import focus_of
from graph.service import Copilot
from tests.graph.conftest import make_context

PASSAGE = ("1. 登录控制台，进入实例列表，确认实例处于运行中状态，记下实例 ID 和地域，然后继续下面的操作步骤。\n"
           "2. 在实例详情页点击更多操作，选择重置密码，按提示输入新的密码并确认提交，提交后等待实例重启完成。\n"
           "3. 处理 **CredSSP** 错误：在本地电脑上运行 `gpedit.msc` 打开组策略。")


def test_the_focus_is_the_start_of_the_cited_line():
    at = focus_of(PASSAGE, ["1. 处理 CredSSP 错误：在本地电脑上运行 `gpedit.msc` 打开组策略。[1]"])
    assert PASSAGE[at:].startswith("3. 处理")
    assert focus_of(PASSAGE, ["登录控制台，进入实例列表"]) == 0  # near the start: shown from the start
    assert focus_of(PASSAGE, ["一句不在这段里的话，完全找不到"]) == 0


def test_the_card_starts_at_the_focus():
    at = focus_of(PASSAGE, ["处理 CredSSP 错误：在本地电脑上运行"])
    card = source_card({"n": 1, "title": "RDP", "source": "docs/rdp.md", "text": PASSAGE, "focus": at}, [])
    assert "…3. 处理" in card and "登录控制台" not in card


def test_a_one_step_answer_cites_its_step_on_the_demo_base(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    result = copilot.ask("windows 远程桌面报 CredSSP 加密数据库修正 咋办", "credssp")
    cited = next(c for c in result.citations if "CredSSP" in (c.get("text") or ""))
    assert cited["focus"] > 0 and "CredSSP" in cited["text"][cited["focus"]:][:40], cited
    assert "CredSSP" in result.answer.split("参考来源")[-1]
