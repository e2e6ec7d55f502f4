"""Keyword index in PostgreSQL: jieba tokens as a tsvector with a GIN index, BM25 in SQL.

A chunk's tokens (the same `tokenize` output the SQLite FTS5 columns hold) are written as
a `tsvector` literal — no Postgres text parser, so `max_connections`, `nginx.conf` and
Chinese words stay whole — one position per occurrence: head (title/heading) tokens at
positions 1..255, body tokens from 256 on, so a token's head and body frequencies are its
positions below and above that line.

Search mirrors knowledge.bm25 (FTS5's bm25(): k1=1.2, b=0.75, head weight applied to term
frequencies, length = all tokens, IDF log((N - n + 0.5) / (n + 0.5)) floored at 1e-6) with
N, the average length and each token's n kept up to date by the catalog (`kbs`, `term_df`).
Candidates come from the GIN index, rarest query tokens first: the chunks holding the tokens
whose chunk counts sum to a budget are scored with every query token (each candidate's
vector cut down to the query tokens in C: `setweight` marks them, `ts_filter` keeps them). A
chunk outside that set holds only the left-out, common tokens and can score at most
sum(idf * (k1 + 1)) over them; when the `limit`-th candidate already scores more, the
ranking is exact BM25, else the budget grows and the search repeats — up to
`max_candidates` rows, beyond which a query of only common words on a huge base is ranked
among the chunks holding its rarer words. Limits of tsvector: positions above 16383 share
one, a token keeps at most 256 positions per chunk, a title of more than 255 tokens counts
its tail as body.
"""

from __future__ import annotations

from importlib import resources

K1 = 1.2
B = 0.75
MAX_LEXEME_BYTES = 2000  # tsvector refuses longer lexemes (2046 bytes)
MAX_POSITION = 16383
BODY_START = 256  # positions below: head tokens; from here: body tokens


def quote(token: str) -> str:
    """A lexeme as tsvector/tsquery input: quoted, with quotes doubled and backslashes escaped."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def usable(token: str) -> bool:
    return bool(token) and len(token.encode("utf-8")) <= MAX_LEXEME_BYTES


def tsvector_literal(head: list[str], body: list[str]) -> str:
    """`'token':1,3 'other':256` — every occurrence a position, head ones below BODY_START."""
    positions: dict[str, list[str]] = {}
    for start, tokens in ((1, head[:BODY_START - 1]), (BODY_START, head[BODY_START - 1:] + body)):
        for offset, token in enumerate(tokens):
            if usable(token):
                positions.setdefault(token, []).append(str(min(start + offset, MAX_POSITION)))
    return " ".join(f"{quote(t)}:{','.join(p[:256])}" for t, p in positions.items())


def bm25_function() -> str:
    """`CREATE OR REPLACE FUNCTION sc_bm25(...)`: the search, in the database (knowledge/pg/bm25.sql)."""
    return resources.files("knowledge.pg").joinpath("bm25.sql").read_text(encoding="utf-8")
