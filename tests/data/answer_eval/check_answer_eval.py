#!/usr/bin/env python3
"""Validate an answer-evaluation set (JSON Lines) against the documents it was written from.

Usage:
    python tests/data/answer_eval/check_answer_eval.py tests/data/answer_eval/demo.jsonl --root knowledge/demo
    python tests/data/answer_eval/check_answer_eval.py --preset tidb      # or istio, kubernetes, demo

A line is a conversation ``{"id", "kb", "tags", "turns": [...]}`` whose turns have
``message``, ``gold`` (paths relative to --root), ``key_facts`` (strings, or lists of
alternative strings), optional ``forbidden`` and optional ``max_chars``; or a flat item
``{"id", "question", "gold", "key_facts", ...}`` (the corpora sets), checked as one turn.

Checks, per turn:
  * every gold file exists under the root;
  * every key fact (at least one of its alternatives) occurs in at least one gold file;
  * no forbidden fact occurs in any gold file.
Text is normalised by lowercasing and removing all whitespace before the substring test
(with --strip, HTML comments and/or Hugo shortcodes are removed first, so a fact found
only in an English original inside ``<!-- -->`` does not count). .xlsx files are read
with openpyxl when importable, otherwise skipped with a warning.

Options for the stricter per-corpus rules (the presets set them): --count, --corpus
(field value and gold prefix), --max-gold/--max-facts/--max-forbidden, --min-tag TAG=N,
--strict-tags (an unknown tag fails), --no-heading-copies (a question may not be a
heading of its gold page), --paraphrase-avoids-title (a `paraphrase` item shares no
distinctive word of its gold pages' titles).

Exits 1 and lists the failures when anything is wrong; stdlib only (openpyxl optional).
Run by pytest: tests/data/answer_eval/test_eval_sets.py.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

_WS = re.compile(r"\s+")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.S)
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$", re.M)
_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)
_EN_WORD = re.compile(r"[a-z][a-z0-9]*")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
GENERIC_TITLE_WORDS = {"pod", "kubernetes", "k8s"}

ALLOWED_TAGS = {
    "spoken", "typo", "mixed_lang", "paraphrase", "two_questions", "follow_up",
    "topic_switch", "value", "howto", "cause", "error_code", "comparison", "faq", "table",
    "symptom", "error_message", "reference",
}
REPO = Path(__file__).resolve().parents[3]
CORPORA = REPO.parent / "shared" / "corpora"
HERE = Path(__file__).resolve().parent
_CORPORA_RULES = ["--count", "50", "--max-gold", "3", "--max-facts", "2", "--max-forbidden", "2", "--strict-tags"]
PRESETS: dict[str, list[str]] = {
    "demo": [str(HERE / "demo.jsonl"), "--root", str(REPO / "knowledge" / "demo")],
    "tidb": [str(HERE.parent / "corpora_eval" / "tidb.jsonl"), "--root", str(CORPORA), "--corpus", "tidb-docs-cn",
             "--strip", "comments", "--no-heading-copies", *_CORPORA_RULES],
    "istio": [str(HERE.parent / "corpora_eval" / "istio.jsonl"), "--root", str(CORPORA), "--corpus", "istio-zh",
              "--strip", "comments", "--min-tag", "faq=20", "--min-tag", "reference=5", "--min-tag", "paraphrase=20",
              *_CORPORA_RULES],
    "kubernetes": [str(HERE.parent / "corpora_eval" / "kubernetes.jsonl"), "--root", str(CORPORA),
                   "--corpus", "kubernetes-zh-cn", "--strip", "comments,shortcodes", "--paraphrase-avoids-title",
                   *_CORPORA_RULES],
}


def normalise(text: str) -> str:
    return _WS.sub("", text).lower()


def read_xlsx(path: Path) -> str | None:
    try:
        import openpyxl  # type: ignore
    except ImportError:
        return None
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def title_terms(title: str) -> set[str]:
    """Distinctive words of a title: English words, Chinese character bigrams."""
    terms = {w for w in _EN_WORD.findall(title.lower()) if w not in GENERIC_TITLE_WORDS}
    for run in _CJK_RUN.findall(title):
        terms.update([run] if len(run) == 1 else (run[i:i + 2] for i in range(len(run) - 1)))
    return terms


def title_hits(question: str, terms: set[str]) -> list[str]:
    words = set(_EN_WORD.findall(question.lower()))
    return sorted(t for t in terms if (t in words if t.isascii() else t in question))


class Corpus:
    """Gold files under a root, read once: normalised text, headings, front-matter title."""

    def __init__(self, root: Path, strip: set[str]):
        self.root = root
        self.strip = strip
        self._cache: dict[str, tuple[str | None, set[str], str]] = {}
        self.warnings: list[str] = []

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def page(self, rel: str) -> tuple[str | None, set[str], str]:
        """(normalised text or None when unreadable, normalised headings, title)."""
        if rel not in self._cache:
            path = self.root / rel
            if path.suffix.lower() == ".xlsx":
                raw = read_xlsx(path)
                if raw is None:
                    self.warnings.append(f"openpyxl not importable: skipped fact checks against {rel}")
            else:
                raw = path.read_text(encoding="utf-8", errors="replace")
            if raw is not None and "comments" in self.strip:
                raw = _COMMENT.sub(" ", raw)
            if raw is not None and "shortcodes" in self.strip:
                raw = _SHORTCODE.sub(" ", raw)
            heads = {normalise(h.strip("# ").rstrip("？?")) for h in _HEADING.findall(raw or "")}
            title = _TITLE.search(raw or "")
            self._cache[rel] = (None if raw is None else normalise(raw), heads,
                                title.group(1).strip().strip("\"'") if title else "")
        return self._cache[rel]


def _alternatives(fact) -> list[str] | None:
    alts = fact if isinstance(fact, list) else [fact]
    return alts if alts and all(isinstance(a, str) and a.strip() for a in alts) else None


def check_turn(corpus: Corpus, where: str, turn: dict, opts: argparse.Namespace, tags: list[str]) -> list[str]:
    failures: list[str] = []
    message = turn.get("message")
    if not isinstance(message, str) or not message.strip():
        failures.append(f"{where}: missing or empty message")
        message = ""
    gold = turn.get("gold")
    if not isinstance(gold, list) or not gold or not all(isinstance(g, str) for g in gold):
        return failures + [f"{where}: gold must be a non-empty list of paths"]
    if opts.max_gold and len(gold) > opts.max_gold:
        failures.append(f"{where}: {len(gold)} gold paths (at most {opts.max_gold})")
    if opts.corpus:
        failures += [f"{where}: gold path {g!r} must start with {opts.corpus}/" for g in gold
                     if not g.startswith(opts.corpus + "/")]
    missing = [g for g in gold if not corpus.exists(g)]
    failures += [f"{where}: gold file not found under root: {g}" for g in missing]
    pages = {g: corpus.page(g) for g in gold if g not in missing}
    readable = {g: p[0] for g, p in pages.items() if p[0] is not None}
    unreadable = len(readable) < len(pages)

    facts = turn.get("key_facts", [])
    if not isinstance(facts, list):
        failures.append(f"{where}: key_facts must be a list")
        facts = []
    if opts.max_facts and not 1 <= len(facts) <= opts.max_facts:
        failures.append(f"{where}: {len(facts)} key facts (want 1-{opts.max_facts})")
    for fact in facts:
        alts = _alternatives(fact)
        if alts is None:
            failures.append(f"{where}: malformed key fact {fact!r}")
        elif not unreadable and not any(normalise(a) in t for a in alts for t in readable.values()):
            failures.append(f"{where}: key fact {fact!r} not found in any gold file {sorted(pages)}")

    forbidden = turn.get("forbidden", []) or []
    if not isinstance(forbidden, list):
        failures.append(f"{where}: forbidden must be a list")
        forbidden = []
    if opts.max_forbidden is not None and len(forbidden) > opts.max_forbidden:
        failures.append(f"{where}: {len(forbidden)} forbidden facts (at most {opts.max_forbidden})")
    for item in forbidden:
        alts = _alternatives(item)
        if alts is None:
            failures.append(f"{where}: malformed forbidden item {item!r}")
            continue
        hits = sorted(g for g, t in readable.items() for a in alts if normalise(a) in t)
        if hits:
            failures.append(f"{where}: forbidden {item!r} occurs in gold file(s) {hits}")

    max_chars = turn.get("max_chars")
    if max_chars is not None and (not isinstance(max_chars, int) or max_chars <= 0):
        failures.append(f"{where}: max_chars must be a positive integer")
    if opts.no_heading_copies and message:
        asked = normalise(message).rstrip("？?")
        if any(asked in heads for _, heads, _ in pages.values()):
            failures.append(f"{where}: question copies a heading of its gold page")
    if opts.paraphrase_avoids_title and "paraphrase" in tags and pages:
        hits = title_hits(message, set().union(*(title_terms(t) for _, _, t in pages.values())))
        if hits:
            failures.append(f"{where}: tagged paraphrase but the question uses title words {hits}")
    return failures


def as_turns(item: dict) -> list[dict] | None:
    """The turns of a conversation, or a flat item as its one turn (None: neither)."""
    if "turns" in item:
        turns = item["turns"]
        return turns if isinstance(turns, list) and turns and all(isinstance(t, dict) for t in turns) else None
    if "question" in item:
        return [{"message": item["question"], **{k: item[k] for k in ("gold", "key_facts", "forbidden", "max_chars")
                                                 if k in item}}]
    return None


def check(opts: argparse.Namespace) -> tuple[list[str], list[str], Counter, int]:
    """(failures, warnings, tag counts, turns) of one dataset."""
    corpus = Corpus(opts.root, {s for s in (opts.strip or "").split(",") if s})
    failures: list[str] = []
    tag_counts: Counter = Counter()
    ids: set[str] = set()
    items = turns = 0
    for lineno, line in enumerate(opts.dataset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        items += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            failures.append(f"line {lineno}: invalid JSON ({exc})")
            continue
        iid = item.get("id") or f"line {lineno}"
        if iid in ids:
            failures.append(f"{iid}: duplicate id")
        ids.add(iid)
        if opts.corpus and item.get("corpus") != opts.corpus:
            failures.append(f"{iid}: corpus must be {opts.corpus!r}")
        tags = item.get("tags", [])
        tags = tags if isinstance(tags, list) else ["<not a list>"]
        tag_counts.update(set(tags))
        unknown = [t for t in tags if t not in ALLOWED_TAGS]
        if unknown:
            (failures if opts.strict_tags else corpus.warnings).append(f"{iid}: unknown tag(s) {unknown}")
        if opts.strict_tags and not tags:
            failures.append(f"{iid}: tags must be a non-empty list")
        item_turns = as_turns(item)
        if item_turns is None:
            failures.append(f"{iid}: needs turns (a non-empty list) or a question")
            continue
        for i, turn in enumerate(item_turns, 1):
            turns += 1
            where = iid if "question" in item else f"{iid} turn {i}"
            failures.extend(check_turn(corpus, where, turn, opts, tags))
    if opts.count is not None and items != opts.count:
        failures.append(f"expected {opts.count} items, found {items}")
    for spec in opts.min_tag:
        tag, _, minimum = spec.partition("=")
        if tag_counts[tag] < int(minimum):
            failures.append(f"tag {tag!r}: {tag_counts[tag]} items, need at least {minimum}")
    return failures, corpus.warnings, tag_counts, turns


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), help="a shipped set with its rules")
    parser.add_argument("dataset", type=Path, nargs="?", help="JSON Lines file")
    parser.add_argument("--root", type=Path, help="folder the gold paths are relative to")
    parser.add_argument("--strip", default="", help="comma list: comments, shortcodes")
    parser.add_argument("--corpus", help="required `corpus` field and gold path prefix")
    parser.add_argument("--count", type=int, help="exact number of items")
    parser.add_argument("--max-gold", type=int, help="at most this many gold paths per turn")
    parser.add_argument("--max-facts", type=int, help="1..N key facts per turn")
    parser.add_argument("--max-forbidden", type=int, help="at most this many forbidden facts per turn")
    parser.add_argument("--min-tag", action="append", default=[], metavar="TAG=N", help="at least N items tagged TAG")
    parser.add_argument("--strict-tags", action="store_true", help="an unknown or missing tag is a failure")
    parser.add_argument("--no-heading-copies", action="store_true", help="a question may not copy a gold heading")
    parser.add_argument("--paraphrase-avoids-title", action="store_true",
                        help="paraphrase items share no distinctive word of their gold titles")
    args = parser.parse_args(argv)
    if args.preset:
        args = parser.parse_args(PRESETS[args.preset] + [a for a in (argv or sys.argv[1:])
                                                         if a not in ("--preset", args.preset)])
    if args.dataset is None or args.root is None:
        parser.error("give a dataset and --root, or --preset NAME")
    return args


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    if not opts.root.is_dir():
        print(f"root not found: {opts.root}", file=sys.stderr)
        return 1
    failures, warnings, tags, turns = check(opts)
    for w in warnings:
        print(f"WARNING: {w}", file=sys.stderr)
    if failures:
        print(f"{len(failures)} failure(s) in {opts.dataset}:", file=sys.stderr)
        for f in failures:
            print(f"  - {f}", file=sys.stderr)
        return 1
    print(f"OK: {turns} turns in {opts.dataset.name} checked against {opts.root}")
    print("tags: " + ", ".join(f"{t}={c}" for t, c in sorted(tags.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
