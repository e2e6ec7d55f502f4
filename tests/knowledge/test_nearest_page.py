"""knowledge.nearest_page: the first-ranked page titled by the question's subject as a partial match (issue 21)."""

from __future__ import annotations

from knowledge.bm25 import BM25Index
from knowledge.nearest_page import nearest_titled, subject_words, titled_by
from knowledge.types import Passage

IDF = {"镜像": 3.0, "地域": 3.2, "拿到": 5.0, "能": 0.2, "用": 0.1, "吗": 0.1, "redis": 6.0}
DOC = {"镜像", "地域", "拿到", "redis"}
HEADS = {"镜像", "地域", "创建", "共享", "复制", "跨"}


def tokenize(text: str) -> list[str]:
    out = []
    for word in ("创建", "共享", "自定义", "镜像", "跨", "地域", "复制", "拿到", "能", "用", "吗", "redis", "集群", "扩容"):
        if word in text.lower():
            out.append(word)
    return out


def passage(title: str, heading: list[str], **meta) -> Passage:
    p = Passage(chunk_id=title + "/" + "/".join(heading), source=f"{title}.md", title=title, heading_path=heading,
                text="...", kb="demo")
    p.meta.update(meta)
    return p


def subject(question: str) -> list[str]:
    return subject_words(tokenize(question), lambda t: IDF.get(t, 0.0), DOC.__contains__, HEADS.__contains__)


def test_subject_is_the_rarest_heading_words_not_a_rare_verb():
    assert subject("镜像能拿到别的地域用吗") == ["镜像", "地域"]
    assert subject_words(tokenize("镜像能拿到别的地域用吗"), lambda t: IDF.get(t, 0.0), DOC.__contains__) == ["拿到"]
    assert subject("能用吗") == []


def test_titled_page_is_kept_only_when_nothing_matched():
    lead = passage("创建与共享自定义镜像", ["跨地域复制镜像"])
    other = passage("镜像拉取失败", ["可能原因"])
    assert titled_by(lead, ["镜像", "地域"], tokenize, {})
    assert nearest_titled([lead, other], subject("镜像能拿到别的地域用吗"), tokenize, {}) is lead
    assert nearest_titled([other, lead], subject("镜像能拿到别的地域用吗"), tokenize, {}) is None  # 地域 not in its title
    matched = passage("镜像拉取失败", ["可能原因"], match="partial")
    assert nearest_titled([lead, matched], subject("镜像能拿到别的地域用吗"), tokenize, {}) is None


def test_unknown_terms_or_no_subject_still_get_nothing():
    lead = passage("创建与共享自定义镜像", ["跨地域复制镜像"], unknown_terms=["vGPU"])
    assert nearest_titled([lead], ["镜像"], tokenize, {}) is None
    assert nearest_titled([passage("创建与共享自定义镜像", [])], [], tokenize, {}) is None
    assert nearest_titled([], ["镜像"], tokenize, {}) is None


def test_head_df_counts_chunks_heading_a_word():
    index = BM25Index.build([(1, "跨 地域 复制 镜像", "镜像 拿到"), (2, "镜像 拉取", "地域"), (3, "其他", "拿到")], 1)
    assert index.head_df("镜像") == 2
    assert index.head_df("地域") == 1
    assert index.head_df("拿到") == 0
    assert index.head_df("没有") == 0



def test_on_the_demo_base_the_page_titled_by_the_subject_is_kept_hedged(demo):
    # too few of its words reach the bars ("拿到" is rare), yet its first-ranked section is 跨地域复制镜像
    from tests.knowledge.test_word_forms import chosen

    kept = chosen(demo, "镜像能拿到别的地域用吗")
    assert [p.source for p in kept] == ["docs/scs/custom-image.md"]
    assert kept[0].meta["match"] == "partial" and kept[0].meta["nearest"]
    assert chosen(demo, "Redis 集群怎么扩容") == []  # a rare subject no heading of the page names: nothing


def test_a_rare_name_beside_the_product_a_page_declares_is_a_detail_of_its_case(demo):
    # "websocket" is written once in the base (a DNS page): the question still names the CLB pages' own product,
    # so their scheduling section answers; the rare name alone ("Redis 集群…") still leaves nothing
    from tests.knowledge.test_word_forms import chosen

    kept = chosen(demo, "负载均衡后面是 websocket 长连接，后端连接数很不均匀，用哪种调度算法")
    assert kept and kept[-1].source == "docs/clb/clb-overview.md", [p.source for p in kept]
    assert chosen(demo, "Redis 集群怎么扩容") == []
