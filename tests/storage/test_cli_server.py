"""The command line in server mode: knowledge commands, runbook audit, feedback export and config show
all use PostgreSQL + the Chroma server named by the settings (env overrides here)."""

from __future__ import annotations

import json

import pytest
import yaml

from app.cli import main
from tests.knowledge.conftest import write
from tests.tools.servers import closed_port


@pytest.fixture
def server_env(monkeypatch, server_storage):
    url = server_storage["postgres"]["url"].replace("postgresql://copilot@", "postgresql://copilot:s3cret@")
    values = {"STORAGE__MODE": "server", "STORAGE__POSTGRES__URL": url,  # trust auth: the password is ignored
              "STORAGE__CHROMA__HOST": server_storage["chroma"]["host"],
              "STORAGE__CHROMA__PORT": str(server_storage["chroma"]["port"]),
              "STORAGE__CHROMA__DATABASE": server_storage["chroma"]["database"],
              "MODELS__EMBEDDER__BACKEND": "hash", "KNOWLEDGE__DENSE": "sync"}
    for key, value in values.items():
        monkeypatch.setenv(f"SMART_COPILOT__{key}", value)
    return server_storage


def _json(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else None), out.err


def test_knowledge_commands_and_config_in_server_mode(server_env, capsys, tmp_path):
    write(tmp_path / "docs", "lb.md", "# 负载均衡 502\n\n后端健康检查失败时，负载均衡返回 502。")
    code, report, _ = _json(capsys, "ingest", str(tmp_path / "docs"), "--kb", "net", "--json")
    assert code == 0 and report["added"] == 1
    code, kbs, _ = _json(capsys, "kb", "list", "--json")
    assert code == 0 and [k["name"] for k in kbs] == ["net"] and kbs[0]["dense_coverage"] == 1.0
    code, hits, _ = _json(capsys, "search", "502 健康检查", "--kb", "net", "--json")
    assert code == 0 and hits[0]["source"] == "lb.md"
    assert not (tmp_path / "data" / "kb" / "catalog.sqlite").exists()  # nothing written to the data dir
    code, shown, _ = _json(capsys, "config", "show", "--json")
    assert shown["storage"]["mode"] == "server" and "s3cret" not in json.dumps(shown)
    assert "***" in shown["storage"]["postgres"]["url"]


def test_runbook_audit_goes_to_the_shared_table(server_env, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SMART_COPILOT__TOOLS__ALLOW_TARGETS", "[127.0.0.1]")
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(["Linux", "否"], allow_unicode=True), encoding="utf-8")
    code, payload, _ = _json(capsys, "runbook", "run", "ssh-rdp-cannot-connect", "--question",
                             f"ssh 连不上 127.0.0.1 端口 {closed_port()}", "--answers", str(answers), "--no-kb",
                             "--user", "cli-agent", "--session", "cli-srv", "--json")
    assert code == 0 and payload["status"] == "escalated"
    assert not (tmp_path / "data" / "audit.sqlite").exists()
    code, records, _ = _json(capsys, "runbook", "audit", "--session", "cli-srv", "--json")
    assert code == 0 and [(r["tool"], r["user"]) for r in records] == [("tcp_port_check", "cli-agent")]


def test_unreachable_server_is_exit_code_2_in_chinese(monkeypatch, capsys):
    from tests.fixtures.servers import free_port

    monkeypatch.setenv("SMART_COPILOT__STORAGE__MODE", "server")
    monkeypatch.setenv("SMART_COPILOT__STORAGE__POSTGRES__URL", f"postgresql://copilot@127.0.0.1:{free_port()}/x")
    monkeypatch.setenv("SMART_COPILOT__STORAGE__POSTGRES__CONNECT_TIMEOUT_S", "2")
    code = main(["kb", "list"])
    assert code == 2 and "无法连接 PostgreSQL" in capsys.readouterr().err


def test_feedback_export_reads_the_shared_table(server_env, capsys):
    from app.feedback_pg import PgFeedbackStore
    from app.storage.build import server_pool
    from app.storage.config import StorageSettings

    with server_pool(StorageSettings.model_validate(server_env)) as pool:
        PgFeedbackStore(pool).record("alice", "s1", 1, -1, "引用的文档不对", question="502 怎么办",
                                     result={"answer": "……", "route": "knowledge"})
    code, items, _ = _json(capsys, "eval", "export-feedback", "--json")
    assert code == 0 and [(i["question"], i["reason"]) for i in items] == [("502 怎么办", "引用的文档不对")]


def test_a_dead_chroma_port_is_a_chinese_message_and_loses_nothing(server_env, monkeypatch, capsys, tmp_path):
    """search and ask fall back to keywords with a notice; ingest indexes keywords and says the vectors
    come later; once the server is back the base answers as before and the next ingest embeds."""
    from tests.fixtures.servers import free_port

    write(tmp_path / "docs", "lb.md", "# 负载均衡 502\n\n后端健康检查失败时，负载均衡返回 502。")
    code, report, _ = _json(capsys, "ingest", str(tmp_path / "docs"), "--kb", "net", "--json")
    assert code == 0 and report["added"] == 1
    monkeypatch.setenv("SMART_COPILOT__STORAGE__CHROMA__PORT", str(free_port()))  # the vector server is gone
    code, hits, err = _json(capsys, "search", "502 健康检查", "--kb", "net", "--json")
    assert code == 0 and hits[0]["source"] == "lb.md" and "仅按关键词检索" in err
    code, reply, err = _json(capsys, "ask", "负载均衡返回 502 怎么办", "--kb", "net", "--json")
    assert code == 0 and reply["citations"][0]["source"] == "lb.md" and reply["vector_search"] == "unavailable"
    assert "仅按关键词检索" in reply["notices"][0] and "Traceback" not in err
    write(tmp_path / "docs", "dns.md", "# 域名解析\n\n解析不生效时先检查 TTL 是否已过。")
    code = main(["ingest", str(tmp_path / "docs"), "--kb", "net"])
    out = capsys.readouterr().out
    assert code == 0 and "新增 1" in out and "向量会在服务恢复后的下一次导入或应用启动时自动补齐" in out
    monkeypatch.setenv("SMART_COPILOT__STORAGE__CHROMA__PORT", str(server_env["chroma"]["port"]))
    code, hits, err = _json(capsys, "search", "502 健康检查", "--kb", "net", "--json")
    assert code == 0 and hits[0]["source"] == "lb.md" and not err, err  # nothing was lost while it was down
    code, report, _ = _json(capsys, "ingest", str(tmp_path / "docs"), "--kb", "net", "--json")
    assert code == 0 and report["unchanged"] == 2 and "notices" not in report
    code, listed, _ = _json(capsys, "kb", "list", "--json")
    assert next(k for k in listed if k["name"] == "net")["dense_coverage"] == 1.0  # dns.md's vectors written now
