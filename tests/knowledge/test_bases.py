"""Several knowledge bases in one search: names as users give them, one fused ranking naming each base."""

from __future__ import annotations

import pytest

from knowledge.bases import parse_kbs
from knowledge.errors import KnowledgeError
from tests.knowledge.conftest import write


@pytest.mark.parametrize("value, names", [
    (None, []), ("", []), ("demo", ["demo"]), ("tidb,istio", ["tidb", "istio"]), (" tidb ， istio、tidb", ["tidb", "istio"]),
    (["tidb", "istio,k8s"], ["tidb", "istio", "k8s"]), (["demo"], ["demo"]),
])
def test_parse_kbs(value, names):
    assert parse_kbs(value) == names


@pytest.fixture
def two_bases(ks, tmp_path):
    write(tmp_path / "db", "mysql.md", "# MySQL 连接数\n\nERROR 1040 Too many connections 表示连接数超过 max_connections。")
    write(tmp_path / "db", "slow.md", "# 慢查询\n\n慢查询日志记录执行时间超过 long_query_time 的语句。")
    write(tmp_path / "net", "lb.md", "# 负载均衡 502\n\n后端服务器健康检查失败时，负载均衡返回 502。")
    write(tmp_path / "net", "dns.md", "# DNS 解析\n\n域名解析失败时先检查 NS 记录与解析线路。")
    ks.ingest([tmp_path / "db"], kb="db")
    ks.ingest([tmp_path / "net"], kb="net")
    return ks


def test_search_fuses_the_chosen_bases_and_names_each(two_bases):
    hits = two_bases.search_bases("连接数太多 502 怎么办", ["db", "net"], k=4)
    assert {h.kb for h in hits} == {"db", "net"}
    assert {hits[0].source, hits[1].source} == {"mysql.md", "lb.md"}  # each base's best meet at the top
    assert all(h.meta["base_score"] > 0 for h in hits)


def test_one_name_is_exactly_search(two_bases):
    one = two_bases.search_bases("502", ["net"], k=3)
    assert [(p.chunk_id, p.score) for p in one] == [(p.chunk_id, p.score) for p in two_bases.search("502", kb="net", k=3)]


def test_an_unknown_base_is_named(two_bases):
    with pytest.raises(KnowledgeError, match="知识库不存在：nope"):
        two_bases.search_bases("502", ["net", "nope"])
