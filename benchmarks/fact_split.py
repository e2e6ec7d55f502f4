"""Where an answer loses its key fact (issue #21): per question, is a key fact in the selected
chunks, in the evidence sections, in the extractive draft, kept by verify, in the answer body?

    nice -n 10 .venv/bin/python benchmarks/fact_split.py tests/data/corpora_eval/*.jsonl \\
        --kb corpora --data-dir D [--half even|odd] [--show lost] [--out FILE]

D is a data dir that already holds the ingested base (build it with benchmarks/answer_eval.py
--ingest). Wraps the select / answer / verify seams of the graph (no behaviour change) to see
each stage's text; prints the share of questions whose facts reach each stage, the stage where
each lost fact was dropped and, with --show lost, the unit holding it (passage, kind, position)
for the questions that lose a fact after selection.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from benchmarks.eval_sets import finish, half, read_sets  # noqa: E402

STAGES = ("selected", "evidence", "draft", "verified", "answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--kb", default="corpora")
    parser.add_argument("--half", choices=("even", "odd"))
    parser.add_argument("--show", choices=("none", "lost", "all"), default="none")
    parser.add_argument("--only", help="comma-separated ids")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import graph.nodes.answer as answer_node
    import graph.nodes.select as select_node
    import graph.nodes.verify as verify_node
    from app.evaluation.metrics.answer import answer_body, has_fact, squash
    from app.settings import Settings
    from app.wiring import build_copilot
    from graph.doc_units import parse_units

    seen: dict[str, list] = {"selected": [], "evidence": [], "draft": [], "verified": []}
    inner_build, inner_extract, inner_check = (select_node.build_evidence, answer_node.extractive_units,
                                               verify_node.check_units)

    def build_evidence(chosen, *a, **k):
        out = inner_build(chosen, *a, **k)
        seen["selected"].append(list(chosen))
        seen["evidence"].append(list(out))
        return out

    def extractive_units(*a, **k):
        out = inner_extract(*a, **k)
        seen["draft"].append(list(out))
        return out

    def check_units(*a, **k):
        out = inner_check(*a, **k)
        seen["verified"].append(list(out))
        return out

    select_node.build_evidence = build_evidence
    answer_node.extractive_units = extractive_units
    verify_node.check_units = check_units
    copilot = build_copilot(Settings.model_validate({"data_dir": str(args.data_dir), "knowledge": {"dense": "off"}}))
    items = read_sets(args.sets)
    if args.half:
        items = half(items, args.half)
    if args.only:
        items = [i for i in items if i["id"] in set(args.only.split(","))]
    reach = Counter()
    lost_at = Counter()
    rows = []
    run = uuid.uuid4().hex[:6]
    for n, item in enumerate(items):
        for key in seen:
            seen[key] = []
        result = copilot.ask(item["question"], f"split-{run}-{n}", kb=args.kb).to_json()
        texts = {
            "selected": " ".join(p.get("text") or "" for ps in seen["selected"] for p in ps),
            "evidence": " ".join(p.get("text") or "" for ps in seen["evidence"] for p in ps),
            "draft": " ".join(u["text"] for us in seen["draft"] for u in us),
            "verified": " ".join(u["text"] for us in seen["verified"] for u in us
                                 if u["supported"] and u["on_topic"]),
            "answer": answer_body(result.get("answer") or ""),
        }
        facts = item.get("key_facts") or []
        where = {s: all(has_fact(texts[s], f) for f in facts) for s in STAGES}
        for s in STAGES:
            reach[s] += where[s]
        first_loss = next((s for s in STAGES if not where[s]), None)
        prev = STAGES[STAGES.index(first_loss) - 1] if first_loss and first_loss != "selected" else None
        if first_loss and prev:
            lost_at[first_loss] += 1
        rows.append({"id": item["id"], "where": where, "lost_at": first_loss})
        show = args.show == "all" or (args.show == "lost" and prev is not None)
        if show:
            print(f"\n=== {item['id']} lost at {first_loss} | {item['question']}")
            print(f"  facts {facts}")
            for ps in seen["evidence"]:
                for k, p in enumerate(ps, 1):
                    flag = "*" if any(has_fact(p.get("text") or "", f) for f in facts) else " "
                    print(f"  {flag}[{k}] {p.get('kind')} {p.get('source')} {' > '.join(p.get('heading_path') or [])}"
                          f" ({len(p.get('text') or '')} chars) meta={ {x: y for x, y in (p.get('meta') or {}).items() if x != 'chunks'} }")
                    if flag == "*":
                        units = parse_units(p.get("text") or "", p.get("kind") or "doc")
                        for u in units:
                            if any(has_fact(u.text, f) for f in facts) or any(
                                    squash(a)[:12] in squash(u.text) for f in facts
                                    for a in ([f] if isinstance(f, str) else f)):
                                print(f"      unit#{u.pos}/{len(units)} {u.kind} d{u.depth} h={u.heading[:20]!r}: "
                                      f"{u.text[:160]!r}")
            for us in seen["verified"]:
                for u in us:
                    mark = "" if u["supported"] and u["on_topic"] else (
                        " [DROP unsupported]" if not u["supported"] else " [DROP off-topic]")
                    print(f"    > {u.get('block')} c{u.get('cites')}{mark}: {u['text'][:110]!r}")
            print("  ANSWER: " + answer_body(result.get("answer") or "")[:600].replace("\n", "\n          "))
    total = len(items)
    print(f"\n{total} questions: " + ", ".join(f"{s} {reach[s] / max(total, 1):.3f}" for s in STAGES))
    print("lost at (after being in the previous stage): " + ", ".join(f"{s} {lost_at[s]}" for s in STAGES[1:]))
    return finish(copilot, args.out, rows, indent=1)


if __name__ == "__main__":
    sys.exit(main())
