"""Keyword ranking: query term weights, typo repair, page-level BM25, question entries, one page at a time,
the cross-encoder loader (tiny model built here), and the whole keyword path against plain BM25 on a real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.bm25 import BM25Index
from knowledge.errors import KnowledgeError
from knowledge.lexical import word_groups
from knowledge.pages import ChunkInfo, PageIndex, is_navigation, is_overview, is_question_entry, path_tokens
from knowledge.retrieve import spread_pages
from knowledge.types import Passage
from tests.knowledge.conftest import write

REPO = Path(__file__).resolve().parents[2]


def test_path_words_and_question_entries():
    assert path_tokens("istio-zh/content/zh/docs/reference/config/analysis/ist0103/index.md")[-1] == "ist0103"
    assert "static" in path_tokens("docs/tasks/configure-pod-container/static-pod.md")
    assert is_question_entry("doc", "SQL 操作常见问题", ["SQL 操作常见问题", "TiDB 是否支持二级键？"])
    assert not is_question_entry("faq", "FAQ", [])  # FAQ-file pairs are their own pages instead
    assert not is_question_entry("doc", "创建静态 Pod", ["创建静态 Pod", "配置文件"])
    assert is_overview("docs/concepts/_index.md", "概念") and is_overview("ambient/overview/index.md", "Ambient 模式概述")
    assert not is_overview("docs/tasks/static-pod.md", "创建静态 Pod")
    assert is_navigation("- [CPU 使用率 100% 排查](cpu-high.md)\n- [云服务器概述与实例规格族](overview.md)")
    assert not is_navigation("如果请求中未提供初始[标头](https://www.envoyproxy.io/docs/envoy/latest/configuration/http)，"
                             "则 Istio 网关或 sidecar 代理会生成初始标头，详见[说明](#x)。")


def test_page_index_scores_whole_pages_and_survives_a_restart(tmp_path):
    chunks = [ChunkInfo(1, 10, "a.md", "备份", ["备份"], "doc"), ChunkInfo(2, 10, "a.md", "备份", ["备份", "恢复？"], "doc"),
              ChunkInfo(3, 20, "b.md", "监控", ["监控"], "doc")]
    tokens = {1: ("备份", "br 备份 速度"), 2: ("备份 恢复", "限流 参数"), 3: ("监控", "br 指标")}
    index = PageIndex.build(chunks, tokens, generation=7)
    scores = index.scores({"br": 1.0, "限流": 1.0})
    assert scores[0] > scores[1] > 0  # page a has both words, over two chunks
    assert list(index.question) == [False, True, False]
    index.save(tmp_path / "pages")
    again = PageIndex.load(tmp_path / "pages", 7)
    assert again is not None and list(again.scores({"br": 1.0, "限流": 1.0})) == list(scores)
    assert PageIndex.load(tmp_path / "pages", 8) is None
    assert PageIndex.load(tmp_path / "pages", 7, tokenizer="another tokenizer") is None
    assert list(index.locate(__import__("numpy").array([3, 5, 1]))) == [2, -1, 0]


def test_filler_words_weigh_less_than_documentation_words(demo):
    terms = demo.retriever.lexical("demo").terms
    weights = terms.weights(["安全组", "实例", "领导", "感觉", "同事", "看看"])
    assert weights["安全组"] > 0.9 and weights["实例"] > 0.9
    assert max(weights["领导"], weights["感觉"], weights["同事"], weights["看看"]) < 0.3
    assert terms.weights(["领导"], weighting=False) == {"领导": 1.0}


def test_unknown_ascii_token_is_repaired_from_the_base_vocabulary(ks, tmp_path):
    for i in range(3):
        write(tmp_path / "docs", f"s{i}.md", f"# 注入 {i}\n\nsidecar 注入失败时检查 namespace 标签 istio-injection。\n")
    write(tmp_path / "docs", "other.md", "# 其他\n\n与本题无关的文字，sidebar 只出现一次。\n")
    ks.ingest([tmp_path / "docs"], kb="t")
    terms = ks.retriever.lexical("t").terms
    assert terms.correct("sidcar") == "sidecar"
    assert terms.correct("ist0163") is None  # codes are never "corrected" into another code
    assert "sidecar" in terms.weights(["sidcar", "注入"])
    top = ks.retrieve("sidcar 没注入", kb="t", k=3, mode="lexical")
    assert top and top[0].source.startswith("s")


def test_a_name_typed_without_its_dot_or_with_two_letters_swapped_is_the_base_word(ks, tmp_path):
    write(tmp_path / "docs", "vertx.md", "# Istio 支持 Vert.x 事件总线吗？\n\n不提供对发布/订阅的支持。\n")
    for i in range(2):
        write(tmp_path / "docs", f"t{i}.md", f"# 删除 {i}\n\nPod 一直处于 Terminating 状态时检查 finalizers。\n")
    ks.ingest([tmp_path / "docs"], kb="v")
    terms = ks.retriever.lexical("v").terms
    assert terms.correct("vertx") == "vert.x"  # the same letters: one page is enough
    assert terms.correct("ternimating") == "terminating"  # m and n swapped, not neighbours
    assert terms.correct("finalizer") == "finalizers"
    assert ks.retrieve("vertx 的 eventbus 能做调用链跟踪吗", kb="v", k=1, mode="lexical")[0].source == "vertx.md"


def test_one_page_cannot_fill_the_top(ks, tmp_path):
    long_page = "# 备份限流\n\n" + "\n\n".join(f"## 第{i}节\n\nbr 备份 限流 参数 说明 {i}。" for i in range(8))
    write(tmp_path / "docs", "long.md", long_page)
    write(tmp_path / "docs", "faq.md", "# 常见问题\n\n## br 备份为什么变慢？\n\n自动调节 限流。\n")
    write(tmp_path / "docs", "other.md", "# 监控\n\nbr 备份 任务 限流 监控 指标。\n")  # every query word: coordination aside
    ks.ingest([tmp_path / "docs"], kb="p")
    sources = [p.source for p in ks.retrieve("br 备份 限流", kb="p", k=5, mode="lexical")]
    assert {"faq.md", "other.md"} <= set(sources[:3])
    decayed = spread_pages([Passage("1", "a", "", [], "", score=1.0), Passage("2", "a", "", [], "", score=0.9),
                            Passage("3", "b", "", [], "", score=0.6)], 0.5)
    assert [p.chunk_id for p in decayed] == ["1", "3", "2"]
    # an FAQ file is a list of pages: its second entry does not decay under the first
    entries = spread_pages([Passage("1", "faq.jsonl", "", [], "", kind="faq", score=1.0),
                            Passage("2", "a", "", [], "", score=0.9),
                            Passage("3", "faq.jsonl", "", [], "", kind="faq", score=0.8),
                            Passage("4", "a", "", [], "", score=0.7)], 0.5)
    assert [p.chunk_id for p in entries] == ["1", "2", "3", "4"]


def test_a_chunk_holding_more_of_the_question_beats_short_ones_holding_one_word(ks, tmp_path):
    """Coordination: BM25 saturates per word, so short pages holding one question word used to
    outrank the longer page that names both."""
    write(tmp_path / "docs", "helm.md", "# Helm 模板\n\n" + "helm chart 模板 渲染 参数 说明。" * 12 + "\n")
    write(tmp_path / "docs", "choose.md", "# 安装方式\n\n可以用 istioctl 安装，也可以用 helm 安装，各有 优缺点。\n"
          + "其他 说明 文字 若干。" * 20)
    for i in range(10):
        write(tmp_path / "docs", f"o{i}.md", f"# 其他 {i}\n\n" + ("istioctl 命令" if i < 2 else "网络 存储") + f" 说明 {i}，参数 渲染。\n")
    ks.ingest([tmp_path / "docs"], kb="c")

    def rank_of_choose():
        sources = [p.source for p in ks.retrieve("helm 还是 istioctl", kb="c", k=5, mode="lexical")]
        return sources.index("choose.md") if "choose.md" in sources else 99

    assert rank_of_choose() == 1  # after helm.md, above o0/o1 (istioctl only)
    ks.settings.coordination = 0.0
    assert rank_of_choose() > 2  # what it fixes: both short istioctl-only pages ranked above it
    held = ks.retriever.lexical("c").chunks.scores_and_coverage({"helm": 1.0, "istioctl": 1.0})[1]
    assert held.max() == pytest.approx(1.0) and 0 < held[held > 0].min() < 1.0


def test_a_filler_words_pieces_count_once_documentation_compounds_keep_theirs(demo):
    """jieba's search mode cuts 绝大部分 into 绝大 / 大部 / 部分 / 大部分 / 绝大部分: a short chunk
    holding one filler word outranked the chunk holding the question's documentation word."""
    lexical = demo.retriever.lexical("demo")
    tokenize = demo.retriever.corpus.tokenizer("demo").tokenize
    filler = lexical.terms.weights(tokenize("绝大部分请求都超时了"))
    groups = word_groups(filler)
    assert {t for t, head in groups.items() if head == "绝大部分"} == {"绝大", "大部", "部分", "大部分", "绝大部分"}
    assert groups.get("超时") is None and groups.get("请求") is None
    assert word_groups(lexical.terms.weights(tokenize("clb 健康检查默认多久"))) == {}  # 健康 and 检查 stay evidence

    weights = {"trace": 1.0, **{t: filler[t] for t in groups}}
    rows = [(1, "", "绝大 大部 部分 大部分 绝大部分"), (2, "", "trace 采样 率 说明 文字 若干 内容")]
    rows += [(i, "", f"其他 说明 {i} 绝大") if i < 6 else (i, "", f"其他 说明 {i}") for i in range(3, 40)]
    index = BM25Index.build(rows, generation=1)
    summed, _ = index.scores_and_coverage(weights)
    best, share = index.scores_and_coverage(weights, groups=groups)
    assert summed[0] > summed[1]  # what it fixes: four matches for one filler word
    assert best[1] > best[0] and best[0] < summed[0]
    assert share[0] < 0.5 < share[1]


def test_page_decay_works_on_keyword_scores_not_fused_ranks():
    """Reciprocal-rank scores of 50 candidates lie within 1/61..1/110: halving one there sent a
    page's second chunk under every other page, however weak (issue 12 regression)."""
    def p(cid, source, rank, lexical, dense=None):
        return Passage(cid, source, "", [], "", score=1 / (60 + rank), lexical_score=lexical, dense_score=dense)

    keyword = spread_pages([p("1", "a", 1, 1.6), p("2", "a", 2, 1.5), p("3", "b", 3, 0.5), p("4", "c", 4, 0.4)], 0.5)
    assert [x.chunk_id for x in keyword] == ["1", "2", "3", "4"]  # 1.5 * 0.5 still beats the weak pages
    weak = spread_pages([p("1", "a", 1, 1.6), p("2", "a", 2, 0.9), p("3", "b", 3, 0.5)], 0.5)
    assert [x.chunk_id for x in weak] == ["1", "3", "2"]  # a weak second chunk still waits its turn
    fused = spread_pages([p("1", "a", 1, 1.6, 0.8), p("2", "a", 2, 1.5, 0.8), p("3", "b", 3, 0.5, 0.7)], 0.5)
    assert [x.chunk_id for x in fused] == ["1", "3", "2"]  # with dense scores: the fused score, as before


@pytest.mark.parametrize("question, page, section", [
    ("抬头写错了 发票已经开出来了咋办", "docs/billing/invoice.md", "抬头或税号填错了怎么办"),
    ("两个vpc建了对等连接 结果只能单向通", "docs/vpc/route-table.md", "排查路由问题"),
])
def test_the_answering_section_of_the_best_page_reaches_selection(demo, question, page, section):
    """Demo answer turns lost on the kscale merge: the page ranked first, but the section that
    answers was its second chunk and fell out of the 8 passages the answer step reads."""
    found = demo.retrieve(question, kb="demo", k=8, mode="lexical")
    assert found[0].source == page
    chosen = demo.select(question, found, max_passages=4)
    assert (page, section) in {(c.source, c.heading_path[-1]) for c in chosen}


@pytest.mark.parametrize("question", ["RequestTimeTooSkewed", "RequestTimeTooSkewed 怎么办"])
def test_the_faq_entry_asking_exactly_the_query_ranks_first(demo, question):
    """The page index holds an FAQ entry's file title and answer, not its question: the entry whose
    question is the error code scores page 0 and ranks 3rd, under pages that name the code once.
    With faq_entry_evidence its own match is its page evidence (off by default: see the setting)."""
    demo.settings.faq_entry_evidence = True
    try:
        found = demo.retrieve(question, kb="demo", k=5, mode="lexical")
    finally:
        demo.settings.faq_entry_evidence = False
    assert found[0].source == "faq/faq.jsonl" and "RequestTimeTooSkewed" in found[0].heading_path[-1]
    assert demo.retrieve(question, kb="demo", k=5, mode="lexical")[0].source != "faq/faq.jsonl"  # the default


def test_rare_identifiers_weigh_more_than_everyday_words():
    from knowledge.lexical import identifiers_weighted  # what counts as one: tests/knowledge/test_identifiers.py

    index = BM25Index.build([(i, "", "ist0161 pod" if i == 0 else "pod 节点") for i in range(600)], generation=1)
    weights = identifiers_weighted({"ist0161": 0.9, "pod": 1.0, "节点": 0.8}, index, 2.0)
    assert weights == {"ist0161": 1.8, "pod": 1.0, "节点": 0.8}
    assert identifiers_weighted({"ist0161": 0.9}, index, 1.0) == {"ist0161": 0.9}
    assert identifiers_weighted({"ist0161": 0.9}, index, 2.0, frozenset({"ist0161"})) == {"ist0161": 0.9}


def test_a_long_word_the_question_writes_as_a_word_is_not_weighed_as_an_identifier(make_service, tmp_path, monkeypatch):
    """"SERIALIZABLE" is an SQL keyword, not a name: counted as an identifier it gave the isolation-level
    page the first place for a question pasting error 8048 (the error-code page answers it)."""
    import knowledge.lexical

    monkeypatch.setattr(knowledge.lexical, "RARE_IDENTIFIER", 1.0)  # a tiny base: every identifier counts
    write(tmp_path / "docs", "isolation.md", "# 事务隔离级别\n\n支持 REPEATABLE READ，不支持 SERIALIZABLE。"
          "serializable 在 MySQL 中是最严格的隔离级别，serializable 会加锁。\n")
    write(tmp_path / "docs", "errors.md", "# 错误码\n\n## 8048\n\n设置了不支持的隔离级别时报错 8048。"
          "框架无法修改时，开启 tidb_skip_isolation_level_check 跳过检查。\n")
    write(tmp_path / "docs", "other.md", "# 其他\n\n隔离 级别 说明。\n")
    ks = make_service(dense="off")
    ks.ingest([tmp_path / "docs"], kb="e")
    found = ks.retrieve("框架把隔离级别设成 SERIALIZABLE 直接报 8048，能跳过检查吗", kb="e", k=3, mode="lexical")
    assert found[0].source == "errors.md"


def test_a_list_of_links_does_not_stand_for_its_page(make_service, tmp_path):
    """The "相关文档" list names other pages' titles; the page's content must rank, not its link list."""
    write(tmp_path / "docs", "oom.md", "# 内存不足与 OOM\n\n## 现象\n\n进程被 oom-kill 杀掉，dmesg 可见 Out of memory。\n\n"
          "## 相关文档\n\n- [云服务器 CPU 使用率 100% 排查](cpu.md)\n- [云服务器概述与实例规格族](overview.md)\n")
    write(tmp_path / "docs", "cpu.md", "# CPU 使用率 100% 排查\n\n云服务器 CPU 高时用 top 查看进程。\n")
    ks = make_service(dense="off")
    ks.ingest([tmp_path / "docs"], kb="n")

    def best_oom_chunk():
        return next(p for p in ks.retrieve("云服务器 OOM 排查", kb="n", k=5, mode="lexical") if p.source == "oom.md")

    assert "dmesg" in best_oom_chunk().text
    ks.settings.navigation_factor = 1.0
    assert "相关" in " ".join(best_oom_chunk().heading_path)


def test_question_entries_rank_above_plain_sections_with_the_same_words(make_service, tmp_path):
    write(tmp_path / "docs", "guide.md", "# 迁移指南\n\n## 步骤\n\nlightning 导入 断点 文件 清理 命令。\n")
    write(tmp_path / "docs", "faq.md", "# 常见问题\n\n## 导入失败后怎么重来？\n\nlightning 导入 断点 文件 清理 命令。\n")
    ks = make_service(dense="off")
    ks.ingest([tmp_path / "docs"], kb="q")
    assert ks.retrieve("lightning 断点 清理", kb="q", k=2, mode="lexical")[0].source == "faq.md"
    ks.settings.question_boost = 0.0
    first = ks.retrieve("lightning 断点 清理", kb="q", k=2, mode="lexical")
    assert first[0].lexical_score == pytest.approx(first[1].lexical_score, rel=0.2)


def test_cross_encoder_from_a_local_directory_reorders_fused_candidates(tmp_path):
    from knowledge.config import KnowledgeSettings
    from knowledge.rerank import CrossEncoderReranker
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder
    from tests.fixtures.tiny_reranker import build_tiny_cross_encoder

    folder = tmp_path / "kb"
    write(folder, "ssh.md", "# SSH 无法登录\n\n## 现象\n\n端口 22 不通。\n\n## 解决\n\n安全组放通 TCP 22 端口。\n")
    write(folder, "mysql.md", "# MySQL 连接数\n\n报 ERROR 1040，端口 3306 连接过多。\n")
    write(folder, "disk.md", "# 磁盘\n\n端口无关，磁盘空间不足。\n")
    path = build_tiny_cross_encoder(tmp_path / "reranker")
    model = CrossEncoderReranker(str(path))
    scores = model.score("SSH 端口", ["22 端口 放行", "对象存储 403", "磁盘 空间"])
    assert len(scores) == 3 and len(set(scores)) == 3
    assert model.score("SSH 端口", ["22 端口 放行", "对象存储 403", "磁盘 空间"]) == scores
    ks = KnowledgeService(KnowledgeSettings(dense="sync", reranker_path=str(path), rerank_candidates=4),
                          tmp_path / "data", HashEmbedder(dim=32))
    try:
        ks.ingest([folder], kb="r")
        head = ks.search("SSH 22 端口", kb="r", k=4)
        assert [p.meta["rerank_score"] for p in head] == sorted((p.meta["rerank_score"] for p in head), reverse=True)
        direct = model.score("SSH 22 端口", [p.meta["indexed_text"] for p in head])
        assert [round(s, 4) for s in direct] == [round(p.meta["rerank_score"], 4) for p in head]
    finally:
        ks.close()
    with pytest.raises(KnowledgeError, match="重排序模型目录不存在"):
        CrossEncoderReranker(str(tmp_path / "missing"))


def test_keyword_path_beats_plain_bm25_on_the_istio_questions(corpora, make_service):
    """Real data: istio-zh on its own, its 50 frozen colloquial questions, top-5 chunks."""
    from benchmarks.bm25_baseline import PlainBM25

    ks = make_service(dense="off")
    ks.ingest([corpora / "istio-zh"], kb="istio")
    items = [json.loads(line) for line in (REPO / "tests/data/corpora_eval/istio.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [{g.split("/", 1)[1] for g in item["gold"]} for item in items]
    plain = PlainBM25([(p.source, p.meta["indexed_text"]) for p in ks.iter_chunks("istio")])

    def recall(rank) -> float:
        return sum(bool(set(rank(item["question"])[:5]) & g) for item, g in zip(items, gold)) / len(items)

    ours = recall(lambda q: [p.source for p in ks.retrieve(q, kb="istio", k=5, mode="lexical")])
    base = recall(lambda q: plain.search(q, 5))
    assert ours >= base + 0.05, (ours, base)
    assert ours >= 0.8


def test_search_works_when_the_page_index_cannot_be_saved(ks, tmp_path, monkeypatch):
    """A read-only data dir (a shared copy of a base): the page index is used from memory."""
    write(tmp_path / "docs", "a.md", "# 备份\n\nbr 备份 限流。\n")

    def refuse(self, folder):
        raise PermissionError(f"read-only: {folder}")

    monkeypatch.setattr(PageIndex, "save", refuse)  # before ingest: its end builds and saves the index
    ks.ingest([tmp_path / "docs"], kb="ro")
    assert ks.retrieve("br 限流", kb="ro", k=1, mode="lexical")[0].source == "a.md"
    assert not list(ks.root.glob("pages-*"))  # it was built here, and never written


def test_score_fusion_keeps_the_keyword_margin_that_rrf_loses():
    from knowledge.fusion import rrf, score_fusion

    keyword = [("a", 10.0), ("b", 2.0), ("c", 1.9)]
    dense = [("b", 0.86), ("c", 0.85), ("a", 0.80)]
    by_rank = rrf([[c for c, _ in keyword], [c for c, _ in dense]], k=60, weights=[1.0, 1.0])
    assert max(by_rank, key=by_rank.get) == "b"  # found by both, outranks the clear keyword winner
    by_score = score_fusion(keyword, dense, dense_weight=0.3)
    assert max(by_score, key=by_score.get) == "a" and by_score["a"] == 1.0
    assert by_score["b"] == 0.2 + 0.3 and score_fusion([], dense, 0.3)["b"] == 0.3


def test_dense_top_reorders_keyword_near_ties_only():
    from knowledge.fusion import dense_top_bonus

    keyword = [("a", 10.0), ("b", 9.8), ("c", 5.0), ("d", 4.0)]
    dense = [("b", 0.86), ("d", 0.85), ("e", 0.84), ("a", 0.80)]
    fused = dense_top_bonus(keyword, dense, weight=0.1, top=3)
    assert sorted(fused, key=fused.get, reverse=True)[:2] == ["b", "a"]  # a near-tie: the vectors decide
    assert fused["d"] < fused["a"] and fused["e"] < fused["c"]  # a clear keyword margin is never crossed
    assert fused["a"] == 1.0 and round(fused["e"], 6) == round(0.1 / 3, 6)  # a(4th) and e(3rd): linear bonus


def test_dense_mode_with_dense_top_fusion_still_ranks_by_cosine(tmp_path):
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(6):
        (docs / f"p{n}.md").write_text(f"# 页面 {n}\n\n第 {n} 页讲负载均衡的第 {n} 种配置。\n", encoding="utf-8")
    ks = KnowledgeService(KnowledgeSettings(dense="sync", fusion="dense_top", dense_top=2), tmp_path / "data",
                          create_embedder(EmbedderSettings(backend="hash")))
    try:
        ks.ingest([docs], kb="t")
        assert len(ks.retrieve("负载均衡 配置", kb="t", k=5, mode="dense")) == 5  # not only the bonus top 2
        assert len(ks.retrieve("负载均衡 配置", kb="t", k=5, mode="hybrid")) >= 5
    finally:
        ks.close()


def test_a_lone_letter_is_no_query_term(ks, tmp_path):
    """A flag's letter (`-c`) or a possessive's s is no word: counted at full weight, the reference
    page writing `-c` in every section ranked above the page that answers the question."""
    reference = "# kubectl 参考\n\n" + "\n\n".join(f"## 子命令 {i}\n\nkubectl exec -c 容器 参数 {i}，-c 指定 容器。"
                                                 for i in range(6))
    write(tmp_path / "docs", "reference.md", reference)
    write(tmp_path / "docs", "default.md", "# 默认容器注解\n\n多容器 Pod 的 kubectl logs 和 exec 默认进入注解指定的容器，"
          "注解 default-container 写在 Pod 上。\n")
    for i in range(6):
        write(tmp_path / "docs", f"o{i}.md", f"# 其他 {i}\n\n网络 存储 说明 {i}。\n")
    ks.ingest([tmp_path / "docs"], kb="l")
    terms = ks.retriever.lexical("l").terms
    assert "c" not in terms.weights(["kubectl", "c", "s", "容器"]) and "kubectl" in terms.weights(["kubectl"])
    top = ks.retrieve("kubectl logs 不带 -c 就得猜容器，能给 Pod 指定默认的吗", kb="l", k=3, mode="lexical")
    assert top and top[0].source == "default.md"


def test_a_product_the_question_names_puts_pages_that_never_mention_it_behind(ks, tmp_path):
    """A base filing two products shares everyday words: a foodb question about a scanner's report matched
    barmesh's security page (which never mentions foodb) above foodb's own page (tidb-024: Kubernetes' CVE feed)."""
    write(tmp_path / "docs" / "barmesh", "security.md", "# 安全公告\n\n扫描 报告 的 漏洞 按 版本号 匹配。\n")
    write(tmp_path / "docs" / "foodb", "server.md", "# 服务配置\n\nfoodb 对外 报告 的 版本号 可以 修改，避免 扫描 误报 漏洞。\n")
    for i in range(4):
        write(tmp_path / "docs" / ("foodb" if i % 2 else "barmesh"), f"o{i}.md", f"# 其他 {i}\n\n网络 存储 说明 {i}。\n")
    ks.settings.dense = "off"
    ks.ingest([tmp_path / "docs"], kb="p")
    assert ks.retriever.lexical("p").product_names == frozenset({"foodb", "barmesh"})
    question = "foodb 被安全扫描 报告 漏洞，能不能改 版本号"
    ks.settings.named_product_factor = 0.5  # the tiny base's margin is wider than the corpora's near-ties
    assert ks.retrieve(question, kb="p", k=2, mode="lexical")[0].source == "foodb/server.md"
    ks.settings.named_product_factor = 1.0
    assert ks.retrieve(question, kb="p", k=2, mode="lexical")[0].source == "barmesh/security.md"
    ks.settings.named_product_factor = 0.5  # a question naming no product: nothing changes
    assert ks.retrieve("被安全扫描 报告 漏洞，能不能改 版本号", kb="p", k=2, mode="lexical")[0].source == "barmesh/security.md"
