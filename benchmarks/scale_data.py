"""Generated knowledge for benchmarks/server_scale.py: text for scale, not for quality.

A fixed vocabulary of jieba tokens with their frequencies, cut from a sample of the shared
corpora, drawn at random into "documents": as Markdown pages for the ingest path
(`write_pages`), or COPY'd straight into the tables ingest writes (`bulk_load`).
"""

from __future__ import annotations

import itertools
import json
import random
import time
from collections import Counter
from pathlib import Path

from benchmarks.storage_bench import CORPORA, SETS
from knowledge.pg.lexical import tsvector_literal
from knowledge.service import KnowledgeService
from knowledge.text import tokenize

PER_DOC = 50  # chunks per generated document
HEAD, BODY = 4, 40  # tokens per generated chunk


def vocabulary(files: int) -> tuple[list[str], list[float]]:
    """Token frequencies of `files` corpus pages (every n-th of each corpus): the fixed vocabulary."""
    counts: Counter = Counter()
    for folder in SETS.values():
        pages = sorted((CORPORA / folder).rglob("*.md"))
        for page in pages[:: max(1, len(pages) // files)]:
            counts.update(t for t in tokenize(page.read_text(encoding="utf-8", errors="replace")) if t.strip())
    tokens = [t for t, n in counts.most_common(60000)]
    total = sum(counts[t] for t in tokens)
    return tokens, [counts[t] / total for t in tokens]


def joined(tokens: list[str]) -> str:
    """Tokens as Chinese-like text: CJK runs written together, other tokens spaced."""
    out = []
    for t in tokens:
        out.append(t if "\u4e00" <= t[0] <= "\u9fff" else f" {t} ")
    return "".join(out).strip()


def write_pages(folder: Path, first: int, docs: int, vocab: tuple[list[str], list[float]]) -> None:
    rng = random.Random(first)
    tokens, probs = vocab
    cum = list(itertools.accumulate(probs))
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(first, first + docs):
        parts = [f"# {joined(rng.choices(tokens, cum_weights=cum, k=HEAD))} {d}"]
        for s in range(PER_DOC):
            parts.append(f"## {joined(rng.choices(tokens, cum_weights=cum, k=HEAD))} {s}")
            parts.append(joined(rng.choices(tokens, cum_weights=cum, k=BODY)) + "。")
        (folder / f"page{d}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def bulk_load(ks: KnowledgeService, kb: str, n: int, vocab: tuple[list[str], list[float]]) -> tuple[float, float]:
    """n generated chunks COPY'd into the tables ingest writes; returns (COPY s, index + statistics s)."""
    import numpy as np

    tokens, probs = vocab
    ks.catalog.ensure_kb(kb)
    ks.corpus.tokenizer(kb)  # records the tokenizer identity on the empty base: nothing to re-tokenize later
    rng = np.random.default_rng(7)
    vocab_arr = np.asarray(tokens, dtype=object)
    started = time.perf_counter()
    with ks.catalog.pool.connection() as conn:
        conn.execute("DROP INDEX IF EXISTS chunks_tsv")  # load first, index once
        docs = (n + PER_DOC - 1) // PER_DOC
        first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM documents").fetchone()["id"]
        conn.execute("SELECT setval('documents_id_seq', %s)", (first + docs,))
        with conn.cursor().copy("COPY documents (id, kb, source, title, content_hash, version, state, chunks, meta, "
                                "created_at, updated_at) FROM STDIN") as copy:
            for d in range(docs):
                copy.write_row((first + d, kb, f"generated/{d}.md", f"generated page {d}", str(d), 1, "lexical",
                                min(PER_DOC, n - d * PER_DOC), "{}", 0.0, 0.0))
        base = conn.execute("SELECT nextval('chunks_id_seq') AS id").fetchone()["id"] + 1
        conn.execute("SELECT setval('chunks_id_seq', %s)", (base + n,))
        for start in range(0, n, 20000):
            size = min(20000, n - start)
            picks = vocab_arr[rng.choice(len(tokens), size=(size, HEAD + BODY), p=probs)]
            rows = []
            for i in range(size):
                head, body = list(picks[i, :HEAD]), list(picks[i, HEAD:])
                rows.append((base + start + i, head, body))
            with conn.cursor().copy("COPY chunks (id, chunk_id, doc_id, kb, ord, kind, len, tsv) FROM STDIN") as copy:
                for rowid, head, body in rows:
                    row = rowid - base
                    copy.write_row((rowid, f"gen-{row}", first + row // PER_DOC, kb, row % PER_DOC, "doc",
                                    HEAD + BODY, tsvector_literal(head, body)))
            with conn.cursor().copy("COPY chunk_texts (id, heading_path, text, indexed_text, meta, head, body) "
                                    "FROM STDIN") as copy:
                for rowid, head, body in rows:
                    title, text = joined(head), joined(body)
                    copy.write_row((rowid, json.dumps([title], ensure_ascii=False), text, f"{title}\n{text}", "{}", " ".join(head),
                                    " ".join(body)))
        loaded = time.perf_counter() - started
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("CREATE INDEX chunks_tsv ON chunks USING GIN (tsv)")
        conn.execute("INSERT INTO term_df (kb, term, df) SELECT %s, u.lexeme, COUNT(*) FROM chunks c, unnest(c.tsv) u "
                     "WHERE c.kb = %s GROUP BY u.lexeme", (kb, kb))
        conn.execute("UPDATE kbs SET chunk_count = s.n, token_count = s.l, generation = generation + 1 FROM "
                     "(SELECT COUNT(*) AS n, SUM(len) AS l FROM chunks WHERE kb = %s) s WHERE name = %s", (kb, kb))
        conn.execute("ANALYZE chunks")
        conn.execute("ANALYZE chunk_texts")
    return loaded, time.perf_counter() - started - loaded
