#!/usr/bin/env python3
"""Validate an answer-evaluation set (JSON Lines of conversations) against a knowledge base.

Usage:
    python tests/data/answer_eval/check_answer_eval.py tests/data/answer_eval/demo.jsonl --root knowledge/demo

Each line is a conversation ``{"id", "kb", "tags", "turns": [...]}``; each turn has
``message``, ``gold`` (paths relative to --root), ``key_facts`` (strings, or lists of
alternative strings), optional ``forbidden`` (strings) and optional ``max_chars``.

Checks, per turn:
  * every gold file exists under the root;
  * every key fact (at least one of its alternatives) occurs in at least one gold file;
  * no forbidden fact occurs in any gold file.
Text is normalised by lowercasing and removing all whitespace before the substring test.
.xlsx files are read with openpyxl (cell values joined) when it is importable, otherwise
they are skipped with a warning. Every other file is read as raw UTF-8 text.

Exits 1 and lists the failures when anything is wrong; stdlib only (openpyxl optional).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

_WS = re.compile(r"\s+")

ALLOWED_TAGS = {
    "spoken", "typo", "mixed_lang", "paraphrase", "two_questions", "follow_up",
    "topic_switch", "value", "howto", "cause", "error_code", "comparison", "faq", "table",
}


def normalise(text: str) -> str:
    return _WS.sub("", text).lower()


def read_xlsx(path: Path) -> str | None:
    try:
        import openpyxl  # type: ignore
    except ImportError:
        return None
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    parts: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if value is not None:
                    parts.append(str(value))
    return "\n".join(parts)


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        self._cache: dict[str, str | None] = {}
        self.warnings: list[str] = []

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def text(self, rel: str) -> str | None:
        """Normalised text of a gold file; None when it cannot be read (xlsx without openpyxl)."""
        if rel not in self._cache:
            path = self.root / rel
            if path.suffix.lower() == ".xlsx":
                raw = read_xlsx(path)
                if raw is None:
                    self.warnings.append(f"openpyxl not importable: skipped fact checks against {rel}")
            else:
                raw = path.read_text(encoding="utf-8", errors="replace")
            self._cache[rel] = None if raw is None else normalise(raw)
        return self._cache[rel]


def check_turn(corpus: Corpus, where: str, turn: dict) -> list[str]:
    failures: list[str] = []
    message = turn.get("message")
    if not isinstance(message, str) or not message.strip():
        failures.append(f"{where}: missing or empty message")
    gold = turn.get("gold")
    if not isinstance(gold, list) or not gold or not all(isinstance(g, str) for g in gold):
        failures.append(f"{where}: gold must be a non-empty list of paths")
        return failures
    missing = [g for g in gold if not corpus.exists(g)]
    for g in missing:
        failures.append(f"{where}: gold file not found under root: {g}")
    present = [g for g in gold if g not in missing]
    texts = {g: corpus.text(g) for g in present}
    readable = {g: t for g, t in texts.items() if t is not None}
    unreadable = [g for g, t in texts.items() if t is None]

    key_facts = turn.get("key_facts", [])
    if not isinstance(key_facts, list):
        failures.append(f"{where}: key_facts must be a list")
        key_facts = []
    for fact in key_facts:
        alternatives = fact if isinstance(fact, list) else [fact]
        if not alternatives or not all(isinstance(a, str) and a.strip() for a in alternatives):
            failures.append(f"{where}: malformed key fact {fact!r}")
            continue
        found = any(normalise(a) in t for a in alternatives for t in readable.values())
        if not found and not unreadable:
            failures.append(f"{where}: key fact {fact!r} not found in any gold file {present}")

    forbidden = turn.get("forbidden", [])
    if not isinstance(forbidden, list):
        failures.append(f"{where}: forbidden must be a list")
        forbidden = []
    for item in forbidden:
        if not isinstance(item, str) or not item.strip():
            failures.append(f"{where}: malformed forbidden item {item!r}")
            continue
        hits = [g for g, t in readable.items() if normalise(item) in t]
        if hits:
            failures.append(f"{where}: forbidden {item!r} occurs in gold file(s) {hits}")

    max_chars = turn.get("max_chars")
    if max_chars is not None and (not isinstance(max_chars, int) or max_chars <= 0):
        failures.append(f"{where}: max_chars must be a positive integer")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="JSON Lines file of conversations")
    parser.add_argument("--root", type=Path, required=True, help="knowledge base root the gold paths are relative to")
    args = parser.parse_args(argv)

    corpus = Corpus(args.root)
    failures: list[str] = []
    ids: set[str] = set()
    conversations = turns = 0
    for lineno, line in enumerate(args.dataset.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            conv = json.loads(line)
        except json.JSONDecodeError as exc:
            failures.append(f"line {lineno}: invalid JSON ({exc})")
            continue
        cid = conv.get("id") or f"line {lineno}"
        if cid in ids:
            failures.append(f"{cid}: duplicate id")
        ids.add(cid)
        tags = conv.get("tags", [])
        unknown = [t for t in tags if t not in ALLOWED_TAGS] if isinstance(tags, list) else ["<not a list>"]
        if unknown:
            corpus.warnings.append(f"{cid}: unknown tag(s) {unknown}")
        conv_turns = conv.get("turns")
        if not isinstance(conv_turns, list) or not conv_turns:
            failures.append(f"{cid}: turns must be a non-empty list")
            continue
        conversations += 1
        for i, turn in enumerate(conv_turns, 1):
            turns += 1
            failures.extend(check_turn(corpus, f"{cid} turn {i}", turn))

    for w in corpus.warnings:
        print(f"WARNING: {w}", file=sys.stderr)
    if failures:
        print(f"{len(failures)} failure(s) in {args.dataset}:", file=sys.stderr)
        for f in failures:
            print(f"  - {f}", file=sys.stderr)
        return 1
    print(f"OK: {conversations} conversations, {turns} turns checked against {args.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
