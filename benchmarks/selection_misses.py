"""Why selection picked another page: for each turn whose answer cites no gold page although a gold
page was among the passages handed to selection, print both pages' evidence (issues 12 and 21).

    nice -n 10 .venv/bin/python benchmarks/selection_misses.py tests/data/corpora_eval/tidb.jsonl \\
        --kb corpora --dense off --data-dir D [--only tidb-001,tidb-005]

Per miss: the gold page's best passage among the first `--top` retrieved and the passages selected,
each with rank, class, match tier, share, mass, outdone/other flags, and the question's tokens with
their IDF, marked by who holds them (G: the gold passage, W: the first selected one). The evidence
is the one selection itself stored in each passage's meta; the tokens are recomputed with the base's
tokenizer and statistics. A gold page that reached the evidence but is not cited splits further by
whether it led the evidence (`not_cited_led`: composition took another page's line) or sat below
(`not_cited_lower`); for those the composed answer's question type, the evidence numbers it cited
and each evidence passage's on-topic test (graph/evidence.is_on_topic) are printed.
Nothing here changes an answer.
"""

from __future__ import annotations

import argparse
import sys
import uuid

from answer_eval import build, load_scoring  # benchmarks/, beside this script
from eval_sets import answer_set_arguments, finish, read_jsonl


def describe(p, rank: int) -> str:
    ev = p.meta.get("evidence") or {}
    flags = [k for k in ("outdone", "other_section", "beyond_keywords") if p.meta.get(k)]
    flags += [k for k in ("names", "titled", "places", "full_share_only", "dense_only") if ev.get(k)]
    head = " > ".join(p.heading_path)[-50:]
    return (f"#{rank:<2} {p.meta.get('match') or '-':7} {p.meta.get('class') or '?':8} share {ev.get('share', 0):.3f} "
            f"mass {ev.get('mass', 0):6.2f} score {p.score:.3f} {p.source.rsplit('/', 1)[-1][:40]} | {head} {flags}")


def tokens_table(ks, kb: str, query: str, gold, winner) -> str:
    retriever = ks.retriever
    tokenize = retriever.corpus.tokenizer(kb).tokenize
    tokens = list(dict.fromkeys(tokenize(query)))
    total, counts = retriever.corpus.doc_frequencies(kb, tokens)
    from knowledge.evidence import idf_from_counts

    idf = idf_from_counts(total, counts)
    held = ks.catalog.chunk_tokens(kb, [p.chunk_id for p in (gold, winner) if p is not None])
    out = []
    for t in tokens:
        mark = ("G" if gold is not None and t in held.get(gold.chunk_id, ()) else "") + \
               ("W" if winner is not None and t in held.get(winner.chunk_id, ()) else "")
        out.append(f"{t}:{idf(t):.1f}{'[' + mark + ']' if mark else ''}")
    return " ".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    answer_set_arguments(parser)
    parser.add_argument("--tag", action="append", default=[])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--only", default="", help="comma-separated ids")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--all", action="store_true", help="describe every turn, not only the misses")
    args = parser.parse_args(argv)
    scoring = load_scoring()
    copilot = build(args)
    ks = copilot.context.knowledge
    calls: list[tuple[str, list, list]] = []
    original = ks.select

    def recording(query, passages, max_passages=4, alternatives=None):
        chosen = original(query, passages, max_passages, alternatives)
        calls.append((query, list(passages), list(chosen)))
        return chosen

    ks.select = recording  # type: ignore[method-assign]
    import graph.nodes.select as select_node

    grown: list[list[dict]] = []
    build_evidence = select_node.build_evidence

    def recording_evidence(*a, **k):
        out = build_evidence(*a, **k)
        grown.append(out)
        return out

    select_node.build_evidence = recording_evidence  # type: ignore[assignment]
    import graph.nodes.answer as answer_node
    from graph.evidence import is_on_topic
    from graph.relevance import question_terms

    composed: list[tuple[str, list[dict], list[dict]]] = []  # (qtype, evidence, on-topic flags and cites)
    extractive = answer_node.extractive_units

    def recording_units(question, passages, *a, **k):
        units = extractive(question, passages, *a, **k)
        terms = question_terms(question, k.get("query", ""), k.get("vocab"), [p.get("text") or "" for p in passages])
        cited = {n for u in units for n in u.get("cites") or []}
        composed.append((str(k.get("qtype")), list(passages),
                         [{"on_topic": is_on_topic(terms, p), "cited": n in cited} for n, p in enumerate(passages, 1)]))
        return units

    answer_node.extractive_units = recording_units
    stages: dict[str, list[str]] = {}
    only = {x for x in args.only.split(",") if x}
    counts = {"turns": 0, "no_gold_cited": 0, "gold_in_top": 0}
    run = uuid.uuid4().hex[:8]  # sessions persist in the data dir: a rerun must not continue this run's
    for path in args.sets:
        for index, item in enumerate(read_jsonl(path)):
            if only and item.get("id") not in only:
                continue
            conversation = scoring.as_conversation(item, index)
            session = f"misses-{run}-{path.stem}-{index}"
            for ti, turn in enumerate(conversation["turns"], 1):
                calls.clear()
                grown.clear()
                composed.clear()
                result = copilot.ask(turn["message"], session, kb=args.kb or conversation.get("kb")).to_json()
                row = scoring.check_turn(result, turn)
                counts["turns"] += 1
                gold = list(turn.get("gold") or [])
                if not gold or (row["cites_gold"] and not args.all):
                    continue
                counts["no_gold_cited"] += 1
                if not calls:
                    print(f"\n== {item.get('id')}#{ti} no selection ran (route {result.get('route')})")
                    continue
                query, given, chosen = calls[-1]
                golds = [(i, p) for i, p in enumerate(given[: args.top], 1) if scoring.is_gold(p.source, gold)]
                picked = any(scoring.is_gold(p.source, gold) for p in chosen)
                evidenced = any(scoring.is_gold(e.get("source") or "", gold) for e in (grown[-1] if grown else []))
                stage = "not_retrieved" if not golds else "not_selected" if not picked else \
                    "not_in_evidence" if not evidenced else "not_cited"
                if stage == "not_cited" and grown:
                    led = scoring.is_gold(grown[-1][-1].get("source") or "", gold) if grown[-1] else False
                    stage = "not_cited_led" if led else "not_cited_lower"
                stages.setdefault(stage, []).append(f"{item.get('id')}#{ti}")
                if not golds:
                    continue
                counts["gold_in_top"] += 1
                print(f"\n== {item.get('id')}#{ti} {turn['message'][:60]}\n   judged: {query[:80]}")
                print(f"   missing {row['missing']} cited {[c.rsplit('/', 1)[-1] for c in row['cited']]}")
                for i, p in golds[:3]:
                    print("   G " + describe(p, i))
                ranks = {id(p): i for i, p in enumerate(given, 1)}
                for p in reversed(chosen):
                    print("   S " + describe(p, ranks.get(id(p), 0)))
                winner = chosen[-1] if chosen else None
                print("   tokens " + tokens_table(ks, golds[0][1].kb, query, golds[0][1], winner))
                print(f"   stage {stage}; evidence " + str([(e.get('source') or '').rsplit('/', 1)[-1] + ' | '
                                                      + ' > '.join(e.get('heading_path') or [])[-30:]
                                                      for e in reversed(grown[-1] if grown else [])]))
                for qtype, passages, flags in composed[-1:]:
                    print(f"   composed as {qtype}: " + " ".join(
                        f"{n}{'G' if scoring.is_gold(p.get('source') or '', gold) else ''}"
                        f"{'' if f['on_topic'] else '~'}{'*' if f['cited'] else ''}"
                        for n, (p, f) in enumerate(zip(passages, flags), 1)) + "  (G gold, ~ off topic, * cited; best last)")
    print(f"\n{counts}", file=sys.stderr)
    for stage, ids in stages.items():
        print(f"{stage} {len(ids)}: {' '.join(ids)}", file=sys.stderr)
    return finish(copilot, None, {})


if __name__ == "__main__":
    sys.exit(main())
