"""clarify: one short question back when a message points at something the conversation never named.

"那它的端口是多少？" as the first message: rather than guess (MySQL 3306? RDP 3389?), ask what "它"
is. The user's next message completes the question (graph.followup). English when the user
wrote English. The section's route is `clarify`; the UI shows it as a normal reply.
"""

from __future__ import annotations

from graph.cues import pointer_of
from graph.language import message_language
from graph.prompts import replies
from graph.schema import make_section
from graph.state import QuestionState


def clarify(state: QuestionState) -> dict:
    question = state["question"]
    text = replies(state.get("lang") or message_language(question))["clarify"].strip().format(ref=pointer_of(question))
    return {"sections": [make_section(state["index"], question, state["standalone"], "clarify", text)]}
