"""Answers built from a document with active HTML carry none of it: chat API (answer, sections,
citations, streamed tokens), resume and history. The browser side is tests/browser/test_hostile_documents.py."""

from __future__ import annotations

import pytest

from tests.app.ui_server import client
from tests.hardening.hostile import ACTIVE, QUESTION, launch_hostile_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = launch_hostile_app(tmp_path_factory.mktemp("hostile-api"))
    yield running
    running.close()


def carries_active_html(value) -> list[str]:
    text = str(value)
    return [a for a in ACTIVE if a in text]


def test_the_raw_answer_would_have_carried_the_payloads(app):
    raw = app.copilot.ask(QUESTION, "raw-check").to_json()  # the graph itself is unchanged: the app boundary cleans
    assert "<form" in raw["answer"] and "<script" in raw["answer"]


def test_chat_api_answer_sections_citations_and_tokens_are_sanitized(app):
    alice = client(app.url, "alice")
    job = alice.submit(QUESTION, "", api_name="/chat")
    job.result()
    events = job.outputs()
    final = events[-1]
    result = final["result"]
    assert "刷新登录门户页面" in result["answer"] and "门户手册" in result["answer"]  # the text stays
    assert not carries_active_html(result["answer"]), result["answer"]
    assert not carries_active_html(result["sections"]) and not carries_active_html(result["citations"])
    tokens = "".join(e["text"] for e in events if e["type"] == "token")
    assert tokens and not carries_active_html(tokens)
    history = alice.predict(final["session_id"], api_name="/history")
    assert history["messages"] and not carries_active_html(history["messages"])
