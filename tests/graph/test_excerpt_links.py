"""Citation excerpts read Markdown links as their text: the CLI's JSON, the reply's sources list and
the UI's source card show plain text, so "[文本](/zh-cn/docs/…)" must read "文本" (a real Kubernetes
page end to end; synthetic link shapes on graph.doc_units.display_text)."""

from __future__ import annotations

import shutil

from graph.doc_units import display_text
from tests.graph.conftest import make_context

PAGE = "kubernetes-zh-cn/content/zh-cn/docs/tasks/administer-cluster/dns-debugging-resolution.md"


def test_every_link_shape_reads_as_its_text_and_code_keeps_its_brackets() -> None:
    text = ("详细信息请查阅[Pod 与 Service 的 DNS](/zh-cn/docs/concepts/services-networking/dns-pod-service/#what)。\n"
            "这将启动[纵深防御](https://en.wikipedia.org/wiki/Defense_in_depth_(computing))策略，"
            "见[已知问题](#known-issues)和 ![架构图](img/arch.png \"架构\")。\n"
            "执行 [`ADMIN CHECK [TABLE|INDEX]`](/sql-statements/admin.md) 语句。\n\n"
            "```plain\n[2017-05-17 03:00:52][critical] see [x](y)\n```")
    shown = display_text(text)
    assert "](" not in shown.split("```")[0]
    assert "详细信息请查阅Pod 与 Service 的 DNS。" in shown
    assert "这将启动纵深防御策略，见已知问题和 架构图。" in shown
    assert "执行 `ADMIN CHECK [TABLE|INDEX]` 语句。" in shown
    assert "[2017-05-17 03:00:52][critical] see [x](y)" in shown  # code as written


def test_a_kubernetes_page_is_cited_without_link_residue(corpora, tmp_path) -> None:
    from graph.service import Copilot
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    folder = tmp_path / "k8s"
    folder.mkdir()
    shutil.copy(corpora / PAGE, folder / "dns-debugging-resolution.md")
    assert "](/zh-cn/docs/" in (folder / "dns-debugging-resolution.md").read_text(encoding="utf-8")
    ks = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path / "data", create_embedder(EmbedderSettings(backend="hash")))
    try:
        ks.ingest([folder], kb="k8s")
        copilot = Copilot(make_context(ks))
        result = copilot.ask("Pod 里只写服务名 DNS 解析不出来，写全名可以，为什么", "s1", kb="k8s").to_json()
        texts = [c["text"] for c in result["citations"]]
        assert texts and any("Pod 与 Service 的 DNS" in t for t in texts), texts
        assert not any("](" in t.replace("```", "\n```").split("```")[0] for t in texts)
        sources = result["answer"].split("**参考来源**", 1)[1]
        assert "](" not in sources and "Pod 与 Service 的 DNS" in sources
    finally:
        ks.close()
