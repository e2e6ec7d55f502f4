"""Real corpus files end to end: TiDB FAQ pages ingested, their own questions find them."""

from __future__ import annotations

import re

HEADING_Q = re.compile(r"^#{2,3}\s+(.+?[？?])\s*$", re.MULTILINE)


def test_tidb_faq_questions_find_their_page(corpora, make_service):
    folder = corpora / "tidb-docs-cn" / "faq"
    ks = make_service(dense="off")
    report = ks.ingest([folder], kb="tidb-faq").to_json()
    assert report["errors"] == [] and report["added"] == len(list(folder.glob("*.md")))
    queries = [(q, p.name) for p in sorted(folder.glob("*.md")) for q in HEADING_Q.findall(p.read_text(encoding="utf-8"))]
    assert len(queries) > 50
    hits = 0
    for question, source in queries:
        sources = list(dict.fromkeys(p.source for p in ks.search(question, kb="tidb-faq", k=20)))[:5]
        hits += source in sources
    assert hits / len(queries) >= 0.95


def test_istio_analyzer_code_is_one_token_end_to_end(corpora, make_service):
    folder = corpora / "istio-zh" / "content" / "zh" / "docs" / "reference" / "config" / "analysis"
    ks = make_service(dense="off")
    ks.ingest([folder], kb="ist")
    assert "ist0101" in ks.lexicon("ist")
    top = ks.search("IST0101 Referenced gateway not found", kb="ist", k=1)[0]
    assert top.source == "ist0101/index.md"
