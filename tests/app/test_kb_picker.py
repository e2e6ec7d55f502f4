"""Several knowledge bases in chat: /chat and /search take one base or several, the chat tab's
picker is remembered per conversation, citations name their base and the guard's domain is
the union of the chosen bases (gradio_client against the real app, extractive mode)."""

from __future__ import annotations

import pytest
from gradio_client.exceptions import AppError

from tests.app.ui_server import client, launch_small_app

HELIUM = "# 氦气阀门巡检\n\n机房氦气阀门每 90 天巡检一次，阀门压力低于 0.3 MPa 时需要更换密封圈。"
QUESTION = "机房氦气阀门多久巡检一次？"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = launch_small_app(tmp_path_factory.mktemp("kb-picker"), with_auth=False)
    notes = tmp_path_factory.mktemp("notes")
    (notes / "helium.md").write_text(HELIUM, encoding="utf-8")
    running.copilot.context.knowledge.ingest([notes], kb="facility")
    yield running
    running.close()


@pytest.fixture(scope="module")
def api(app):
    return client(app.url)


def _final(api, message, session="", kb=""):
    return api.predict(message, session, kb, api_name="/chat")


def test_the_guard_domain_is_the_union_of_the_chosen_bases(api):
    alone = _final(api, QUESTION, kb="demo")["result"]
    assert alone["refused"]  # a facility question is outside the demo base
    both = _final(api, QUESTION, kb=["demo", "facility"])
    result = both["result"]
    assert not result["refused"] and result["route"] == "knowledge"
    assert [(c["source"], c["kb"]) for c in result["citations"]][:1] == [("helium.md", "facility")]
    assert "〔facility〕" in result["answer"]  # several bases: the source list names each one's base
    history = api.predict(both["session_id"], api_name="/history")
    assert history["kbs"] == ["demo", "facility"]


def test_one_base_answers_as_before(api):
    result = _final(api, "SSH 连接超时怎么办？", kb="demo")["result"]
    default = _final(api, "SSH 连接超时怎么办？")["result"]
    assert result["answer"] == default["answer"] and "〔" not in result["answer"]
    assert {c["kb"] for c in result["citations"]} == {"demo"}


def test_search_takes_a_list_or_comma_separated_names(api):
    hits = api.predict("氦气阀门 SSH 端口", "demo,facility", 6, api_name="/search")
    assert {h["kb"] for h in hits} == {"demo", "facility"}
    same = api.predict("氦气阀门 SSH 端口", ["demo", "facility"], 6, api_name="/search")
    assert [h["chunk_id"] for h in same] == [h["chunk_id"] for h in hits]
    single = api.predict("SSH 端口", "demo", 3, api_name="/search")
    assert "kb" not in single[0]


def test_an_unknown_base_is_refused_in_chinese(api):
    with pytest.raises(AppError, match="知识库“nope”不存在"):
        _final(api, "SSH 连接超时怎么办？", kb="demo,nope")


def test_the_picker_is_remembered_per_conversation(app):
    from app.ui.chat_handlers import ChatHandlers

    handlers = ChatHandlers(app.blocks.services)
    request = type("Request", (), {"username": None})()
    assert handlers.kb_picker()["value"] == ["demo"] and set(handlers.kb_picker()["choices"]) == {"demo", "facility"}
    frames = list(handlers.respond(QUESTION, [], None, {}, ["demo", "facility"], request))
    session = frames[-1][9]
    assert "helium.md" in frames[-1][3]  # the sources panel
    picker = handlers.open_conversation(session, request)[-1]
    assert picker["value"] == ["demo", "facility"]
    handlers.remember_kbs(["facility"], session, request)
    assert handlers.open_conversation(session, request)[-1]["value"] == ["facility"]
    assert handlers.new_conversation(request)[-1]["value"] == ["demo"]


def test_a_runbook_of_a_chosen_base_starts_and_resumes_with_several_bases(api):
    started = _final(api, "网站打不开，负载均衡返回 502，帮我排查", kb=["facility", "demo"])
    result = started["result"]
    assert result["route"] == "runbook" and result["runbook"]["step"] == "ask_url"  # a demo runbook, facility first
    step = _final(api, "http://127.0.0.1:1/", started["session_id"], kb=["facility", "demo"])["result"]
    assert step["runbook"]["step"] == "ask_backend"
