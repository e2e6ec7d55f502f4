"""Answer-level figures on the frozen corpora sets (tests/data/corpora_eval/*.jsonl).

Every question is asked through the real graph (Copilot.ask, a fresh session each) on the
three corpora ingested as ONE base, and scored on the reply:

- key_fact: share of the item's key facts found in the answer body (the sections' answers,
  not the source list; lower-cased, whitespace removed; a list is alternatives);
- gold_cited: some cited source is a gold page;
- not_found: every section of the reply says the knowledge base has nothing (replies.yaml
  `not_covered`); not_found_part: some section does (a message split into several questions);
- runbook: a runbook was started (any of them: the shipped ones belong to the demo cloud);
- forbidden: a forbidden string is in the body; over_length: body longer than max_chars.

Prepare the base once (keyword-only; ~25 s):
    SMART_COPILOT__DATA_DIR=/tmp/kb SMART_COPILOT__KNOWLEDGE__DENSE=off \
        smart-copilot ingest ../shared/corpora --kb corpora
Run (the interpreter decides which code is measured: a worktree's .venv imports that worktree):
    SMART_COPILOT__DATA_DIR=/tmp/kb SMART_COPILOT__KNOWLEDGE__DENSE=off \
        nice -n 10 .venv/bin/python benchmarks/corpora_answers.py [--limit N] [--out rows.jsonl]
Interim script until `smart-copilot eval --metrics` scores answer turns (issue #12).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import uuid
from pathlib import Path

from eval_sets import read_jsonl  # benchmarks/eval_sets.py, beside this script

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETS = DATA / "corpora_eval"
DEMO = DATA / "answer_eval" / "demo.jsonl"
NOT_FOUND = "知识库中没有找到能回答这个问题的内容"


def norm(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())


def fact_found(body: str, fact: str | list[str]) -> bool:
    options = fact if isinstance(fact, list) else [fact]
    return any(norm(o) in norm(body) for o in options)


def score(item: dict, result: dict) -> dict:
    sections = result.get("sections") or []
    body = "\n".join(s.get("answer") or "" for s in sections) or (result.get("answer") or "")
    cited = [c.get("source") or "" for c in result.get("citations") or []]
    facts = item.get("key_facts") or []
    item = {**item, "gold": item.get("gold") or []}
    return {
        "id": item["id"], "corpus": item["corpus"], "question": item["question"],
        "key_fact": sum(fact_found(body, f) for f in facts) / len(facts) if facts else None,
        "gold_cited": float(any(c in item["gold"] for c in cited)),
        "not_found": float(bool(sections) and all(NOT_FOUND in (s.get("answer") or "") for s in sections)),
        "not_found_part": float(NOT_FOUND in body), "sections": len(sections),
        "runbook": (result.get("runbook") or {}).get("id") or next(
            (s["runbook"]["id"] for s in sections if s.get("runbook")), None),
        "forbidden": float(any(fact_found(body, f) for f in item.get("forbidden") or [])),
        "over_length": float(len(body) > item.get("max_chars", 10 ** 9)),
        "refused": bool(result.get("refused")), "route": result.get("route"),
        "cited": cited, "gold": item["gold"], "body": body,
    }


def summary(rows: list[dict]) -> dict:
    def mean(key: str) -> float:
        values = [r[key] for r in rows if r[key] is not None]
        return round(sum(values) / len(values), 3) if values else 0.0

    return {"n": len(rows), "key_fact": mean("key_fact"), "gold_cited": mean("gold_cited"),
            "not_found": mean("not_found"), "not_found_part": mean("not_found_part"), "runbooks_started": sum(1 for r in rows if r["runbook"]),
            "refused": sum(1 for r in rows if r["refused"]), "forbidden": mean("forbidden"),
            "over_length": mean("over_length")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default="corpora")
    parser.add_argument("--limit", type=int, default=0, help="first N questions of each set (0: all)")
    parser.add_argument("--sets", nargs="*", default=["kubernetes", "tidb", "istio"],
                        help="corpora sets; `demo`: the demo answer set (multi-turn, --kb demo)")
    parser.add_argument("--out", type=Path, help="write one JSON row per question here")
    args = parser.parse_args()

    from app.settings import load_settings
    from app.wiring import build_copilot

    copilot = build_copilot(load_settings())
    run = uuid.uuid4().hex[:8]
    rows: list[dict] = []
    started, cpu = time.perf_counter(), time.process_time()
    for name in args.sets:
        path = DEMO if name == "demo" else SETS / f"{name}.jsonl"
        items = read_jsonl(path)
        for item in items[: args.limit or None]:
            turns = item.get("turns") or [item]  # a demo conversation: its turns in one session
            for i, turn in enumerate(turns):
                question = turn.get("message") or turn["question"]
                result = copilot.ask(question, f"corpora-{run}-{item['id']}", kb=args.kb).to_json()
                rows.append(score({"id": f"{item['id']}.{i}", "corpus": item.get("corpus", name),
                                   "question": question, **{k: turn.get(k) for k in ("gold", "key_facts", "forbidden")},
                                   "max_chars": turn.get("max_chars", 10 ** 9)}, result))
    report = {"all": summary(rows)}
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        report[corpus] = summary([r for r in rows if r["corpus"] == corpus])
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["cpu_seconds"] = round(time.process_time() - cpu, 1)
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
