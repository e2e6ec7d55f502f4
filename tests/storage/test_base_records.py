"""Server mode: each replica caches its bases' rows and records until PostgreSQL announces a change
(knowledge.pg.records) — repeated searches read none of them again, a change on another replica is
seen, a replica reads its own writes at once, and without the notification connection every read
goes to the database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from knowledge.service import KnowledgeService
from tests.knowledge.conftest import write

QUESTIONS = ["SSH 连接超时怎么办", "云盘扩容后文件系统没有变大", "安全组怎么放通 22 端口"]


def pages(folder: Path) -> Path:
    write(folder, "ssh.md", "# SSH 连接超时\n\nSSH 连接超时一般是安全组没有放通 22 端口。\n")
    write(folder, "disk.md", "# 云盘扩容\n\n云盘扩容后需要在实例内扩展分区和文件系统（growpart、resize2fs）。\n")
    return folder


def ask(ks: KnowledgeService, question: str) -> list[Any]:
    return ks.select(question, ks.search(question, kb="t", k=5))


def wait_for(check: Any, timeout: float = 10.0) -> bool:
    """Notifications arrive asynchronously (milliseconds): poll for what they bring."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_repeated_searches_read_no_base_record_again(two_replicas: Any, tmp_path: Path) -> None:
    a, b = two_replicas
    a.ingest([pages(tmp_path / "kb")], kb="t")
    for question in QUESTIONS:
        ask(b, question)  # warm: B's indexes, tokenizer, calibration
    records = b.catalog.records
    before = records.reads
    for question in QUESTIONS * 3:
        assert ask(b, question)
    assert records.reads == before


def test_a_change_on_another_replica_is_seen_and_own_writes_at_once(two_replicas: Any, tmp_path: Path) -> None:
    a, b = two_replicas
    folder = pages(tmp_path / "kb")
    a.ingest([folder], kb="t")
    first = b.generation("t")
    assert b.has_kb("t") and first == a.generation("t")

    write(folder, "vpn.md", "# VPN 隧道断开\n\n青鸾 VPN 隧道断开时检查 IKE 协商日志中的 qlx-ike-timeout。\n")
    a.ingest([folder], kb="t")
    assert a.generation("t") > first  # the writer's own cache was emptied by its write
    assert wait_for(lambda: b.generation("t") == a.generation("t"))
    assert b.search("青鸾 VPN 隧道断开 qlx-ike-timeout", kb="t", k=3)[0].source == "vpn.md"

    a.trash_kb("t")
    assert not a.has_kb("t")
    assert wait_for(lambda: not b.has_kb("t"))
    a.restore_kb("t")
    assert wait_for(lambda: b.has_kb("t"))


def test_without_the_notification_connection_every_read_goes_to_the_database(two_replicas: Any, tmp_path: Path) -> None:
    a, b = two_replicas
    a.ingest([pages(tmp_path / "kb")], kb="t")
    records, generation = b.catalog.records, b.catalog.generation
    assert generation("t") == a.generation("t")
    listener = records._listener
    assert listener is not None
    with a.catalog.pool.connection() as conn:  # the server ends B's listening session (as a restart would)
        conn.execute("SELECT pg_terminate_backend(%s)", (listener.pgconn.backend_pid,))
    assert wait_for(lambda: (generation("t"), records._listener)[1] is None)
    before = records.reads
    assert generation("t") == generation("t") == a.generation("t")
    assert records.reads == before + 2  # nothing cached while nobody listens

    write(tmp_path / "kb", "vpn.md", "# VPN 隧道断开\n\n检查 IKE 协商日志。\n")
    a.ingest([tmp_path / "kb"], kb="t")
    assert generation("t") == a.generation("t")  # read from the database: exact at once
    records._next_try = 0.0  # the retry interval has passed
    assert generation("t") == a.generation("t") and records._listener is not None  # listening again
    assert generation("t") == a.generation("t") and records.reads == before + 4  # and cached again


def test_without_a_reachable_server_nothing_is_cached() -> None:
    from knowledge.pg.records import BaseRecords

    records = BaseRecords("postgresql://copilot@127.0.0.1:9/postgres?connect_timeout=2")
    calls: list[int] = []
    assert [records.get("t", "row", lambda: calls.append(1) or len(calls)) for _ in range(3)] == [1, 2, 3]
    records.close()
