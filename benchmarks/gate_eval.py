"""Where turns stop before composition (issue #12 gates): refused, clarified, nothing selected.

    # the demo answer set (conversations, each in a fresh session), keyword only:
    nice -n 10 .venv/bin/python benchmarks/gate_eval.py tests/data/answer_eval/demo.jsonl --data-dir /tmp/g-kw --dense off
    # the corpora sets against the shared corpora ingested as one base "corpora":
    ... tests/data/corpora_eval/*.jsonl --kb corpora --ingest ../shared/corpora --dense off --data-dir /tmp/g-corp
    # off-domain messages (each must be refused) on the same base:
    ... --offdomain benchmarks/data/offdomain_gate.jsonl --kb corpora --data-dir /tmp/g-corp --dense off

Every turn of an in-domain set is expected to reach composition; its outcome is one of
`answered` (cited knowledge), `refused` (the guard or route called it off-domain),
`clarify` (a question back), `not_found` (knowledge route, nothing selected for any of its
questions), `part_not_found` (nothing for one sub-question of several), `runbook` /
`investigate` (a flow started) or `general`. For an `--offdomain` list every message should
be `refused`: anything else is a false accept. Prints the counts per set and each turn that
stopped at a gate; `--out FILE` writes the JSON. Runs against whichever checkout's `app` the
interpreter imports (the baseline with its own interpreter).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from eval_sets import finish, read_jsonl  # benchmarks/eval_sets.py, beside this script

STOPS = ("refused", "clarify", "not_found", "part_not_found")


def build(args: argparse.Namespace):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from app.settings import Settings
    from app.wiring import build_copilot

    data: dict = {"data_dir": str(args.data_dir), "knowledge": {"dense": "off" if args.dense == "off" else "sync"}}
    copilot = build_copilot(Settings.model_validate(data))
    ks = copilot.context.knowledge
    if args.ingest and not ks.has_kb(args.kb):
        started = time.perf_counter()
        ks.ingest([Path(p) for p in args.ingest], kb=args.kb)
        print(f"ingested into {args.kb} in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if args.dense != "off":
        ks.wait_dense()
    return copilot


def outcome(result: dict) -> str:
    """One word for where the turn ended (the first section that stopped, else the turn's route)."""
    if result.get("refused"):
        return "refused"
    sections = result.get("sections") or []
    routes = [s.get("route") for s in sections]
    for stop in ("refuse", "clarify"):
        if stop in routes:
            return "refused" if stop == "refuse" else "clarify"
    knowledge = [s for s in sections if s.get("route") == "knowledge"]
    if knowledge and not any(s.get("citations") for s in knowledge):
        return "not_found"
    if any(not s.get("citations") for s in knowledge):
        return "part_not_found"  # one sub-question of several got nothing
    for flow in ("runbook", "investigate", "general"):
        if flow in routes or result.get("route") == flow:
            return flow
    if result.get("route") == "greet":
        return "greet"
    return "answered"


def turns_of(item: dict) -> list[str]:
    return [t["message"] for t in item["turns"]] if "turns" in item else [item.get("question") or item["message"]]


def run_set(copilot, items: list[dict], kb: str | None, expected: str = "answered") -> dict:
    counts: Counter = Counter()
    first: Counter = Counter()
    stops = []
    run = uuid.uuid4().hex[:8]
    for ci, item in enumerate(items):
        session = f"gate-{run}-{ci}"
        base = kb or (item.get("kb") if item.get("kb") and copilot.context.knowledge.has_kb(item["kb"]) else None)
        for ti, message in enumerate(turns_of(item), 1):
            result = copilot.ask(message, session, kb=base).to_json()
            what = outcome(result)
            counts[what] += 1
            if ti == 1:
                first[what] += 1
            if what != expected:
                stops.append({"id": item.get("id") or f"item-{ci + 1}", "turn": ti, "message": message,
                              "outcome": what, "decision": result.get("decision"),
                              "score": (result.get("trace") or {}).get("guard", {}).get("score")})
    return {"n": sum(counts.values()), "counts": dict(counts), "first_turns": dict(first), "stops": stops}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--offdomain", type=Path, action="append", default=[],
                        help="a list of messages that must be refused (jsonl with `message`)")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--kb", default=None)
    parser.add_argument("--ingest", nargs="*")
    parser.add_argument("--dense", choices=("on", "off"), default="on")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    copilot = build(args)
    results = {}
    for path, off in [(p, False) for p in args.sets] + [(p, True) for p in args.offdomain]:
        items = read_jsonl(path)
        started = time.perf_counter()
        result = run_set(copilot, items, args.kb, "refused" if off else "answered")
        result["offdomain"] = off
        results[path.stem] = result
        c = result["counts"]
        if off:
            accepted = result["n"] - c.get("refused", 0)
            print(f"{path.stem} (off-domain): {result['n']} messages, refused {c.get('refused', 0)}, "
                  f"false accepts {accepted} {dict(c)} | {time.perf_counter() - started:.0f}s")
            shown = result["stops"]
        else:
            print(f"{path.stem}: {result['n']} turns, " + ", ".join(f"{k} {c.get(k, 0)}" for k in STOPS)
                  + f" | all {dict(c)} | first turns {result['first_turns']} | {time.perf_counter() - started:.0f}s")
            shown = [s for s in result["stops"] if s["outcome"] in STOPS]
        for s in shown:
            print(f"  {s['outcome']:9} {s['id']}#{s['turn']} {s['message'][:60]} (score {s['score']}, "
                  f"decision {s['decision']})")
    return finish(copilot, args.out, results)


if __name__ == "__main__":
    sys.exit(main())
