"""Per-base selection calibration: the evidence a passage needs before an answer may use it.

Bars are measured on the base's own score distribution, so a large multi-product corpus
and the small demo base each get their own. Probe questions come from the base itself:
a probe names 3-6 of one chunk's distinctive terms (highest tf-idf). Each probe is
retrieved (keywords; vectors too once the base has them) and the best passage from an
unrelated page — another folder of the base, since a folder's pages share a topic (another
document in a base of hardly any folders) — is scored: what a page reaches by chance
when the question is about something else. That null distribution is kept per chunk class of the scored
passage (`faq`, `overview` = a page's lead section, `specific` = any deeper section),
because short FAQ entries and broad lead sections match by chance differently.

- relevant bars: the null's `quantile` (default 0.6): a passage counts as relevant when it
  beats what an unrelated page reaches for 60% of probes, in matched information (IDF
  mass of the question's words it contains), in share of the question covered, or (with
  vectors) in cosine similarity;
- strong bars: the null's `strong_quantile` (default 0.95): above it the match is full,
  below it (but relevant) the answer is given with a hedge.

The mass evidence is what keeps long spoken questions answerable: words the base never
uses ("咋整", "起不来") lower the share of every passage alike, but not the mass matched.
Computed by KnowledgeService after an ingest that changed the base (and again once its
vectors are complete), stored in the catalog with the base's generation. Nothing here
reads evaluation data. Tests: tests/knowledge/test_calibration.py.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Callable

from knowledge.evidence import chunk_class, coverage, idf_from_counts, matched_mass
from knowledge.text import tokenize as plain_tokenize
from knowledge.types import Passage

METHOD = 5
"""Version of the probing method; stored bars of another version are recomputed (5: a
question-titled page's lead section is an FAQ answer)."""
CLASSES = ("faq", "overview", "specific")
MIN_CLASS_SAMPLES = 20
"""Below this many null samples a class uses the pooled bars of the whole base."""
PROBE_CANDIDATES = 30
"""Passages retrieved per probe to find the best other-document one."""

Search = Callable[[str, str, int], list[Passage]]
DocFrequencies = Callable[[list[str]], tuple[int, dict[str, int]]]
IndexedTokens = Callable[[list[str]], dict[str, list[str]]]


@dataclass
class Bars:
    """Evidence levels for one chunk class; a passage passes when ANY evidence reaches its bar."""

    share: float
    """IDF-weighted share of the question's words found in the passage (0..1)."""
    mass: float
    """Sum of IDF of the question's words found in the passage (this base's IDF scale)."""
    dense: float | None = None
    """Cosine similarity of question and passage vectors (None: not calibrated)."""

    def passed(self, share: float, mass: float, cosine: float | None) -> bool:
        dense_ok = cosine is not None and self.dense is not None and cosine >= self.dense
        return share >= self.share or mass >= self.mass or dense_ok


@dataclass
class Calibration:
    """Relevant and strong bars per chunk class of one base, and how they were measured."""

    kb: str
    generation: int
    probes: int
    relevant: dict[str, Bars]
    strong: dict[str, Bars]
    samples: dict[str, int] = field(default_factory=dict)
    """Null samples per class (pooled bars are used for classes below MIN_CLASS_SAMPLES)."""
    embedder: str = ""
    """Embedder whose cosines the dense bars were measured with ("" : keywords only)."""
    quantiles: tuple[float, float] = (0.6, 0.95)
    """The null quantiles of the relevant and strong bars."""
    method: int = METHOD

    def describes(self, generation: int, embedder: str, quantiles: tuple[float, float]) -> bool:
        """Still valid for the base at `generation` with vectors from `embedder` ("" : none) and these quantiles."""
        return (self.generation, self.embedder, tuple(self.quantiles), self.method) == \
            (generation, embedder, tuple(quantiles), METHOD)

    def bars(self, klass: str, strong: bool = False) -> Bars:
        table = self.strong if strong else self.relevant
        return table.get(klass) or table["all"]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Calibration":
        bars = {k: {c: Bars(**b) for c, b in data[k].items()} for k in ("relevant", "strong")}
        return cls(**{**data, **bars, "quantiles": tuple(data.get("quantiles") or (0.0, 0.0))})


def quantile(values: list[float], q: float) -> float:
    """Nearest-rank quantile of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered))))]


def probe_tokens(tokens: list[str], idf: Callable[[str], float], rng: random.Random) -> list[str]:
    """3-6 of a chunk's distinctive tokens (drawn from its top tf-idf ones)."""
    counts = Counter(tokens)
    ranked = sorted(counts, key=lambda t: (-counts[t] * idf(t), t))
    size = rng.randint(3, 6)
    pool = ranked[: size * 2]
    return rng.sample(pool, min(size, len(pool)))


MIN_FOLDERS = 3
"""A base with fewer folders (flat uploads) counts only other documents as unrelated."""


def folder(source: str) -> str:
    return source.rpartition("/")[0]


def unrelated_rule(sources: list[str]) -> Callable[[str, str], bool]:
    """same_topic(a, b): pages of one folder share a topic, unless the base has hardly any folders."""
    if len({folder(s) for s in sources}) >= MIN_FOLDERS:
        return lambda a, b: folder(a) == folder(b)
    return lambda a, b: a == b


def null_samples(chunks: list[Passage], search: Search, doc_frequencies: DocFrequencies, rng: random.Random,
                 modes: tuple[str, ...], indexed: IndexedTokens | None = None,
                 same_topic: Callable[[str, str], bool] = lambda a, b: a == b,
                 tokenize: Callable[[str], list[str]] = plain_tokenize) -> dict[str, dict[str, list[float]]]:
    """Per class and overall ("all"): best other-document share, mass (and cosine) for each probe.

    `tokenize`: the base's tokenizer, for passages `indexed` does not give tokens of.
    """
    samples: dict[str, dict[str, list[float]]] = {c: {"share": [], "mass": [], "dense": []} for c in ("all", *CLASSES)}
    words_of: dict[str, list[str]] = {}  # candidates repeat across probes; tokenizing dominates the cost

    def words(passages: list[Passage]) -> None:
        missing = [p.chunk_id for p in passages if p.chunk_id not in words_of]
        words_of.update(indexed(missing) if indexed and missing else {})
        for p in passages:
            if p.chunk_id not in words_of:
                words_of[p.chunk_id] = tokenize(p.meta.get("indexed_text") or p.text)

    words(chunks)
    total, counts = doc_frequencies(sorted({t for c in chunks for t in words_of[c.chunk_id]}))  # one vocabulary scan
    idf = idf_from_counts(total, counts)
    for chunk in chunks:
        tokens = words_of[chunk.chunk_id]  # with repeats: the probe's tf-idf
        if len(set(tokens)) < 3:
            continue
        probe = probe_tokens(tokens, idf, rng)
        query = " ".join(probe)
        best: dict[str, dict[str, float]] = {}
        for mode in modes:
            found = search(query, mode, PROBE_CANDIDATES)
            words(found) if mode != "dense" else None
            for p in found:
                if same_topic(p.source, chunk.source):
                    continue
                slot = best.setdefault(chunk_class(p.kind, p.heading_path, p.title), {})
                if mode == "dense":
                    if p.dense_score is not None:
                        slot["dense"] = max(slot.get("dense", -1.0), p.dense_score)
                    continue
                held = set(words_of[p.chunk_id])
                slot["share"] = max(slot.get("share", 0.0), coverage(probe, held, idf))
                slot["mass"] = max(slot.get("mass", 0.0), matched_mass(probe, held, idf))
        overall: dict[str, float] = {}
        for klass, values in best.items():
            for key, value in values.items():
                samples[klass][key].append(value)
                overall[key] = max(overall.get(key, value), value)
        for key, value in overall.items():
            samples["all"][key].append(value)
    return samples


def bars_from(samples: dict[str, list[float]], q: float) -> Bars | None:
    if len(samples["mass"]) < MIN_CLASS_SAMPLES:
        return None
    dense = quantile(samples["dense"], q) if len(samples["dense"]) >= MIN_CLASS_SAMPLES else None
    return Bars(share=round(quantile(samples["share"], q), 4), mass=round(quantile(samples["mass"], q), 3),
                dense=round(dense, 4) if dense is not None else None)


def calibrate(kb: str, generation: int, chunks: list[Passage], search: Search, doc_frequencies: DocFrequencies,
              quantile_level: float = 0.6, strong_level: float = 0.95, embedder: str = "",
              indexed: IndexedTokens | None = None, sources: list[str] | None = None,
              tokenize: Callable[[str], list[str]] = plain_tokenize) -> Calibration | None:
    """Bars for one base from probes on `chunks` (a sample of it); None when too few probes scored."""
    rng = random.Random(f"{kb}:{len(chunks)}")
    modes = ("lexical", "dense") if embedder else ("lexical",)
    same_topic = unrelated_rule(sources or [c.source for c in chunks])
    samples = null_samples(chunks, search, doc_frequencies, rng, modes, indexed, same_topic, tokenize)
    relevant, strong = {}, {}
    for name, values in samples.items():
        low, high = bars_from(values, quantile_level), bars_from(values, strong_level)
        if low is not None and high is not None:
            relevant[name], strong[name] = low, high
    if "all" not in relevant:
        return None
    return Calibration(kb=kb, generation=generation, probes=len(chunks), relevant=relevant, strong=strong,
                       samples={c: len(v["mass"]) for c, v in samples.items()}, embedder=embedder,
                       quantiles=(quantile_level, strong_level))


def calibrate_base(catalog, retriever, kb: str, settings, use_dense: bool) -> Calibration | None:
    """Measure and store the bars of one base (catalog: knowledge.catalog.Catalog, retriever:
    knowledge.retrieve.HybridRetriever); None (nothing stored) when the base is too small."""
    from knowledge.retrieve import passage_from_row

    if len(catalog.documents(kb)) < settings.calibration_min_documents:
        return None
    tokenizer = retriever.corpus.tokenizer(kb)  # first: bringing the index to it moves the generation
    generation = catalog.generation(kb)
    ids = sorted(catalog.chunk_ids(kb))
    picked = random.Random(f"{kb}:{len(ids)}").sample(ids, min(settings.calibration_probes, len(ids)))
    rows = catalog.chunks_by_chunk_id(picked)
    chunks = [passage_from_row(rows[c], 0.0, None, None) for c in picked if c in rows]

    def search(query: str, mode: str, k: int) -> list[Passage]:
        return retriever.retrieve(query, kb, k, mode, use_dense=mode == "dense", rerank=False)

    embedder = catalog.kb_embedder(kb) if use_dense else ""
    found = calibrate(kb, generation, chunks, search, lambda tokens: retriever.corpus.doc_frequencies(kb, tokens),
                      settings.calibration_quantile, settings.calibration_strong_quantile, embedder=embedder,
                      indexed=lambda ids: catalog.chunk_tokens(kb, ids), sources=list(catalog.documents(kb)),
                      tokenize=tokenizer.tokenize)
    if found is not None:
        catalog.save_calibration(kb, generation, found.to_json())
        retriever.reset_calibration(kb)
    return found
