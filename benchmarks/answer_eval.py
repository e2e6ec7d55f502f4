"""Answer-turn pass rates (issue #12) of any checkout, scored by THIS checkout's metric.

    # this checkout, the demo KB as a user has it (default embedder, vectors finished):
    nice -n 10 .venv/bin/python benchmarks/answer_eval.py tests/data/answer_eval/demo.jsonl --data-dir /tmp/a-demo
    # keyword only:
    ... --dense off
    # the shared corpora ingested as one base "corpora", only the faq-tagged items:
    ... tests/data/corpora_eval/tidb.jsonl tests/data/corpora_eval/istio.jsonl --kb corpora \\
        --ingest ../shared/corpora --tag faq --dense off --data-dir /tmp/a-corpora
    # the baseline: run it with the other checkout's interpreter (its own code answers):
    cd /work/wt-probe && .venv/bin/python /work/wt-answers/benchmarks/answer_eval.py ...

The scoring module (app/evaluation/metrics/answer.py of this file's checkout) is loaded by
path, so the answers come from whichever checkout's `app` the interpreter imports while
the checks stay the same. Prints one line per set (pass share and per-check rates), the
per-tag pass shares and the failing turns; `--out FILE` writes the JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

from eval_sets import answer_set_arguments, finish, read_jsonl  # benchmarks/eval_sets.py, beside this script

HERE = Path(__file__).resolve().parents[1]


def load_scoring():
    spec = importlib.util.spec_from_file_location("answer_turn_scoring", HERE / "app/evaluation/metrics/answer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def build(args: argparse.Namespace):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from app.settings import Settings
    from app.wiring import build_copilot

    data: dict = {"data_dir": str(args.data_dir), "knowledge": {"dense": "off" if args.dense == "off" else "sync"}}
    if args.embedder:
        data["models"] = {"embedder": {"backend": args.embedder}}
    copilot = build_copilot(Settings.model_validate(data))
    ks = copilot.context.knowledge
    if args.ingest and not ks.has_kb(args.kb):
        started = time.perf_counter()
        report = ks.ingest([Path(p) for p in args.ingest], kb=args.kb)
        print(f"ingested {report.to_json()['chunks']} chunks into {args.kb} in {time.perf_counter() - started:.0f}s",
              file=sys.stderr)
    if args.dense != "off":
        ks.wait_dense()
    return copilot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    answer_set_arguments(parser)
    parser.add_argument("--tag", action="append", default=[], help="only items/conversations with this tag")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    scoring = load_scoring()
    copilot = build(args)
    results = {}
    for path in args.sets:
        items = read_jsonl(path)
        if args.tag:
            items = [i for i in items if set(args.tag) & set(i.get("tags") or [])]
        items = items[: args.limit] if args.limit else items
        started = time.perf_counter()
        result = scoring.evaluate(items, copilot, args.kb)
        result["seconds"] = round(time.perf_counter() - started, 1)
        results[path.stem] = result
        m = result["metrics"]
        print(f"{path.stem}: {result['n']} turns, pass {m.get('answer_pass', 0):.3f} | facts "
              f"{m.get('answer_facts_complete', 0):.3f} forbidden-free {m.get('answer_no_forbidden', 0):.3f} "
              f"gold-cited {m.get('answer_citation_hit', 0):.3f} length {m.get('answer_within_length', 0):.3f} "
              f"| hedged-right {m.get('answer_hedged_right', 0):.3f} | {result['seconds']}s")
        print("  tags: " + ", ".join(f"{t} {r['answer_pass']:.2f}/{r['n']}" for t, r in result["by_category"].items()))
        for f in result["failures"]:
            print(f"  ✗ {f['id']}#{f['turn']} [{','.join(f['failed'])}] {f['message'][:50]} missing={f['missing']} "
                  f"forbidden={f['forbidden_found']} cited={f['cited'][:3]} chars={f['chars']}/{f['max_chars']}")
    if len(results) > 1:
        turns = sum(r["n"] for r in results.values())
        passed = sum(r["metrics"].get("answer_pass", 0) * r["n"] for r in results.values())
        print(f"all: {turns} turns, pass {passed / turns:.3f}")
    return finish(copilot, args.out, results)


if __name__ == "__main__":
    sys.exit(main())
