#!/usr/bin/env python3
"""Validate tests/data/corpora_eval/istio.jsonl against the istio-zh corpus.

Stdlib only. Checks:
  * exactly 50 items, unique ids, required fields and allowed tags;
  * every gold path (relative to the corpora root) exists;
  * every key fact (at least one alternative) occurs in a gold file;
  * every forbidden fact occurs in no gold file;
  * set-level quotas: >= 20 `faq`, >= 5 `reference`, >= 20 `paraphrase`.

Matching: HTML comments are removed from the page, then page and fact are
lowercased and all whitespace is removed.

Usage: check_istio.py [--root /work/shared/corpora] [--file istio.jsonl]
Exit status 1 with a list of failures, 0 when the set is valid.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve()
DEFAULT_ROOT = HERE.parents[3].parent / "shared" / "corpora"
DEFAULT_FILE = HERE.parent / "istio.jsonl"

EXPECTED_COUNT = 50
ALLOWED_TAGS = {
    "spoken", "typo", "mixed_lang", "paraphrase", "symptom", "error_message",
    "howto", "value", "cause", "faq", "reference",
}
REQUIRED = ("id", "question", "gold", "key_facts", "corpus", "tags")
MIN_TAGS = {"faq": 20, "reference": 5, "paraphrase": 20}

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    return _WS.sub("", text.lower())


def page_text(path: Path) -> str:
    return norm(_COMMENT.sub("", path.read_text(encoding="utf-8", errors="replace")))


def alternatives(fact) -> list[str]:
    if isinstance(fact, str):
        return [fact]
    if isinstance(fact, list) and fact and all(isinstance(a, str) for a in fact):
        return fact
    raise ValueError(f"key fact must be a string or a non-empty list of strings: {fact!r}")


def check(root: Path, data_file: Path) -> tuple[list[str], Counter]:
    errors: list[str] = []
    tags = Counter()
    lines = [l for l in data_file.read_text(encoding="utf-8").splitlines() if l.strip()]
    if len(lines) != EXPECTED_COUNT:
        errors.append(f"expected {EXPECTED_COUNT} items, found {len(lines)}")
    seen: set[str] = set()
    cache: dict[str, str] = {}
    for n, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: invalid JSON ({exc})")
            continue
        iid = item.get("id", f"line{n}")
        for field in REQUIRED:
            if field not in item:
                errors.append(f"{iid}: missing field {field!r}")
        if iid in seen:
            errors.append(f"{iid}: duplicate id")
        seen.add(iid)
        if item.get("corpus") != "istio-zh":
            errors.append(f"{iid}: corpus must be 'istio-zh'")
        if not str(item.get("question", "")).strip():
            errors.append(f"{iid}: empty question")
        for t in item.get("tags", []):
            if t not in ALLOWED_TAGS:
                errors.append(f"{iid}: unknown tag {t!r}")
            tags[t] += 1
        gold = item.get("gold", [])
        if not isinstance(gold, list) or not 1 <= len(gold) <= 3:
            errors.append(f"{iid}: gold must list 1-3 paths")
            gold = gold if isinstance(gold, list) else []
        texts: list[str] = []
        for g in gold:
            p = root / g
            if not p.is_file():
                errors.append(f"{iid}: gold file missing: {g}")
                continue
            if g not in cache:
                cache[g] = page_text(p)
            texts.append(cache[g])
        kfs = item.get("key_facts", [])
        if not isinstance(kfs, list) or not 1 <= len(kfs) <= 2:
            errors.append(f"{iid}: key_facts must have 1-2 items")
            kfs = kfs if isinstance(kfs, list) else []
        for fact in kfs:
            try:
                alts = alternatives(fact)
            except ValueError as exc:
                errors.append(f"{iid}: {exc}")
                continue
            if texts and not any(norm(a) in t for a in alts for t in texts):
                errors.append(f"{iid}: key fact not found in any gold page: {fact!r}")
        forb = item.get("forbidden", []) or []
        if len(forb) > 2:
            errors.append(f"{iid}: at most 2 forbidden facts")
        for fact in forb:
            try:
                alts = alternatives(fact)
            except ValueError as exc:
                errors.append(f"{iid}: {exc}")
                continue
            for a in alts:
                if any(norm(a) in t for t in texts):
                    errors.append(f"{iid}: forbidden fact occurs in a gold page: {a!r}")
        mc = item.get("max_chars")
        if mc is not None and (not isinstance(mc, int) or mc <= 0):
            errors.append(f"{iid}: max_chars must be a positive integer")
    for t, minimum in MIN_TAGS.items():
        if tags[t] < minimum:
            errors.append(f"tag {t!r}: {tags[t]} items, need at least {minimum}")
    return errors, tags


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                    help="corpora root (default: %(default)s)")
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE,
                    help="eval set (default: %(default)s)")
    args = ap.parse_args(argv)
    if not args.root.is_dir():
        print(f"corpora root not found: {args.root}", file=sys.stderr)
        return 1
    errors, tags = check(args.root, args.file)
    if errors:
        print(f"{len(errors)} failure(s):")
        for e in errors:
            print("  - " + e)
        return 1
    print(f"OK: {args.file.name} valid against {args.root}")
    print("tags: " + ", ".join(f"{t}={c}" for t, c in sorted(tags.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
