"""While background embedding is under way, a not-yet-embedded best keyword match still ranks first."""

from __future__ import annotations

from tests.knowledge.conftest import write


def test_pending_document_is_not_outranked_by_embedded_weak_matches(tmp_path, ks):
    folder = tmp_path / "kb"
    for i in range(6):
        write(folder, f"clb/page{i}.md", f"# 负载均衡说明 {i}\n\n访问返回 502 时，可以在控制台查询监听器的健康检查状态，第 {i} 种情况。\n")
    ks.ingest([folder], kb="t")
    ks.settings.dense = "off"  # the next document stays keyword-only, as during background embedding
    write(folder, "mysql/slow-query.md", "# 慢查询分析\n\n慢查询日志记录执行时间超过 long_query_time 的查询，慢查询可以在控制台查看。\n")
    ks.ingest([folder], kb="t")
    assert ks.show_kb("t")["dense_pending"] == 1
    ks.settings.dense = "sync"
    hybrid = ks.retrieve("慢查询怎么看", kb="t", k=3, mode="hybrid")
    assert hybrid[0].source == "mysql/slow-query.md"
    assert hybrid[0].dense_score is None
