"""Query sets read from the corpora's own FAQ pages (latency workloads for benchmarks/ingest_search.py).

TiDB FAQ headings ending in ？/? (gold: their own file) and Istio FAQ page titles (gold:
their own file). Questions copied from headings match their pages almost word for word,
so they measure speed, not recall (recall: benchmarks/retrieval_eval.py on the frozen sets).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.loaders.markdown import front_matter  # noqa: E402

TIDB_FAQ = re.compile(r"^(faq/.*|dm/dm-faq|ticdc/ticdc-faq|tidb-lightning/tidb-lightning-faq|tiup/tiup-faq)\.md$")
HEADING_Q = re.compile(r"^#{2,3}\s+(.+?[？?])\s*$", re.MULTILINE)


def tidb_queries(root: Path) -> list[dict]:
    out = []
    for path in sorted(root.rglob("*.md")):
        source = path.relative_to(root).as_posix()
        if TIDB_FAQ.match(source):
            for q in HEADING_Q.findall(path.read_text(encoding="utf-8")):
                out.append({"question": q.strip("`* "), "gold": [source]})
    return out


def istio_queries(root: Path) -> list[dict]:
    out = []
    for path in sorted((root / "content/zh/about/faq").rglob("*.md")):
        if path.name == "_index.md":
            continue
        meta, _ = front_matter(path.read_text(encoding="utf-8"))
        if meta.get("title"):
            out.append({"question": str(meta["title"]), "gold": [path.relative_to(root).as_posix()]})
    return out
