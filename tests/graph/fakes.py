"""A small in-memory stand-in for KnowledgeService (same methods, BM25-free overlap scoring).

Used by the graph's unit tests where retrieval quality does not matter; end-to-end tests
use the real KnowledgeService on the demo KB.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from knowledge.text import KBTokenizer
from knowledge.types import Passage


def page_chunk(source: str, title: str, chunk_id: str, heads: list[str], text: str) -> Passage:
    """One chunk of a made-up page, indexed the way ingest writes it (title > headings, then the text)."""
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=heads, text=text, kind="doc",
                   kb="demo", meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text})


def single_page_units(question: str, source: str, title: str, text: str, qtype: str) -> str:
    """The extractive answer's units, joined, when one whole page (no headings) is the evidence."""
    from graph.extractive import extractive_units

    passage = {"kind": "doc", "source": source, "title": title, "heading_path": [], "text": text, "meta": {},
               "chunk_id": "c1"}
    return " ".join(u["text"] for u in extractive_units(question, [passage], qtype=qtype))


def extractive_answer(page: list[Passage], question: str, qtype: str) -> str:
    """The extractive answer's text when selection chose the page's first chunk (evidence adds the rest)."""
    from graph.answer_text import units_text
    from graph.evidence import build_evidence
    from graph.extractive import extractive_units
    from graph.passages import to_state
    from graph.relevance import question_terms

    chosen = [to_state(page[0])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(page).document_chunks, qtype, terms)
    return units_text(extractive_units(question, evidence, qtype=qtype))


def passage(chunk_id: str, source: str, title: str, text: str, kind: str = "doc", question: str = "") -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=[title], text=text, kind=kind,
                   kb="demo", meta={"question": question} if question else {})


SAMPLE = [
    passage("ssh-1", "docs/scs/ssh-login-failed.md", "SSH 登录失败排查",
            "SSH 连接超时通常是网络不通。请检查安全组入方向是否放通 TCP 22 端口。"
            "排查步骤：\n1. 确认实例处于运行中\n2. 检查安全组是否放通 22 端口\n3. 通过 VNC 登录检查 sshd 服务状态"),
    passage("cpu-1", "docs/scs/cpu-high.md", "CPU 使用率 100% 排查",
            "CPU 使用率长时间接近 100% 时，先用 top 查看占用最高的进程。突发性能实例的 CPU 积分耗尽也会导致性能受限。"),
    passage("mysql-1", "docs/mysql/too-many-connections.md", "MySQL Too many connections",
            "出现 Too many connections 说明连接数达到 max_connections 上限。可以在控制台调大 max_connections 参数。"),
    passage("faq-1", "faq/faq.jsonl", "常见问题", "云服务器的 SSH 服务默认监听 TCP 22 端口。", kind="faq",
            question="云服务器 SSH 默认端口是多少？"),
    passage("sg-1", "docs/vpc/security-group.md", "安全组",
            "安全组是实例级别的虚拟防火墙，规则修改后立即生效。安全组规则不生效时，请检查规则的优先级和方向。"),
]


class FakeKnowledge:
    """search/select/lexicon/statistics/iter_chunks/list_kbs over a fixed passage list."""

    def __init__(self, passages: list[Passage] | None = None,
                 lexicon: set[str] | None = None) -> None:
        self.passages = list(passages or SAMPLE)
        self._lexicon = lexicon if lexicon is not None else {"云服务器", "安全组", "ssh", "mysql", "cpu", "vnc"}
        self.searches: list[str] = []
        self._tokenizer = KBTokenizer(self._lexicon)  # like the real service: domain words stay whole

    def search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        self.searches.append(query)
        q = set(self.tokenize(query))
        scored = []
        for p in self.passages:
            tokens = self._chunk_tokens(p)
            overlap = len(q & tokens) / (len(q) or 1)
            if overlap > 0:
                scored.append(replace(p, score=overlap, lexical_score=overlap, dense_score=0.5 + overlap / 2))
        return sorted(scored, key=lambda p: -p.score)[:k]

    def keyword_search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        return self.search(query, kb, k)  # this stand-in ranks by word overlap only

    def search_bases(self, query: str, kbs, k: int = 8) -> list[Passage]:
        """Every chosen base holds the same passages here; each hit names the first base."""
        return [replace(p, kb=kbs[0]) for p in self.search(query, k=k)]

    def select(self, query: str, passages: list[Passage], max_passages: int = 4,
               alternatives: Mapping[str, Sequence[str]] | None = None) -> list[Passage]:
        kept = [p for p in passages if p.score >= 0.2][:max_passages]
        return list(reversed(kept))

    def lexicon(self, kb: str | None = None) -> set[str]:
        return set(self._lexicon)

    def document_chunks(self, kb: str, source: str) -> list[dict]:
        return [{"chunk_id": p.chunk_id, "heading_path": list(p.heading_path), "text": p.text,
                 "indexed_text": p.text, "kind": p.kind} for p in self.passages if p.source == source]

    def iter_chunks(self, kb: str | None = None):
        yield from self.passages

    def _chunk_tokens(self, p: Passage) -> set[str]:
        return set(self.tokenize(p.title + " " + " ".join(p.heading_path) + " " + p.text + " " + p.meta.get("question", "")))

    def generation(self, kb: str | None = None) -> int:
        return len(self.passages)

    def tokenize(self, text: str, kb: str | None = None) -> list[str]:
        return self._tokenizer.tokenize(text)

    def doc_frequencies(self, tokens: list[str], kb: str | None = None) -> tuple[int, dict[str, int]]:
        sets = [self._chunk_tokens(p) for p in self.passages]
        return len(sets), {t: n for t in tokens if (n := sum(t in s for s in sets))}

    def cooccurrence(self, token: str, others: list[str], kb: str | None = None) -> tuple[int, int]:
        sets = [s for s in (self._chunk_tokens(p) for p in self.passages) if token in s]
        return len(sets), sum(1 for s in sets if any(o in s for o in others))

    def topics(self, kb: str | None = None) -> list[str]:
        from knowledge.corpus import topics_of

        return topics_of(self._lexicon, list(dict.fromkeys(p.title for p in self.passages)))

    def word_counts(self, kb: str | None = None) -> dict[str, int]:
        from collections import Counter

        counts = Counter(t for p in self.passages for t in self._chunk_tokens(p))
        return {t: n for t, n in counts.items() if n >= 2}

    def aliases(self, kb: str | None = None) -> dict[str, list[str]]:
        from knowledge.aliases import mine_aliases

        return mine_aliases(p.text for p in self.passages)

    def list_kbs(self) -> list[dict]:
        return [{"name": "demo", "documents": 4, "chunks": len(self.passages), "dense_coverage": 1.0}]

    def has_kb(self, name: str) -> bool:
        return name == "demo"

    def vector_fallbacks(self) -> int:
        return 0

    def vector_notice(self, since: int) -> str | None:
        return None


class WordBase:
    """A base that knows exactly these words (the spoken-form rules ask only `knows`)."""

    def __init__(self, words: set[str]) -> None:
        self.words = words

    def knows(self, token: str) -> bool:
        return token in self.words
