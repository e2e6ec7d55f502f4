-- sc_bm25: keyword search in one round trip (knowledge/pg/lexical.py explains the index and the ranking).
-- Statistics, the candidate budget, scoring and the exactness check run here; the scoring query is
-- planned for each call (EXECUTE), so the GIN index is used whatever the tokens.
CREATE OR REPLACE FUNCTION sc_bm25(p_kb TEXT, p_tokens TEXT[], p_limit INTEGER, p_hw DOUBLE PRECISION,
                                   p_cap INTEGER) RETURNS TABLE (id BIGINT, score DOUBLE PRECISION)
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
    k1 CONSTANT DOUBLE PRECISION := 1.2;
    b CONSTANT DOUBLE PRECISION := 0.75;
    n DOUBLE PRECISION;
    avgdl DOUBLE PRECISION;
    terms TEXT[];
    dfs BIGINT[];
    idfs DOUBLE PRECISION[];
    budget INTEGER := GREATEST(20 * p_limit, 1000);
    chosen INTEGER;
    total BIGINT;
    ceiling DOUBLE PRECISION;
    ids BIGINT[];
    scores DOUBLE PRECISION[];
BEGIN
    SELECT k.chunk_count, GREATEST(k.token_count::DOUBLE PRECISION / GREATEST(k.chunk_count, 1), 1e-9)
      INTO n, avgdl FROM kbs k WHERE k.name = p_kb;
    IF n IS NULL OR n <= 0 THEN RETURN; END IF;
    SELECT array_agg(t.term ORDER BY t.df, t.term), array_agg(t.df ORDER BY t.df, t.term)
      INTO terms, dfs FROM term_df t WHERE t.kb = p_kb AND t.term = ANY(p_tokens) AND t.df > 0;
    IF terms IS NULL THEN RETURN; END IF;
    SELECT array_agg(GREATEST(ln((n - d + 0.5) / (d + 0.5)), 1e-6) ORDER BY o)
      INTO idfs FROM unnest(dfs) WITH ORDINALITY AS x(d, o);
    LOOP
        chosen := 1;  -- the rarest tokens whose chunk counts fit the budget (at least one)
        total := dfs[1];
        WHILE chosen < cardinality(terms) AND total + dfs[chosen + 1] <= budget LOOP
            chosen := chosen + 1;
            total := total + dfs[chosen];
        END LOOP;
        EXECUTE $q$
            WITH q AS (SELECT * FROM unnest($1::TEXT[], $2::DOUBLE PRECISION[]) AS q(term, idf)),
            cand AS (SELECT c.id, ts_filter(setweight(c.tsv, 'A', $1), '{a}') AS hit, c.len FROM chunks c
                     WHERE c.kb = $3 AND c.tsv @@ $4::tsquery LIMIT $5),
            scored AS (
                SELECT cand.id, SUM(q.idf * f.freq * ($6 + 1) / (f.freq + $6 * (1 - $7 + $7 * cand.len / $8))) AS score
                FROM cand
                CROSS JOIN LATERAL unnest(cand.hit) AS u(lexeme, positions, weights)
                JOIN q ON q.term = u.lexeme
                CROSS JOIN LATERAL (SELECT $9 * COUNT(*) FILTER (WHERE p < 256) + COUNT(*) FILTER (WHERE p >= 256) AS freq
                                    FROM unnest(u.positions) AS p) AS f
                GROUP BY cand.id ORDER BY score DESC, cand.id LIMIT $10)
            SELECT array_agg(s.id ORDER BY s.score DESC, s.id), array_agg(s.score ORDER BY s.score DESC, s.id)
            FROM scored s
        $q$ INTO ids, scores
        USING terms, idfs, p_kb,
              (SELECT string_agg('''' || replace(replace(t, '\', '\\'), '''', '''''') || '''', ' | ')
                 FROM unnest(terms[1:chosen]) AS t),
              p_cap, k1, b, avgdl, p_hw, p_limit;
        -- a chunk holding none of the chosen tokens scores at most this (BM25's tf part stays below k1 + 1)
        SELECT COALESCE(SUM(x), 0) * (k1 + 1) INTO ceiling FROM unnest(idfs[chosen + 1:]) AS x;
        IF chosen = cardinality(terms) OR budget >= p_cap
           OR (COALESCE(cardinality(ids), 0) >= p_limit AND scores[p_limit] > ceiling) THEN
            RETURN QUERY SELECT * FROM unnest(ids, scores);
            RETURN;
        END IF;
        budget := LEAST(4 * budget, p_cap);
    END LOOP;
END
$fn$;
