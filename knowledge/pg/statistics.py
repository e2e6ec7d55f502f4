"""The keyword statistics PostgreSQL keeps per base, moved along inside the writer's transaction.

A base's chunk count and total length (`kbs`), its per-token chunk counts (`term_df`) and its
mined domain terms (`terms`) change in the same transaction as the chunks they describe
(knowledge.pg.catalog writes documents, knowledge.pg.corpus re-tokenizes chunks), so BM25 and
IDF weights read on any replica match the chunks it sees.
Tests: tests/storage/test_knowledge_server.py, test_corpus_server.py.
"""

from __future__ import annotations

from typing import Any, Iterable

from knowledge.pg.lexical import tsvector_literal


def insert_terms(conn: Any, kb: str, terms: Iterable[tuple[str, str]]) -> None:
    """Inside a transaction: record mined domain terms (known ones are kept)."""
    pairs = list(terms)
    conn.execute("INSERT INTO terms (kb, term, kind) SELECT %s, t, k FROM unnest(%s::text[], %s::text[]) AS x(t, k) "
                 "ON CONFLICT DO NOTHING", (kb, [t for t, _ in pairs], [k for _, k in pairs]))


def retokenize(conn: Any, kb: str, rows: list[tuple[int, list[str], list[str]]]) -> None:
    """Inside a transaction: (chunk row id, head tokens, body tokens) replace those chunks' keyword
    index, with the base's lengths and per-token counts moved along."""
    ids = [r[0] for r in rows]
    count_chunks(conn, kb, "c.id = ANY(%s)", ids, -1)
    with conn.cursor() as cur:
        cur.executemany("UPDATE chunks SET tsv = %s::tsvector, len = %s WHERE id = %s",
                        [(tsvector_literal(h, b), len(h) + len(b), i) for i, h, b in rows])
        cur.executemany("UPDATE chunk_texts SET head = %s, body = %s WHERE id = %s",
                        [(" ".join(h), " ".join(b), i) for i, h, b in rows])
    count_chunks(conn, kb, "c.id = ANY(%s)", ids, +1)


def count_chunks(conn: Any, kb: str, where: str, param: Any, sign: int) -> None:
    """Add (+1) or take away (-1) the chunks `where` picks from the base's N, lengths and per-token counts."""
    conn.execute("UPDATE kbs SET chunk_count = chunk_count + %s * s.n, token_count = token_count + %s * s.l "
                 f"FROM (SELECT COUNT(*) AS n, COALESCE(SUM(len), 0) AS l FROM chunks c WHERE {where}) s "
                 "WHERE kbs.name = %s", (sign, sign, param, kb))
    conn.execute(  # ordered by term: concurrent writers lock term_df rows in one order (no deadlock)
        "INSERT INTO term_df (kb, term, df) SELECT %s, u.lexeme, %s * COUNT(*) FROM chunks c, unnest(c.tsv) u "
        f"WHERE {where} GROUP BY u.lexeme ORDER BY u.lexeme "
        "ON CONFLICT (kb, term) DO UPDATE SET df = term_df.df + excluded.df", (kb, sign, param))
    if sign < 0:
        conn.execute("DELETE FROM term_df WHERE kb = %s AND df <= 0 AND term IN "
                     f"(SELECT u.lexeme FROM chunks c, unnest(c.tsv) u WHERE {where})", (kb, param))
