#!/usr/bin/env python3
"""Check the frozen tidb-docs-cn retrieval/answer evaluation set (tidb.jsonl).

Stdlib only. Verifies, against the read-only corpora folder:

- exactly 50 items, unique ids, required fields and value shapes;
- every gold path exists under the corpora root (paths are relative to it);
- every key fact (a string, or a list of alternative strings of which at
  least one must match) occurs in at least one gold page after removing HTML
  comments, lowercasing and removing all whitespace;
- every forbidden fact occurs in no gold page (same normalisation);
- no question is a verbatim copy of a heading of its gold pages.

It also prints counts per tag. Exit status 1 lists every failure.

Usage: python tests/data/corpora_eval/check_tidb.py [--root /work/shared/corpora] [--file tidb.jsonl]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FILE = HERE / "tidb.jsonl"
# <repo>/tests/data/corpora_eval/check_tidb.py -> parents[3] is the repo,
# and the corpora live beside the repos in <parent>/shared/corpora.
DEFAULT_ROOT = Path(__file__).resolve().parents[3].parent / "shared" / "corpora"

EXPECTED_COUNT = 50
CORPUS = "tidb-docs-cn"
ALLOWED_TAGS = {
    "spoken", "typo", "mixed_lang", "paraphrase", "symptom", "error_message",
    "howto", "value", "cause", "faq", "reference",
}
FAQ_PAGES = {
    "dm/dm-faq.md", "ticdc/ticdc-faq.md", "tidb-lightning/tidb-lightning-faq.md",
    "tiup/tiup-faq.md",
}
ERROR_PAGES = {
    "error-codes.md", "dm/dm-error-handling.md",
    "tidb-lightning/tidb-lightning-error-resolution.md",
}
COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
WS_RE = re.compile(r"\s+")
HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*$", re.M)


def norm(text: str) -> str:
    return WS_RE.sub("", text.lower())


def strip_comments(text: str) -> str:
    return COMMENT_RE.sub("", text)


def alternatives(fact) -> list[str] | None:
    if isinstance(fact, str):
        return [fact] if fact.strip() else None
    if isinstance(fact, list) and fact and all(isinstance(a, str) and a.strip() for a in fact):
        return list(fact)
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                    help="corpora root (default: %(default)s)")
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE,
                    help="evaluation file (default: %(default)s)")
    args = ap.parse_args(argv)

    root: Path = args.root
    failures: list[str] = []
    if not root.is_dir():
        print(f"FAIL: corpora root not found: {root}")
        return 1

    items = []
    for n, line in enumerate(args.file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            failures.append(f"line {n}: invalid JSON ({exc})")

    if len(items) != EXPECTED_COUNT:
        failures.append(f"expected {EXPECTED_COUNT} items, found {len(items)}")

    ids = Counter(it.get("id") for it in items)
    for dup, c in ids.items():
        if c > 1:
            failures.append(f"duplicate id {dup!r} ({c} times)")

    page_cache: dict[str, tuple[str, set[str]] | None] = {}

    def page(rel: str):
        if rel not in page_cache:
            p = root / rel
            if not p.is_file():
                page_cache[rel] = None
            else:
                raw = strip_comments(p.read_text(encoding="utf-8", errors="replace"))
                heads = {norm(h.strip("# ").rstrip("？?")) for h in HEADING_RE.findall(raw)}
                page_cache[rel] = (norm(raw), heads)
        return page_cache[rel]

    tags = Counter()
    faq_items = err_items = 0
    for it in items:
        iid = it.get("id", "<no id>")
        q = it.get("question")
        if not isinstance(q, str) or not q.strip():
            failures.append(f"{iid}: empty question")
            q = ""
        if it.get("corpus") != CORPUS:
            failures.append(f"{iid}: corpus must be {CORPUS!r}")
        gold = it.get("gold")
        if not isinstance(gold, list) or not 1 <= len(gold) <= 3:
            failures.append(f"{iid}: gold must list 1-3 paths")
            gold = []
        kfs = it.get("key_facts")
        if not isinstance(kfs, list) or not 1 <= len(kfs) <= 2:
            failures.append(f"{iid}: key_facts must have 1-2 items")
            kfs = []
        fbs = it.get("forbidden", [])
        if not isinstance(fbs, list) or len(fbs) > 2:
            failures.append(f"{iid}: forbidden must be a list of 0-2 items")
            fbs = []
        mc = it.get("max_chars")
        if mc is not None and (not isinstance(mc, int) or mc <= 0):
            failures.append(f"{iid}: max_chars must be a positive integer")
        its_tags = it.get("tags")
        if not isinstance(its_tags, list) or not its_tags:
            failures.append(f"{iid}: tags must be a non-empty list")
            its_tags = []
        for t in its_tags:
            if t not in ALLOWED_TAGS:
                failures.append(f"{iid}: unknown tag {t!r}")
        tags.update(set(its_tags))

        texts = []
        for g in gold:
            if not isinstance(g, str) or not g.startswith(CORPUS + "/"):
                failures.append(f"{iid}: gold path {g!r} must start with {CORPUS}/")
                continue
            pg = page(g)
            if pg is None:
                failures.append(f"{iid}: gold file missing: {root / g}")
                continue
            texts.append(pg)
        rels = {g.split("/", 1)[1] for g in gold if isinstance(g, str) and "/" in g}
        if rels & FAQ_PAGES or any(r.startswith("faq/") for r in rels):
            faq_items += 1
        if rels & ERROR_PAGES:
            err_items += 1

        for fact in kfs:
            alts = alternatives(fact)
            if alts is None:
                failures.append(f"{iid}: bad key fact {fact!r}")
                continue
            if texts and not any(norm(a) in t for a in alts for t, _ in texts):
                failures.append(f"{iid}: key fact {fact!r} not found in any gold page")
        for fact in fbs:
            if not isinstance(fact, str) or not fact.strip():
                failures.append(f"{iid}: bad forbidden fact {fact!r}")
                continue
            hit = [g for g in gold if page(g) and norm(fact) in page(g)[0]]
            if hit:
                failures.append(f"{iid}: forbidden fact {fact!r} occurs in gold {hit}")
        nq = norm(q).rstrip("？?")
        for _, heads in texts:
            if nq and nq in heads:
                failures.append(f"{iid}: question copies a heading of its gold page")

    print(f"items: {len(items)}  (FAQ-page gold: {faq_items}, error-reference gold: {err_items})")
    for t in sorted(ALLOWED_TAGS):
        print(f"  {t:14s} {tags.get(t, 0)}")
    if failures:
        print(f"\nFAIL ({len(failures)}):")
        for f in failures:
            print("  - " + f)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
