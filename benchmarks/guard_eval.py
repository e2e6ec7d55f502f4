"""False refusals and false accepts of the guard on a labelled message list (issue #12, gate4).

    nice -n 10 .venv/bin/python benchmarks/guard_eval.py tests/data/guard_eval/spoken.jsonl \
        --data-dir /tmp/sc-guard-demo --dense off    # one dir, reused: the demo base is ingested once
    # the guard node's verdict only (no retrieval/composition; what tests/graph/test_guard_eval.py checks):
    ... --guard-only

Each message (`{"message", "in_domain", "category"}`; `"expected": "greet"` marks a greeting; an answer
set's `{"question", "corpus"}` lines count as in-domain, so the frozen corpora questions check that
the guard refuses none of them:
    ... tests/data/corpora_eval/{kubernetes,tidb,istio}.jsonl --kb corpora --guard-only) is
asked in a fresh session of the demo base (`--kb`), the copilot built as the CLI builds it (config
file, SMART_COPILOT__* settings); a turn is `refused` when the guard or route refused it (benchmarks/gate_eval.outcome).
Prints the false-refusal rate over the in-domain messages, the false-accept rate over the
off-domain ones, per category, and every message on the wrong side. Runs against whichever
checkout's `app` the interpreter imports.
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
from gate_eval import outcome


def build(data_dir: Path, dense: str, config: Path | None = None):
    """The copilot as `smart-copilot ask` builds it: the config file and SMART_COPILOT__* settings
    apply (a guard threshold set there is the one measured), with the data dir and dense mode given."""
    from app.settings import apply_offline_defaults, load_settings
    from app.wiring import build_copilot

    apply_offline_defaults()
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(data_dir),
           "SMART_COPILOT__KNOWLEDGE__DENSE": "off" if dense == "off" else "sync"}
    copilot = build_copilot(load_settings(config, env=env), background=False, vectors_required=False)
    if dense != "off":
        copilot.context.knowledge.wait_dense()
    return copilot


def judged(copilot, message: str, kb: str, guard_only: bool, session: str) -> tuple[str, float | None]:
    if guard_only:
        from graph.domain_check import judge_message
        from graph.nodes.guard import in_conversation

        ctx = copilot.context
        verdict = judge_message(ctx, message, kb, {})
        if verdict["kind"] == "refuse":
            verdict = in_conversation(ctx, message, [], kb, verdict, {})
        return {"refuse": "refused", "greet": "greet"}.get(verdict["kind"], "answered"), verdict.get("score")
    result = copilot.ask(message, session, kb=kb).to_json()
    return outcome(result), (result.get("trace") or {}).get("guard", {}).get("score")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--kb", default="demo")
    parser.add_argument("--dense", choices=("on", "off"), default="off")
    parser.add_argument("--config", type=Path, help="a settings file, as `smart-copilot --config`")
    parser.add_argument("--guard-only", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    copilot = build(args.data_dir, args.dense, args.config)
    run = uuid.uuid4().hex[:8]
    results = {}
    for path in args.sets:
        started = time.perf_counter()
        wrong, per_cat, n = [], Counter(), Counter()
        for i, item in enumerate(read_jsonl(path)):
            if "message" not in item:  # an answer set (corpora_eval: "question"): every question is in-domain
                item = {"message": item["question"], "in_domain": True, "category": item.get("corpus", "in")}
            session = f"guard-{run}-{path.stem}-{i}"  # a fresh session per message, in every set
            for earlier in item.get("before") or []:  # a follow-up: its conversation's earlier turns first
                copilot.ask(earlier, session, kb=args.kb)
            what, score = judged(copilot, item["message"], args.kb, args.guard_only, session)
            if item.get("expected") == "greet":  # greetings are neither side: answered as greetings or wrong
                n["greet"] += 1
                if what != "greet":
                    n["greet_wrong"] += 1
                    wrong.append({"message": item["message"], "in_domain": None, "score": score})
                continue
            was_refused = what == "refused"
            side = "in" if item["in_domain"] else "off"
            n[side] += 1
            per_cat[(item.get("category", side), "n")] += 1
            if was_refused == item["in_domain"]:  # refused in-domain, or accepted off-domain
                n[side + "_wrong"] += 1
                per_cat[(item.get("category", side), "wrong")] += 1
                wrong.append({"message": item["message"], "in_domain": item["in_domain"], "score": score})
        fr = n["in_wrong"] / (n["in"] or 1)
        fa = n["off_wrong"] / (n["off"] or 1)
        results[path.stem] = {"false_refusals": n["in_wrong"], "in_domain": n["in"], "false_accepts": n["off_wrong"],
                              "off_domain": n["off"], "wrong": wrong}
        print(f"{path.stem}: false refusals {n['in_wrong']}/{n['in']} ({fr:.3f}), false accepts "
              f"{n['off_wrong']}/{n['off']} ({fa:.3f})"
              + (f", greetings missed {n['greet_wrong']}/{n['greet']}" if n["greet"] else "")
              + f" | {time.perf_counter() - started:.0f}s"
              + (" | guard only" if args.guard_only else ""))
        for cat in sorted({c for c, _ in per_cat}):
            print(f"  {cat}: wrong {per_cat[(cat, 'wrong')]}/{per_cat[(cat, 'n')]}")
        for w in wrong:
            shown = "NOT GREETED" if w["in_domain"] is None else "REFUSED" if w["in_domain"] else "ACCEPTED"
            print(f"  {shown} {w['message']} (score {w['score']})")
    return finish(copilot, args.out, results)


if __name__ == "__main__":
    sys.exit(main())
