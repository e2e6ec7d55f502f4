"""Where each missing key fact is lost on its way to the answer (issue 21: wrong page, wrong section, trimmed).

    nice -n 10 .venv/bin/python benchmarks/fact_loss.py tests/data/corpora_eval/tidb.jsonl \\
        --kb corpora --dense off --data-dir D [--only tidb-001,tidb-005] [--half even]

benchmarks/selection_misses.py follows the gold PAGE; this follows each key fact the answer lacks,
through every sub-question's select step of the turn, to the first stage that did not carry it:

- `no_page`: no gold page among the retrieved passages (a vocabulary gap: another page answers);
- `other_section`: a gold page retrieved, but no retrieved chunk holds the fact (retrieval ranked
  another section of it first: within-page section choice);
- `not_selected`: a retrieved chunk holds it, no evidence passage does (selection or evidence growth
  dropped it);
- `trimmed`: an evidence passage holds it, the answer does not (composition chose other lines).

Per turn it prints the facts' stages and the evidence; at the end the counts per stage. Nothing here
changes an answer. Tests: tests/knowledge/test_fact_loss.py (the classification).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections import Counter
from typing import Callable, Sequence

from answer_eval import build, load_scoring  # benchmarks/, beside this script
from eval_sets import answer_set_arguments, finish, id_number, read_jsonl

STAGES = ("no_page", "other_section", "not_selected", "trimmed")


def fact_stage(has: Callable[[str], bool], retrieved: Sequence[tuple[str, str]], evidence: Sequence[str],
               is_gold: Callable[[str], bool]) -> str:
    """The first stage that lost a fact the answer lacks. `has(text)`: the text holds the fact;
    `retrieved`: (source, text) of every passage handed to selection; `evidence`: the evidence texts."""
    if any(has(text) for text in evidence):
        return "trimmed"
    if any(has(text) for _, text in retrieved):
        return "not_selected"
    return "other_section" if any(is_gold(source) for source, _ in retrieved) else "no_page"


def _holding(scoring, fact) -> Callable[[str], bool]:
    """text -> whether it holds the fact, as the answer metric reads it."""
    return lambda text: bool(scoring.has_fact(text, fact))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    answer_set_arguments(parser, dense="off")
    parser.add_argument("--only", default="", help="comma-separated ids")
    parser.add_argument("--half", choices=("even", "odd", "all"), default="all", help="ids by their number's parity")
    args = parser.parse_args(argv)
    scoring = load_scoring()
    import graph.builder as builder
    import graph.nodes.select as select_node

    steps: list[tuple[list[dict], list[dict]]] = []  # (passages handed to selection, evidence) per sub-question
    select = select_node.select

    def recording(state, runtime):
        out = select(state, runtime)
        steps.append((list(state.get("passages") or []), list(out.get("passages") or [])))
        return out

    builder.select = recording  # before the graph is built: the graph holds the node
    copilot = build(args)
    only = {x for x in args.only.split(",") if x}
    stages: Counter[str] = Counter()
    run = uuid.uuid4().hex[:8]
    for path in args.sets:
        for index, item in enumerate(read_jsonl(path)):
            if (only and item.get("id") not in only) or (
                    args.half != "all" and id_number(item) % 2 != (args.half == "odd")):
                continue
            conversation = scoring.as_conversation(item, index)
            session = f"factloss-{run}-{path.stem}-{index}"
            for ti, turn in enumerate(conversation["turns"], 1):
                steps.clear()
                result = copilot.ask(turn["message"], session, kb=args.kb or conversation.get("kb")).to_json()
                row = scoring.check_turn(result, turn)
                if not row["missing"]:
                    continue
                gold = list(turn.get("gold") or [])
                retrieved = [(str(p.get("source") or ""), str(p.get("text") or "")) for given, _ in steps for p in given]
                evidence = [str(p.get("text") or "") for _, grown in steps for p in grown]
                found = {str(f): fact_stage(_holding(scoring, f), retrieved, evidence,
                                            lambda source: scoring.is_gold(source, gold)) for f in row["missing"]}
                stages.update(found.values())
                print(f"\n== {item.get('id')}#{ti} {turn['message'][:60]}")
                print(f"   lost {found}")
                print("   evidence " + str([(str(p.get('source') or '')).rsplit('/', 1)[-1] + ' | '
                                           + ' > '.join(p.get('heading_path') or [])[-30:] for _, grown in steps
                                           for p in reversed(grown)]))
    print("\nmissing facts by stage: " + ", ".join(f"{s} {stages[s]}" for s in STAGES))
    return finish(copilot, None, {})


if __name__ == "__main__":
    sys.exit(main())
