"""knowledge_search, error_code_lookup and log_analysis over the real demo knowledge base."""

from __future__ import annotations

from tools.knowledge_tools import parse_row


def test_parse_row_keeps_semicolons_inside_values() -> None:
    row = "错误码: 1040；产品: MySQL；可能原因: 连接数满；连接未释放；解决方法: 调整连接池"
    assert parse_row(row) == {"错误码": "1040", "产品": "MySQL", "可能原因": "连接数满；连接未释放", "解决方法": "调整连接池"}


def test_error_code_lookup_reads_the_table(make_registry, knowledge) -> None:
    registry = make_registry(knowledge=knowledge)
    result = registry.invoke("error_code_lookup", {"code": "accessdenied"}, session="k", user="u")
    assert result.status == "ok" and result.data["found"] is True
    entry = next(e for e in result.data["entries"] if e["source"] == "tables/error-codes.csv")
    assert entry["code"] == "AccessDenied"
    assert "ACL" in entry["fields"]["可能原因"]
    missing = registry.invoke("error_code_lookup", {"code": "E-NOPE-42"}, session="k", user="u")
    assert missing.data["found"] is False and "没有" in missing.data["summary"]


def test_log_analysis_finds_signatures_and_table_codes(make_registry, knowledge) -> None:
    registry = make_registry(knowledge=knowledge)
    log = "\n".join([
        "2026-11-20 10:00:00 INFO started in 1040 ms",
        "2026-11-20 10:00:01 ERROR 1040 (HY000): Too many connections",
        "2026-11-20 10:00:02 ERROR 1040 (HY000): Too many connections",
        "2026-11-20 10:00:03 upstream timed out (110: Connection timed out) while reading response header",
    ])
    data = registry.invoke("log_analysis", {"text": log}, session="k", user="u").data
    assert data["lines"] == 4 and data["healthy"] is False
    assert data["codes"] == ["1040"]
    code = next(m for m in data["matches"] if m["kind"] == "error_code")
    assert code["count"] == 2 and code["first_line"] == 2
    assert {"mysql-too-many-connections", "upstream-504", "connection-timeout"} <= set(data["signatures"])
    assert any(r["source"] == "docs/mysql/too-many-connections.md" for m in data["matches"] for r in m["references"])


def test_log_analysis_matches_dotted_codes_and_ignores_bare_numbers(make_registry, knowledge) -> None:
    registry = make_registry(knowledge=knowledge)
    log = "request 1045 served in 2003 ms\nlistener event code=CLB.HealthCheckFailed backend 10.0.0.3\n"
    data = registry.invoke("log_analysis", {"text": log}, session="k", user="u").data
    assert data["codes"] == ["CLB.HealthCheckFailed"]
    assert data["matches"][0]["first_line"] == 2


def test_log_analysis_clean_log_and_without_kb(make_registry, knowledge) -> None:
    registry = make_registry(knowledge=knowledge)
    clean = registry.invoke("log_analysis", {"text": "all good\nstill fine"}, session="k", user="u").data
    assert clean["matches"] == [] and clean["healthy"] is True
    bare = make_registry().invoke("log_analysis", {"text": "No space left on device"}, session="k", user="u").data
    assert bare["signatures"] == ["disk-full"] and "references" not in bare["matches"][0]


def test_knowledge_search_and_missing_kb(make_registry, knowledge) -> None:
    result = make_registry(knowledge=knowledge).invoke("knowledge_search", {"query": "SSH 登录失败 22 端口", "k": 3},
                                                       session="k", user="u")
    assert result.status == "ok" and len(result.data["passages"]) == 3
    assert any(p["source"] == "docs/scs/ssh-login-failed.md" for p in result.data["passages"])
    bare = make_registry().invoke("knowledge_search", {"query": "SSH"}, session="k", user="u")
    assert bare.status == "error" and "知识库" in bare.error
