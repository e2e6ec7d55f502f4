"""Do answers depend on the conversations a process answered before them? (issue: state between conversations)

    # one process: every conversation of the sets in order, then again in reverse (all caches warm)
    nice -n 10 .venv/bin/python benchmarks/order_check.py tests/data/answer_eval/demo.jsonl --data-dir D --dense off
    # across processes (a fresh process, another PYTHONHASHSEED): write the answers, then compare
    PYTHONHASHSEED=0 ... order_check.py SETS --data-dir D --out a.json
    PYTHONHASHSEED=1 ... order_check.py SETS --data-dir D --order reverse --against a.json

Each conversation runs in a session of its own (run id + index: a rerun over the same data dir never
continues one). Prints every turn (set:id#turn) whose answer, citations or standalone question differ
between the passes, then the count; exit status 1 when any does. `--kb`, `--dense`, `--limit` as in
answer_eval.py (a set's items may name their base; `--kb` overrides).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

from answer_eval import build  # benchmarks/, beside this script
from eval_sets import finish, read_jsonl

Answers = dict[str, dict]


def conversations(paths: list[Path], limit: int | None) -> list[tuple[str, dict]]:
    """(set:id, conversation) of every set, a flat item as one turn."""
    out = []
    for path in paths:
        items = read_jsonl(path)
        for item in items[:limit] if limit else items:
            turns = item.get("turns") or [{"message": item["question"]}]
            out.append((f"{path.stem}:{item['id']}", {**item, "turns": turns}))
    return out


def answer_all(copilot, convs: list[tuple[str, dict]], kb: str | None) -> Answers:
    """set:id#turn -> what the user sees of the turn."""
    knowledge = copilot.context.knowledge
    run = uuid.uuid4().hex[:8]
    out: Answers = {}
    for index, (key, conv) in enumerate(convs):
        session = f"order-{run}-{index}"
        named = conv.get("kb")
        base = kb or (named if named and knowledge.has_kb(named) else None)
        for turn_no, turn in enumerate(conv["turns"], 1):
            result = copilot.ask(turn["message"], session, kb=base).to_json()
            out[f"{key}#{turn_no}"] = {"answer": result.get("answer"), "standalone": result.get("standalone"),
                                       "sources": [c.get("source") for c in result.get("citations") or []]}
    return out


def differences(first: Answers, second: Answers) -> list[str]:
    return [key for key in first if key in second and first[key] != second[key]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--kb", default=None)
    parser.add_argument("--ingest", nargs="*", help="(answer_eval's option; unused without --kb)")
    parser.add_argument("--dense", choices=("on", "off"), default="on")
    parser.add_argument("--embedder")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--order", choices=("forward", "reverse"), default="forward")
    parser.add_argument("--against", type=Path, help="answers written by another run (--out): compare with them")
    parser.add_argument("--out", type=Path, help="write this run's first-pass answers (JSON)")
    args = parser.parse_args(argv)
    convs = conversations(args.sets, args.limit)
    if args.order == "reverse":
        convs.reverse()
    copilot = build(args)
    first = answer_all(copilot, convs, args.kb)
    second = json.loads(args.against.read_text(encoding="utf-8")) if args.against \
        else answer_all(copilot, convs[::-1], args.kb)
    changed = differences(first, second)
    for key in changed:
        print(f"  ≠ {key}\n    {str(first[key])[:300]}\n    {str(second[key])[:300]}")
    print(f"{len(changed)} of {len(first)} turns differ")
    finish(copilot, args.out, first, indent=0)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
