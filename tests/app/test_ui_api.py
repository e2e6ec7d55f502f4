"""The web app end to end through gradio_client: one server (extractive mode, small demo KB, two
logins) launched in-process on a free port; streaming, isolation, runbook, upload, search, errors.
"""

from __future__ import annotations

import re
import zipfile

import httpx
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from tests.app.ui_server import client, launch_small_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    running = launch_small_app(tmp_path_factory.mktemp("ui-api"))
    yield running
    running.close()


@pytest.fixture(scope="module")
def alice(app):
    return client(app.url, "alice")


@pytest.fixture(scope="module")
def bob(app):
    return client(app.url, "bob")


def chat(c, message: str, session: str = "") -> tuple[list[dict], dict]:
    job = c.submit(message, session, api_name="/chat")
    job.result()
    events = job.outputs()
    return events, events[-1]


def test_named_endpoints_are_listed(alice):
    names = set(alice.view_api(return_format="dict", print_info=False)["named_endpoints"])
    assert {"/chat", "/resume", "/ingest", "/search", "/feedback", "/history"} <= names


def test_chat_streams_progress_then_tokens_then_cited_answer(alice):
    events, final = chat(alice, "SSH 连接超时怎么办？")
    stages = [e["stage"] for e in events if e["type"] == "progress"]
    assert stages[0] == "understand" and "retrieve" in stages and "verify" in stages
    assert [e["label"] for e in events if e["type"] == "progress"][0] == "理解问题"
    tokens = [e for e in events if e["type"] == "token"]
    assert len(tokens) > 1, "the answer should arrive in several pieces"
    assert events.index(tokens[0]) > events.index(next(e for e in events if e["type"] == "progress"))
    result = final["result"]
    assert final["type"] == "final" and final["session_id"]
    assert not result["refused"] and result["citations"]
    assert "[1]" in result["answer"]
    assert any(c["source"].startswith(("docs/scs/", "faq/")) for c in result["citations"])
    assert "".join(t["text"] for t in tokens).strip() == result["answer"].strip()


def test_off_domain_message_is_refused(alice):
    _, final = chat(alice, "帮我写一首关于春天的七言绝句")
    assert final["result"]["refused"] is True


def test_sessions_of_two_users_are_isolated(alice, bob):
    _, final = chat(alice, "MySQL 报 Too many connections 怎么办？", "shared-id")
    assert final["session_id"] == "shared-id"
    mine = alice.predict("shared-id", api_name="/history")
    assert [m["role"] for m in mine["messages"]][:2] == ["user", "assistant"]
    theirs = bob.predict("shared-id", api_name="/history")
    assert theirs["messages"] == []
    assert "shared-id" in {s["session_id"] for s in alice.predict("", api_name="/history")["sessions"]}
    assert "shared-id" not in {s["session_id"] for s in bob.predict("", api_name="/history")["sessions"]}


def test_runbook_waits_for_the_agent_and_resumes(alice):
    _, final = chat(alice, "帮我排查一下 SSH 连不上云服务器 127.0.0.1", "rb-1")
    runbook = final["result"]["runbook"]
    assert final["result"]["route"] == "runbook" and runbook["waiting"]["kind"] == "ask"
    assert "Linux" in runbook["waiting"]["options"]
    step = alice.predict("rb-1", "Linux", api_name="/resume")["result"]["runbook"]
    tools = [o for o in step["outputs"] if o["kind"] == "tool"]
    assert tools and tools[0]["tool_result"]["invocation"]["tool"] == "tcp_port_check"
    left = alice.predict("rb-1", "leave", api_name="/resume")["result"]["runbook"]
    assert left["status"] == "left"
    assert [m["role"] for m in alice.predict("rb-1", api_name="/history")["messages"]].count("user") == 3


def test_resume_without_waiting_runbook_is_a_clear_error(alice):
    with pytest.raises(AppError, match="没有等待回复"):
        alice.predict("no-such-session", "approve", api_name="/resume")


def test_upload_then_search_finds_the_new_document(alice, tmp_path):
    doc = tmp_path / "氦气阀门 手册?.md"
    doc.write_text("# 氦气阀门巡检\n\n氦气阀门每季度巡检一次，巡检编号前缀为 HV-9。\n", encoding="utf-8")
    report = alice.predict([handle_file(str(doc))], "team-notes", True, api_name="/ingest")
    assert report["published"] and report["added"] == 1 and report["kb"] == "team-notes"
    assert report["files"][0]["status"] == "added"
    source = report["files"][0]["source"]
    assert "?" not in source and source.endswith(".md")
    hits = alice.predict("氦气阀门多久巡检", "team-notes", 3, api_name="/search")
    assert hits[0]["source"] == source
    assert hits[0]["lexical_score"] is not None and "dense_score" in hits[0]
    again = alice.predict([handle_file(str(doc))], "team-notes", True, api_name="/ingest")
    assert again["unchanged"] == 1 and again["flags"] == []


def test_upload_flags_contradicting_numbers_before_publishing(alice, tmp_path):
    hit = alice.predict("max_connections 上限 1核2GB", "demo", 1, api_name="/search")[0]
    changed = hit["text"].replace("1000", "1500", 1)
    assert changed != hit["text"], "expected a numeric fact in the demo chunk"
    doc = tmp_path / "conn-limits.md"
    doc.write_text(f"# 连接数上限\n\n{changed}\n", encoding="utf-8")
    report = alice.predict([handle_file(str(doc))], "demo", False, api_name="/ingest")
    assert report["published"] is False
    conflicts = [f for f in report["flags"] if f["kind"] == "conflict"]
    assert conflicts and any("1500" in new for _, new in conflicts[0]["changes"])
    names = [h["source"] for h in alice.predict("max_connections 上限", "demo", 8, api_name="/search")]
    assert "conn-limits.md" not in names, "an unpublished upload must not reach the knowledge base"


def test_zip_upload_reports_each_file(alice, tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/ok.md", "# 甲\n\n钛合金支架的保修期为三年。\n")
        zf.writestr("a/tool.exe", b"MZ\x00\x01")
        zf.writestr("../evil.md", "# x\n\n越界\n")
    report = alice.predict([handle_file(str(archive))], "zip-kb", True, api_name="/ingest")
    status = {f["source"]: f["status"] for f in report["files"]}
    assert status["a/ok.md"] == "added"
    assert status["a/tool.exe"] == "failed"
    assert any("evil" in s and v == "failed" for s, v in status.items())


def test_every_over_long_text_gets_the_one_notice(alice, app):
    """/search (the knowledge tab's test search) and /resume (a runbook reply) say what /chat, the CLI and
    the graph say (graph.prompts.too_long), not a wording of their own."""
    from app.message_input import too_long

    limit = app.settings.graph.max_message_chars
    text = "排" * (limit + 1)
    with pytest.raises(AppError, match=re.escape(too_long(text, limit))):
        alice.predict(text, "demo", 5, api_name="/search")
    with pytest.raises(AppError, match=re.escape(too_long(text, limit))):
        alice.predict("session-1", text, api_name="/resume")


def test_bad_inputs_are_friendly_errors(alice, app, tmp_path):
    with pytest.raises(AppError, match="请输入"):
        alice.predict("   ", "", api_name="/chat")
    limit = app.settings.graph.max_message_chars
    with pytest.raises(AppError, match="消息太长"):
        alice.predict("排" * (limit + 1), "", api_name="/chat")
    bad = tmp_path / "virus.exe"
    bad.write_bytes(b"MZ" + b"\x00" * 64)
    with pytest.raises(AppError, match="不支持的文件类型"):
        alice.predict([handle_file(str(bad))], "demo", True, api_name="/ingest")
    big = tmp_path / "big.md"
    big.write_text("# 大\n\n" + "很大的文件。" * 200_000, encoding="utf-8")
    with pytest.raises((AppError, ValueError), match="太大|maximum file size"):  # the client checks first
        alice.predict([handle_file(str(big))], "demo", True, api_name="/ingest")
    with pytest.raises(AppError, match="知识库不存在"):
        alice.predict("安全组", "no-such-kb", 3, api_name="/search")


def test_feedback_is_stored_with_the_turn(alice, app):
    _, final = chat(alice, "安全组规则不生效怎么办？", "fb-1")
    stored = alice.predict("fb-1", -1, "没有提到优先级", 1, "安全组规则不生效怎么办？", final["result"],
                           api_name="/feedback")
    assert stored["stored"]
    rows = app.blocks.services.feedback.list(user="alice")
    row = next(r for r in rows if r["session_id"] == "fb-1")
    assert row["rating"] == -1 and row["reason"] == "没有提到优先级"
    assert row["turn_json"]["citations"] and row["turn_json"]["standalone"]
    with pytest.raises(AppError, match="rating"):
        alice.predict("fb-1", 5, "", 1, "", None, api_name="/feedback")


def test_login_is_required_and_healthz_is_open(app):
    assert httpx.get(app.url + "gradio_api/info", timeout=10).status_code in (401, 403)
    health = httpx.get(app.url + "healthz", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["llm"] == "extractive" and health.json()["chunks"] > 0


def test_conversations_survive_a_restart(app, alice, tmp_path_factory):
    _, final = chat(alice, "云服务器 CPU 使用率 100% 怎么排查？", "restart-1")
    assert final["result"]["answer"]
    _, paused = chat(alice, "帮我排查一下 SSH 连不上云服务器 127.0.0.1", "restart-rb")
    assert paused["result"]["runbook"]["waiting"]["kind"] == "ask"
    from tests.app.ui_server import launch_small_app as relaunch

    root = app.settings.data_dir.parent
    second = relaunch(root, ingest=False)
    try:
        after = client(second.url, "alice")
        again = after.predict("restart-1", api_name="/history")
        assert [m["role"] for m in again["messages"]] == ["user", "assistant"]
        assert again["messages"][0]["content"] == "云服务器 CPU 使用率 100% 怎么排查？"
        # each answer's full result is kept beside the conversation, keyed by its position
        assert list(again["turns"]) == ["1"] and again["turns"]["1"]["citations"] == final["result"]["citations"]
        waiting = after.predict("restart-rb", api_name="/history")["waiting"]
        assert waiting and "Linux" in waiting["options"], "a paused runbook survives the restart"
        step = after.predict("restart-rb", "Linux", api_name="/resume")["result"]["runbook"]
        assert any(o["kind"] == "tool" for o in step["outputs"])
        turns = after.predict("restart-rb", api_name="/history")["turns"]
        assert list(turns) == ["1", "3"] and turns["3"]["runbook"]["outputs"] == step["outputs"]
    finally:
        second.close()



def test_readme_example_runs(app, tmp_path, monkeypatch, capsys):
    """The gradio_client example in docs/readme-app.md runs as written (URL, login and host swapped in)."""
    import re
    from pathlib import Path

    readme = Path(__file__).resolve().parents[2] / "docs" / "readme-app.md"
    code = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)[0]
    code = code.replace('Client("http://127.0.0.1:7860/", ', f'Client("{app.url}", auth=("alice", "alice-password"), ')
    code = code.replace("203.0.113.10", "127.0.0.1")  # loopback: the tools refuse it, nothing leaves the machine
    code = code.replace('"team-notes"', '"readme-notes"')  # not the base another test filled
    assert app.url in code
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(readme), "exec"), {})
    out = capsys.readouterr().out
    assert "… 检索" in out and "[1]" in out and "notes.md" in out


def test_bad_input_sweep_each_gets_a_chinese_reason_and_the_good_files_still_land(alice, tmp_path):
    """A 200 KB message; a broken .docx and .pdf and an invalid runbook-like YAML uploaded with a good page."""
    with pytest.raises(AppError, match="消息太长"):
        alice.predict("磁盘满了怎么办。" * 25_000, "", api_name="/chat")  # 200,000 characters
    files = {"broken.docx": b"PK\x03\x04 not a zip", "broken.pdf": b"%PDF-1.4 garbage",
             "runbook.yaml": "id: disk\nsteps: [unclosed\n".encode(), "good.md": "# 钛合金支架\n\n保修期为三年。\n".encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = alice.predict([handle_file(str(tmp_path / n)) for n in files], "sweep-kb", True, api_name="/ingest")
    by_name = {f["source"]: f for f in report["files"]}
    assert by_name["good.md"]["status"] == "added", report
    for name in ("broken.docx", "broken.pdf", "runbook.yaml"):
        error = str(by_name[name].get("error") or "")
        assert by_name[name]["status"] == "failed" and re.search(r"[\u4e00-\u9fff]", error), (name, error)
    assert any(h["source"] == "good.md" for h in alice.predict("钛合金支架 保修", "sweep-kb", 3, api_name="/search"))
