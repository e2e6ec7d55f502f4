"""Keyword index in PostgreSQL: jieba tokens as a tsvector with a GIN index, BM25 in SQL.

A chunk's tokens (the same `tokenize` output the SQLite FTS5 columns hold) are written as
a `tsvector` literal — no Postgres text parser, so `max_connections`, `nginx.conf` and
Chinese words stay whole: head (title/heading) tokens at weight A, body tokens at weight D,
each occurrence its own position, so term frequencies per column can be read back.

Search mirrors knowledge.bm25 (FTS5's bm25(): k1=1.2, b=0.75, head weight applied to term
frequencies, length = all tokens, IDF log((N - n + 0.5) / (n + 0.5)) floored at 1e-6) with
N, the average length and each token's n kept up to date by the catalog (`kbs`, `term_df`).
Candidates come from the GIN index, rarest query tokens first: the chunks holding the tokens
whose chunk counts sum to a small budget are scored with every query token. A chunk outside
that set holds only the left-out (common, low-IDF) tokens, so it can score at most
sum(idf * (k1 + 1)) over them; when the `limit`-th candidate already scores more, the
ranking is exact BM25, else the budget doubles and the search repeats — up to
`max_candidates` rows, beyond which a query of only very common words on a huge base is
ranked among a bounded set. Per candidate only its query tokens are unpacked (`ts_delete`
keeps them). Limits of tsvector: positions above 16383 share one, and a token keeps at
most 256 positions per chunk.
"""

from __future__ import annotations

import math
from typing import Any

K1 = 1.2
B = 0.75
MAX_LEXEME_BYTES = 2000  # tsvector refuses longer lexemes (2046 bytes)
MAX_POSITION = 16383


def quote(token: str) -> str:
    """A lexeme as tsvector/tsquery input: quoted, with quotes doubled and backslashes escaped."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def usable(token: str) -> bool:
    return bool(token) and len(token.encode("utf-8")) <= MAX_LEXEME_BYTES


def tsvector_literal(head: list[str], body: list[str]) -> str:
    """`'token':1A,3A 'other':2` — every occurrence a position, head ones at weight A."""
    positions: dict[str, list[str]] = {}
    pos = 0
    for weight, tokens in (("A", head), ("", body)):
        for token in tokens:
            pos += 1
            if usable(token):
                positions.setdefault(token, []).append(f"{min(pos, MAX_POSITION)}{weight}")
    return " ".join(f"{quote(t)}:{','.join(p[:256])}" for t, p in positions.items())


def idf(n_chunks: int, df: int) -> float:
    return max(math.log((n_chunks - df + 0.5) / (df + 0.5)), 1e-6)


def candidate_terms(dfs: dict[str, int], budget: int) -> list[str]:
    """The rarest tokens whose chunk counts sum to at most `budget` (at least one)."""
    chosen: list[str] = []
    total = 0
    for term, df in sorted(((t, d) for t, d in dfs.items() if d > 0), key=lambda item: (item[1], item[0])):
        if chosen and total + df > budget:
            break
        chosen.append(term)
        total += df
    return chosen


SEARCH_SQL = """
WITH q AS (SELECT * FROM unnest(%(terms)s::text[], %(idf)s::float8[]) AS q(term, idf)),
cand AS (SELECT id, ts_delete(tsv, tsvector_to_array(ts_delete(tsv, %(terms)s::text[]))) AS tsv, len
         FROM chunks WHERE kb = %(kb)s AND tsv @@ %(query)s::tsquery LIMIT %(cap)s)
SELECT cand.id, SUM(q.idf * f.freq * (%(k1)s + 1) / (f.freq + %(k1)s * (1 - %(b)s + %(b)s * cand.len / %(avgdl)s))) AS score
FROM cand
CROSS JOIN LATERAL unnest(cand.tsv) AS u(lexeme, positions, weights)
JOIN q ON q.term = u.lexeme
CROSS JOIN LATERAL (SELECT %(hw)s * COUNT(*) FILTER (WHERE w = 'A') + COUNT(*) FILTER (WHERE w <> 'A') AS freq
                    FROM unnest(u.weights) AS w) AS f
GROUP BY cand.id
ORDER BY score DESC, cand.id
LIMIT %(limit)s
"""


def bm25_search(conn: Any, kb: str, tokens: list[str], limit: int, head_weight: float, stats: tuple[int, int],
                dfs: dict[str, int], max_candidates: int) -> list[tuple[int, float]]:
    """(chunk row id, BM25 score) best first; `stats` = (chunks, tokens) of the base, `dfs` per token."""
    n_chunks, n_tokens = stats
    present = {t: d for t, d in dfs.items() if d > 0 and usable(t)}
    if not present or n_chunks <= 0 or limit <= 0:
        return []
    terms = list(present)
    weights = {t: idf(n_chunks, present[t]) for t in terms}
    params = {"terms": terms, "idf": [weights[t] for t in terms], "kb": kb, "cap": max_candidates, "k1": K1, "b": B,
              "avgdl": max(n_tokens / n_chunks, 1e-9), "hw": head_weight, "limit": limit}
    budget = max(10 * limit, 500)
    while True:
        chosen = candidate_terms(present, budget)
        params["query"] = " | ".join(quote(t) for t in chosen)
        rows = [(int(r["id"]), float(r["score"])) for r in conn.execute(SEARCH_SQL, params).fetchall()]
        left_out = [t for t in terms if t not in chosen]
        ceiling = sum(weights[t] * (K1 + 1) for t in left_out)  # best score a chunk with only these could get
        if not left_out or budget >= max_candidates or (len(rows) >= limit and rows[limit - 1][1] > ceiling):
            return rows
        budget = min(2 * budget, max_candidates)
