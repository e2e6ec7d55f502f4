"""Two `serve` replicas, one PostgreSQL and one Chroma server: one team, any replica serves any turn.

Through gradio_client, as scripts use the app: a conversation started on one replica is
continued on the other (history, follow-up rewrite), a runbook paused on one is resumed
on the other, an upload on one is searchable from the other, feedback and tool-call
audit from both land in the shared tables, two uploads into one base at the same
moment are serialized (both complete, nothing lost), a restarted replica carries on,
and a server that becomes unreachable (replica 1 reaches both through a proxy the test
can cut) is a Chinese message, not lost data: the same replica carries on once it is back
(the Chroma server gone, `/search` and `/chat` rank by keywords and say so).
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest

from tests.fixtures.proxy import CuttableProxy
from tests.storage.replicas import start_replicas


@pytest.fixture(scope="module")
def outage(module_storage):
    """Proxies between replica 1 and the servers: `outage["postgres"].cut()` makes PostgreSQL vanish for it."""
    pg = urlsplit(module_storage["postgres"]["url"])
    chroma = module_storage["chroma"]
    proxies = {"postgres": CuttableProxy(pg.hostname or "127.0.0.1", pg.port or 5432),
               "chroma": CuttableProxy(chroma["host"], chroma["port"])}
    yield proxies
    for proxy in proxies.values():
        proxy.stop()


def _through(storage, proxies):
    pg = urlsplit(storage["postgres"]["url"])
    url = storage["postgres"]["url"].replace(pg.netloc, pg.netloc.replace(f"{pg.hostname}:{pg.port}",
                                                                         f"127.0.0.1:{proxies['postgres'].port}"), 1)
    return {**storage, "postgres": {**storage["postgres"], "url": url, "connect_timeout_s": 3},
            "chroma": {**storage["chroma"], "host": "127.0.0.1", "port": proxies["chroma"].port}}


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, module_storage, outage):
    started = start_replicas(tmp_path_factory.mktemp("replicas"), module_storage,
                             storages=[_through(module_storage, outage), module_storage])
    yield started
    for replica in started:
        replica.stop()


def _client(replica):
    from gradio_client import Client

    return Client(replica.url, verbose=False, download_files=False, analytics_enabled=False)


def _final(client, message, session=""):
    return client.predict(message, session, api_name="/chat")


def test_conversation_continues_on_the_other_replica(replicas):
    a, b = (_client(r) for r in replicas)
    first = _final(a, "SSH 连接超时怎么办？")
    session = first["session_id"]
    assert first["result"]["route"] == "knowledge" and first["result"]["citations"]
    seen = b.predict(session, api_name="/history")
    assert [m["role"] for m in seen["messages"]] == ["user", "assistant"] and "0" not in seen["turns"]
    assert seen["turns"]["1"]["answer"] == first["result"]["answer"]  # the stored turn result is shared too
    follow = _final(b, "那 Windows 远程桌面呢？", session)
    assert follow["session_id"] == session and follow["result"]["route"] == "knowledge"
    assert len(a.predict(session, api_name="/history")["messages"]) == 4
    assert any(s["session_id"] == session for s in a.predict("", api_name="/history")["sessions"])


def test_paused_runbook_resumes_on_the_other_replica(replicas, module_storage):
    a, b = (_client(r) for r in replicas)
    started = _final(a, "网站打不开，负载均衡返回 502，帮我排查")
    session = started["session_id"]
    assert started["result"]["runbook"]["step"] == "ask_url"
    assert b.predict(session, api_name="/history")["waiting"] is not None
    step = _final(b, "http://127.0.0.1:1/", session)["result"]  # the reply to A's question, answered on B
    assert step["runbook"]["step"] == "ask_backend"
    skipped = a.predict(session, "skip", api_name="/resume")["result"]
    assert skipped["runbook"]["step"] == "ask_resolved"
    done = b.predict(session, "否", api_name="/resume")["result"]
    assert "交接摘要" in done["answer"]
    audit = _records(module_storage, "SELECT tool, session FROM audit WHERE session = %s", (session,))
    assert [r["tool"] for r in audit] == ["http_check"]  # run on B, recorded where A's reviewers see it too


def test_upload_on_one_replica_is_searchable_on_the_other(replicas, tmp_path):
    from gradio_client import handle_file

    a, b = (_client(r) for r in replicas)
    note = tmp_path / "helium.md"
    note.write_text("# 氦气阀门巡检\n\n机房氦气阀门每 90 天巡检一次，压力低于 0.3 MPa 时更换。", encoding="utf-8")
    report = a.predict([handle_file(str(note))], "team-notes", True, api_name="/ingest")
    assert report["published"] and report["added"] == 1
    hits = b.predict("氦气阀门多久巡检", "team-notes", 3, api_name="/search")
    assert hits[0]["source"] == "helium.md" and hits[0]["dense_score"] is not None


def test_feedback_from_both_replicas_is_shared(replicas, module_storage):
    clients = [_client(r) for r in replicas]
    for n, client in enumerate(clients):
        client.predict(f"shared-{n}", -1 if n else 1, "引用不对" if n else "", 1, "问题", {}, api_name="/feedback")
    rows = _records(module_storage, "SELECT session_id, rating FROM feedback WHERE session_id LIKE 'shared-%%' "
                    "ORDER BY session_id", ())
    assert [(r["session_id"], r["rating"]) for r in rows] == [("shared-0", 1), ("shared-1", -1)]


def test_concurrent_uploads_into_one_base_are_serialized(replicas, tmp_path):
    from gradio_client import handle_file

    files = []
    for i in range(2):
        path = tmp_path / f"runbook-{i}.md"
        path.write_text(f"# 值班手册 {i}\n\n" + "\n\n".join(f"第 {j} 条：检查项 {i}-{j} 的处理方法。" for j in range(60)),
                        encoding="utf-8")
        files.append(path)
    reports: list[dict] = []

    def upload(replica, path):
        reports.append(_client(replica).predict([handle_file(str(path))], "oncall", True, api_name="/ingest"))

    threads = [threading.Thread(target=upload, args=(r, f)) for r, f in zip(replicas, files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert sorted(r["added"] for r in reports) == [1, 1] and not any(r["errors"] for r in reports)
    for replica in replicas:
        hits = _client(replica).predict("检查项 1-7 的处理方法", "oncall", 3, api_name="/search")
        assert {h["source"] for h in hits} >= {"runbook-1.md"}


def _records(storage, sql, params):
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(storage["postgres"]["url"], row_factory=dict_row) as conn:
        return conn.execute(sql, params).fetchall()


def test_each_replica_reports_server_storage(replicas):
    for replica in replicas:
        health = httpx.get(replica.url + "healthz", timeout=10).json()
        assert health["status"] == "ok" and health["storage"] == "server"


def test_a_restarted_replica_carries_on(replicas):
    a, b = (_client(r) for r in replicas)
    started = _final(b, "网站打不开，负载均衡返回 502，帮我排查")
    session = started["session_id"]
    assert started["result"]["runbook"]["step"] == "ask_url"
    replicas[1].restart()  # a redeploy: nothing of the conversation lived in that process
    b = _client(replicas[1])
    assert b.predict(session, api_name="/history")["waiting"] is not None
    step = _final(b, "http://127.0.0.1:1/", session)["result"]
    assert step["runbook"]["step"] == "ask_backend"
    assert len(a.predict(session, api_name="/history")["messages"]) == 4


def test_an_unreachable_server_is_a_chinese_message_and_nothing_is_lost(replicas, outage, tmp_path):
    from gradio_client import handle_file
    from gradio_client.exceptions import AppError

    a, b = (_client(r) for r in replicas)
    first = _final(a, "SSH 连接超时怎么办？")
    session = first["session_id"]
    outage["postgres"].cut()
    try:
        with pytest.raises(AppError, match="PostgreSQL.*(连接|无响应)") as failed:
            _final(a, "那 Windows 远程桌面呢？", session)
        assert "storage.postgres.url" in str(failed.value)
        assert len(b.predict(session, api_name="/history")["messages"]) == 2  # the other replica is unaffected
    finally:
        outage["postgres"].restore()
    follow = _final(a, "那 Windows 远程桌面呢？", session)  # the same process, once the server is back
    assert follow["result"]["route"] == "knowledge"
    assert len(b.predict(session, api_name="/history")["messages"]) == 4

    note = tmp_path / "argon.md"
    note.write_text("# 氩气钢瓶检测\n\n实验室氩气钢瓶每 3 年送检一次，瓶阀漏气时立即停用。", encoding="utf-8")
    outage["chroma"].cut()
    try:
        saved = a.predict([handle_file(str(note))], "outage-notes", True, api_name="/ingest")  # not an error
        assert saved["added"] == 1 and "向量会在服务恢复后" in saved["notices"][0]
        hits = a.predict("SSH 连接超时", "demo", 3, api_name="/search")  # a base with vectors: keywords only
        assert hits and all(h["dense_score"] is None and h["vector_search"] == "unavailable" for h in hits)
        turn = _final(a, "SSH 连接超时怎么办？")["result"]  # a chat turn answers from keywords and says so
        assert turn["route"] == "knowledge" and turn["citations"] and "向量检索服务" in turn["answer"]
        assert turn["notices"] and "仅按关键词检索" in turn["notices"][0]
        health = httpx.get(replicas[0].url + "healthz", timeout=30)  # still serving: not taken out of rotation
        assert health.status_code == 200 and health.json()["vector_search"] == "unavailable"
        assert a.predict("氩气钢瓶多久送检", "outage-notes", 3, api_name="/search")[0]["source"] == "argon.md"
        hits = b.predict("氩气钢瓶多久送检", "outage-notes", 3, api_name="/search")
        assert hits[0]["source"] == "argon.md" and hits[0]["dense_score"] is None  # saved, vectors pending
    finally:
        outage["chroma"].restore()
    for _ in range(40):  # hybrid again: while it was down, the server is asked again at most every 5 s
        hits = a.predict("SSH 连接超时", "demo", 3, api_name="/search")
        if "vector_search" not in hits[0]:
            break
        time.sleep(0.5)
    assert "vector_search" not in hits[0] and hits[0]["dense_score"] is not None
    again = a.predict([handle_file(str(note))], "outage-notes", True, api_name="/ingest")
    assert again["unchanged"] == 1 and not again["errors"]
    hits = a.predict("氩气钢瓶多久送检", "outage-notes", 3, api_name="/search")
    assert hits[0]["source"] == "argon.md" and hits[0]["dense_score"] is not None  # the vectors were completed
