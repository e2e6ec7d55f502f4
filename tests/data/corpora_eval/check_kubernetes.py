#!/usr/bin/env python3
"""Check the frozen kubernetes-zh-cn retrieval/answer evaluation set.

Standard library only. It reads ``kubernetes.jsonl`` next to this file and the
corpus pages under the shared corpora root (``/work/shared/corpora`` when the
repository is checked out at ``/work/<name>``; pass ``--root`` otherwise).

It verifies:
  * exactly 50 items, unique ids, the expected fields and tags;
  * every gold path exists under the corpora root (1-3 per item);
  * every key fact (one of its alternatives) occurs in at least one gold page
    once HTML comments and Hugo shortcodes are removed, text is lowercased and
    all whitespace is dropped (so facts living only in the English original
    inside ``<!-- -->`` or in shortcode markup do not count);
  * no forbidden fact occurs in any gold page (same normalisation);
  * every item tagged ``paraphrase`` shares no distinctive word of its gold
    pages' titles (English words, or Chinese character bigrams; the generic
    words "pod", "kubernetes" and "k8s" are ignored).

Prints counts per tag and exits 1 listing the failures, if any.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE / "kubernetes.jsonl"
DEFAULT_ROOT = Path(__file__).resolve().parents[3].parent / "shared" / "corpora"

EXPECTED_COUNT = 50
CORPUS = "kubernetes-zh-cn"
ALLOWED_TAGS = {
    "spoken", "typo", "mixed_lang", "paraphrase", "symptom", "error_message",
    "howto", "value", "cause", "faq", "reference",
}
REQUIRED = ("id", "question", "gold", "key_facts", "corpus", "tags")
GENERIC_TITLE_WORDS = {"pod", "kubernetes", "k8s"}

COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
SHORTCODE_RE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
WS_RE = re.compile(r"\s+")
TITLE_RE = re.compile(r"^title:\s*(.+?)\s*$", re.M)
EN_WORD_RE = re.compile(r"[a-z][a-z0-9]*")
CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")


def norm(text: str) -> str:
    return WS_RE.sub("", text).lower()


def page_text(raw: str) -> str:
    """Chinese body text: comments and shortcodes removed, normalised."""
    return norm(SHORTCODE_RE.sub(" ", COMMENT_RE.sub(" ", raw)))


def page_title(raw: str) -> str:
    m = TITLE_RE.search(raw)
    return m.group(1).strip().strip('"\'') if m else ""


def title_terms(title: str) -> set[str]:
    low = title.lower()
    terms = {w for w in EN_WORD_RE.findall(low) if w not in GENERIC_TITLE_WORDS}
    for run in CJK_RUN_RE.findall(title):
        if len(run) == 1:
            terms.add(run)
        terms.update(run[i:i + 2] for i in range(len(run) - 1))
    return terms


def question_hits(question: str, terms: set[str]) -> list[str]:
    low = question.lower()
    words = set(EN_WORD_RE.findall(low))
    hits = []
    for t in sorted(terms):
        if t.isascii():
            if t in words:
                hits.append(t)
        elif t in question:
            hits.append(t)
    return hits


def alternatives(fact) -> list[str]:
    if isinstance(fact, str):
        return [fact]
    if isinstance(fact, list) and fact and all(isinstance(a, str) for a in fact):
        return fact
    raise ValueError(f"bad fact {fact!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                    help="corpora root holding kubernetes-zh-cn/ (default: %(default)s)")
    ap.add_argument("--set", dest="path", type=Path, default=DEFAULT_SET,
                    help="JSONL file to check (default: %(default)s)")
    args = ap.parse_args(argv)

    failures: list[str] = []
    root: Path = args.root
    if not root.is_dir():
        print(f"corpora root not found: {root}", file=sys.stderr)
        return 1

    items = []
    for n, line in enumerate(args.path.read_text(encoding="utf-8").splitlines(), 1):
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
            failures.append(f"duplicate id {dup} ({c}x)")

    cache: dict[str, tuple[str, str]] = {}

    def load(rel: str) -> tuple[str, str] | None:
        if rel not in cache:
            p = root / rel
            if not p.is_file():
                return None
            raw = p.read_text(encoding="utf-8")
            cache[rel] = (page_text(raw), page_title(raw))
        return cache[rel]

    tag_counts: Counter = Counter()
    paraphrase_ok = 0
    for it in items:
        iid = it.get("id", "?")
        for field in REQUIRED:
            if field not in it:
                failures.append(f"{iid}: missing field {field}")
        if it.get("corpus") != CORPUS:
            failures.append(f"{iid}: corpus is {it.get('corpus')!r}, expected {CORPUS!r}")
        tags = it.get("tags", [])
        tag_counts.update(tags)
        for t in tags:
            if t not in ALLOWED_TAGS:
                failures.append(f"{iid}: unknown tag {t!r}")
        gold = it.get("gold", [])
        if not (1 <= len(gold) <= 3):
            failures.append(f"{iid}: {len(gold)} gold pages (want 1-3)")
        pages = []
        for g in gold:
            if not g.startswith(CORPUS + "/"):
                failures.append(f"{iid}: gold {g} is not under {CORPUS}/")
            loaded = load(g)
            if loaded is None:
                failures.append(f"{iid}: gold file missing: {g}")
            else:
                pages.append(loaded)
        facts = it.get("key_facts", [])
        if not (1 <= len(facts) <= 2):
            failures.append(f"{iid}: {len(facts)} key facts (want 1-2)")
        for fact in facts:
            try:
                alts = alternatives(fact)
            except ValueError as exc:
                failures.append(f"{iid}: {exc}")
                continue
            if pages and not any(norm(a) in text for a in alts for text, _ in pages):
                failures.append(f"{iid}: key fact {fact!r} not in any gold page (outside comments)")
        forbidden = it.get("forbidden", []) or []
        if len(forbidden) > 2:
            failures.append(f"{iid}: {len(forbidden)} forbidden facts (want 0-2)")
        for fact in forbidden:
            try:
                alts = alternatives(fact)
            except ValueError as exc:
                failures.append(f"{iid}: {exc}")
                continue
            for a in alts:
                for text, title in pages:
                    if norm(a) in text:
                        failures.append(f"{iid}: forbidden fact {a!r} occurs in gold page '{title}'")
        if "max_chars" in it and not (isinstance(it["max_chars"], int) and it["max_chars"] > 0):
            failures.append(f"{iid}: max_chars must be a positive integer")
        if "paraphrase" in tags and pages:
            terms = set().union(*(title_terms(title) for _, title in pages))
            hits = question_hits(it.get("question", ""), terms)
            if hits:
                failures.append(f"{iid}: tagged paraphrase but question uses title words {hits}")
            else:
                paraphrase_ok += 1

    print(f"items: {len(items)}")
    print("tags: " + ", ".join(f"{t}={c}" for t, c in sorted(tag_counts.items())))
    print(f"paraphrase items avoiding their gold titles' words: {paraphrase_ok}")
    if failures:
        print(f"\n{len(failures)} failure(s):")
        for f in failures:
            print("  - " + f)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
