"""A three-character word's search-mode pieces count once where pages are placed (knowledge.lexical)."""

from __future__ import annotations

from knowledge.lexical import word_groups
from tests.knowledge.conftest import write


def test_a_three_character_word_groups_its_pieces_only_when_asked():
    weights = {"防火墙": 0.8, "防火": 0.7, "火墙": 0.9, "健康检查": 0.9, "健康": 0.8, "检查": 0.8, "端口": 0.9}
    assert word_groups(weights) == {}
    grouped = word_groups(weights, one_word=True)
    assert grouped == {"防火墙": "防火墙", "防火": "防火墙", "火墙": "防火墙"}  # 健康 and 检查 stay evidence


def test_one_word_scored_three_times_does_not_place_its_page_first(make_service, tmp_path):
    write(tmp_path / "docs", "firewall.md", "# 防火墙\n\n防火墙 规则 说明。\n")
    write(tmp_path / "docs", "ports.md", "# 控制面端口\n\n控制面 组件 需要 放行 的 端口 列表：apiserver 6443，etcd 2379。\n")
    for i in range(12):
        write(tmp_path / "docs", f"o{i}.md", f"# 其他 {i}\n\n" + ("端口 映射 说明" if i < 3 else "存储 说明") + f" {i}。\n")
    ks = make_service(dense="off")
    ks.ingest([tmp_path / "docs"], kb="w")
    sources = [p.source for p in ks.retrieve("防火墙 管得严 控制面 要放行哪些 端口", kb="w", k=5, mode="lexical")]
    assert sources[0] == "ports.md", sources
