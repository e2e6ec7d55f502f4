"""Follow-up turns and multi-question messages, as scripted conversations through the graph
(issue #12 item 3): chained openers, the subject of the previous answer, conditions with an ask."""

from __future__ import annotations

from graph.service import Copilot


def test_chained_openers_are_all_dropped(copilot: Copilot) -> None:
    copilot.ask("SSH 连不上怎么办", "s1")
    found = copilot.ask("对了顺便问下 安全组规则多久生效", "s1")
    assert found.decision == "new_topic" and found.standalone == ["安全组规则多久生效"]
    copilot.ask("SSH 连不上怎么办", "s2")
    found = copilot.ask("顺便问一句，CPU 使用率 100% 怎么排查", "s2")
    assert found.decision == "new_topic" and found.standalone == ["CPU 使用率 100% 怎么排查"]
