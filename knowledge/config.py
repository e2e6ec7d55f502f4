"""Settings of the knowledge layer (the `knowledge:` section of the settings file)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class KnowledgeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_kb: str = "demo"
    """Knowledge base used when a command names none."""
    chunk_size: int = Field(default=480, ge=50)
    """Target chunk size in characters."""
    chunk_overlap: int = Field(default=60, ge=0)
    """Characters repeated between neighbouring chunks of one section."""
    dense: Literal["sync", "background", "off"] = "background"
    """When chunks are embedded: during ingest ("sync"), in a background thread after the lexical commit, or never ("off"); `smart-copilot ingest` always waits."""
    dense_text_chars: int = Field(default=200, ge=0)
    """Characters of a chunk's prose embedded after its title/heading line (0: the whole chunk as indexed); fewer tokens, faster vectors (docs/benchmarks.md)."""
    dense_skip_code: bool = True
    """Leave chunks that are code, config/JSON dumps or logs without vectors (they stay keyword-searchable)."""
    cli_embed_max_chunks: int = Field(default=1000, ge=0)
    """A command-line `ask` on a base with at most this many chunks waiting for vectors embeds them first; with more it answers by keywords and says so once."""
    lexical_candidates: int = Field(default=50, ge=1)
    """BM25 candidates fed to fusion."""
    head_weight: float = Field(default=3.0, gt=0)
    """BM25 weight of title/heading matches relative to body matches."""
    term_weighting: bool = True
    """Weigh query words by how much more often the base uses them than general Chinese (filler words count less)."""
    coordination: float = Field(default=0.5, ge=0)
    """Keyword ranking: pages are placed with each chunk's BM25 scaled by (share of the query's weighted IDF it holds) ** coordination; a page's chunks keep their plain order (0: off)."""
    page_weight: float = Field(default=0.6, ge=0)
    """Weight of the whole page's BM25 (relative to the chunk's own, both scaled to the best hit) in keyword ranking."""
    question_boost: float = Field(default=0.3, ge=0)
    """Extra keyword score share of question entries (FAQ pairs, sections titled with a question)."""
    identifier_weight: float = Field(default=2.0, ge=1.0)
    """Keyword ranking: query weight factor of a rare exact identifier (IST0161, tidb_mem_quota_query, requesttimetooskewed: an ASCII word with a digit or underscore, or 12+ letters, in under 0.2 % of chunks; 1: off)."""
    named_product_factor: float = Field(default=0.8, ge=0, le=1)
    """Keyword ranking: when the question names a product folder of the base (tidb of `tidb-docs-cn/…`), chunks of pages that never mention a named product keep this share of their score (1: off)."""
    faq_entry_evidence: bool = False
    """Keyword ranking: an FAQ entry's page evidence is its own match (it is its own page) instead of the BM25 of its answer alone; off: it moves relevant FAQ entries above a page's later sections and changed demo / dev_follow answers (docs in the rank15 report)."""
    navigation_factor: float = Field(default=0.3, ge=0, le=1)
    """Keyword score kept by link-list chunks ("相关文档"): their words are other pages' titles."""
    overview_factor: float = Field(default=1.0, ge=0, le=1)
    """Keyword score kept by overview pages (section index pages, pages titled 概述/简介/overview)."""
    page_decay: float = Field(default=0.5, ge=0, le=1)
    """Final ranking: the n-th chunk of one page keeps page_decay**(n-1) of its strength (keyword score when ranking by keywords only, else fused), so one page cannot fill the top."""
    dense_candidates: int = Field(default=50, ge=1)
    """Dense (Chroma) candidates fed to fusion."""
    fusion: Literal["rrf", "scores", "dense_top"] = "rrf"
    """Fusion of keyword and dense candidates: reciprocal rank fusion, "scores" (keyword / best + dense_weight * min-max cosine), or "dense_top" (keyword / best + a bonus of up to dense_weight for the dense top `dense_top` chunks: the vectors reorder keyword near-ties only; see docs/benchmarks.md)."""
    dense_top: int = Field(default=3, ge=1)
    """Fusion "dense_top": how many of the dense ranking's first chunks get a bonus (dense_weight for the first, falling linearly)."""
    rrf_k: int = Field(default=60, ge=1)
    """Reciprocal rank fusion constant: score = sum 1 / (rrf_k + rank)."""
    dense_weight: float = Field(default=1.0, ge=0)
    """Weight of the dense ranking in fusion (lexical weight is 1; measured: rrf 1.0, scores 0.15, dense_top 0.1)."""
    select_calibration: bool = True
    """Calibrate selection per knowledge base from its own score distribution at ingest (knowledge.calibration); False: the fixed thresholds below for every base."""
    calibration_quantile: float = Field(default=0.6, gt=0, lt=1)
    """A passage is relevant when it beats what an unrelated page reaches for this share of probe questions."""
    calibration_strong_quantile: float = Field(default=0.95, gt=0, lt=1)
    """Above this share of probes the match is full; between the two the answer is hedged as partial."""
    calibration_probes: int = Field(default=300, ge=20)
    """Chunks sampled as probe questions when calibrating a base."""
    calibration_min_documents: int = Field(default=3, ge=2)
    """Bases with fewer documents are not calibrated (too few unrelated pages) and use the fixed thresholds."""
    select_threshold: float = Field(default=0.47, ge=0, le=1)
    """Fixed rule (uncalibrated bases): minimum relevance (0..1, see knowledge.select) of a passage with a dense score; the demo base's calibration by benchmarks/retrieval_eval.py --calibrate."""
    select_threshold_lexical: float = Field(default=0.35, ge=0, le=1)
    """Fixed rule: the same for passages found by keywords only (vectors pending or dense off); calibrated likewise."""
    max_passages: int = Field(default=4, ge=1)
    """Passages kept by selection."""
    reranker_path: str | None = None
    """Local cross-encoder directory for optional reranking (None: no rerank)."""
    rerank_candidates: int = Field(default=20, ge=1)
    """Fused candidates passed to the reranker."""
    max_file_mb: float = Field(default=50.0, gt=0)
    """Files larger than this are reported as errors instead of loaded."""
    skip_names: list[str] = ["LICENSE.txt", "MANIFEST.jsonl", "LICENSE", ".DS_Store"]
    """File names never ingested (licence and manifest files of corpora)."""
    max_chunks_per_file: int = Field(default=5000, ge=1)
    """A file that would become more chunks than this is refused with a message (a small zip can expand to a huge text)."""
    writer_wait_s: float = Field(default=60.0, ge=0)
    """How long an ingest (or deletion) waits for another one writing the same base, in any process, before giving up with a message."""
    lexical_max_candidates: int = Field(default=5000, ge=100)
    """Server mode: most chunks the keyword search scores per query (the rarest query words pick them; exact BM25 when the ranking is settled within them; docs/readme-storage.md)."""
    keyword_index_max_chunks: int = Field(default=0, ge=0)
    """Server mode (`serve`): a base with more chunks never gets an in-memory keyword index on a replica; it is always searched in PostgreSQL (`sc_bm25`). 0: no limit."""
