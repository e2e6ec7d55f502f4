#!/usr/bin/env python3
"""Validates the frozen multi-turn dialogue evaluation set (stdlib only).

    python tests/data/dialogue_eval/check_dialogue_eval.py [FILE.jsonl]

Format: one conversation per line, `{"id", "kb", "tags", ["history"], "turns"}`; `history` is
an optional list of `{"role", "content"}` messages the conversation starts from; each turn is
`{"message", "handled_by", "decision", ["key_terms"], ["forbidden_terms"], ["runbook"]}`:
`handled_by` is question / runbook / clarify; `decision` is new_topic, follow_up, clarify,
runbook_start, runbook_reply, control, step_question or new_question; `key_terms` are what the
standalone (rewritten) question must contain, `forbidden_terms` what it must not; `runbook`
(runbook_start turns only) is the id of the runbook that should start.

Checks, for every conversation of `demo.jsonl` (or FILE):

- schema: required fields, allowed values, ids `dlg-NNN` unique, `kb` is `demo`, tags from the
  allowed list, `history` alternating user/assistant starting with the user, 2-4 turns (at most
  4 user turns counting the history), `key_terms` (1-3 items, each a string or a list of
  alternatives) on every turn answered as a question and on no other turn;
- consistency: `handled_by` follows from `decision`; `runbook_start` names a runbook of
  tools/runbooks/library; `runbook_reply` / `control` / `new_question` / `step_question` only
  while a runbook waits; `new_topic` / `follow_up` / `clarify` never while it waits; a
  `follow_up` has something to follow; `clarify` only opens a fresh conversation; tags agree
  with the turns (a `control` tag needs a control turn, and so on);
- grounding: some alternative of every key term, and every forbidden term, appears in the
  conversation's own text (history and messages) or in the demo knowledge base
  (knowledge/demo, files listed in its .kbignore left out); a forbidden term is neither in the
  turn's own message nor inside one of its key terms;
- coverage: the minimum counts of the brief (60 conversations, 10 pronoun, 8 ellipsis,
  8 ordinal, 6 named_item, 10 topic_switch, 3 clarify, 12 conversations with a waiting runbook)
  and the newcomer transcript.

Matching ignores case and whitespace. Prints counts per decision and per tag; exits 1 with the
list of problems.
"""

from __future__ import annotations

import fnmatch
import html
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
KB_DIR = REPO / "knowledge" / "demo"
RUNBOOK_DIR = REPO / "tools" / "runbooks" / "library"
DEFAULT_FILE = HERE / "demo.jsonl"

HANDLED_BY = {
    "new_topic": "question",
    "follow_up": "question",
    "new_question": "question",
    "step_question": "question",
    "clarify": "clarify",
    "runbook_start": "runbook",
    "runbook_reply": "runbook",
    "control": "runbook",
}
WHILE_WAITING = {"runbook_reply", "control", "new_question", "step_question"}
NOT_WHILE_WAITING = {"new_topic", "follow_up", "clarify"}
# A control message containing one of these ends the runbook (the others: skip, approve, reject).
LEAVE_WORDS = ("退出", "算了", "不查了", "停", "exit", "quit", "stop", "cancel")

TAGS = {
    "follow_up", "pronoun", "ellipsis", "ordinal", "named_item", "topic_switch", "clarify",
    "runbook_new_question", "runbook_reply", "control", "step_question", "spoken", "typo",
    "mixed_lang",
}
# tag -> decisions of which at least one turn must carry one
TAG_NEEDS = {
    "follow_up": {"follow_up"},
    "clarify": {"clarify"},
    "runbook_new_question": {"new_question"},
    "runbook_reply": {"runbook_reply"},
    "control": {"control"},
    "step_question": {"step_question"},
    "pronoun": {"follow_up", "new_question", "step_question"},
    "ellipsis": {"follow_up", "new_question", "step_question"},
    "ordinal": {"follow_up", "new_question", "step_question"},
    "named_item": {"follow_up", "new_question", "step_question"},
}
# decision -> tag a conversation with such a turn must carry
DECISION_TAG = {
    "follow_up": "follow_up",
    "clarify": "clarify",
    "new_question": "runbook_new_question",
    "runbook_reply": "runbook_reply",
    "control": "control",
    "step_question": "step_question",
}
MINIMUMS = {
    "pronoun": 10, "ellipsis": 8, "ordinal": 8, "named_item": 6, "topic_switch": 10, "clarify": 3,
}
MIN_CONVERSATIONS = 60
MIN_RUNBOOK_WAITING = 12
NEWCOMER = [
    ("SSH 连不上，一直 Connection timed out", "new_topic"),
    ("帮我排查一下", "runbook_start"),
    ("那默认端口是多少？", "new_question"),
    ("203.0.113.10", "runbook_reply"),
]
CONV_KEYS = {"id", "kb", "tags", "history", "turns"}
TURN_KEYS = {"message", "handled_by", "decision", "key_terms", "forbidden_terms", "runbook"}


def norm(text: str) -> str:
    """Lower-cased, whitespace removed."""
    return re.sub(r"\s+", "", text).lower()


def kb_ignored(rel: str, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def xlsx_text(path: Path) -> str:
    parts = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/") and name.endswith(".xml") and (
                "sharedStrings" in name or name.startswith("xl/worksheets/")
            ):
                xml = zf.read(name).decode("utf-8", errors="replace")
                parts.append(html.unescape(re.sub(r"<[^>]+>", " ", xml)))
    return " ".join(parts)


def load_kb_text(kb_dir: Path) -> str:
    ignore_file = kb_dir / ".kbignore"
    patterns = [".kbignore"]
    if ignore_file.exists():
        for line in ignore_file.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                patterns.append(line.rstrip("/"))
    texts = []
    for path in sorted(kb_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(kb_dir).as_posix()
        if kb_ignored(rel, patterns):
            continue
        if path.suffix.lower() == ".xlsx":
            texts.append(xlsx_text(path))
        else:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return norm("\n".join(texts))


def runbook_ids(directory: Path) -> set[str]:
    ids = set()
    for path in sorted(directory.glob("*.yaml")):
        m = re.search(r"^id:\s*([\w.-]+)\s*$", path.read_text(encoding="utf-8"), re.M)
        if m:
            ids.add(m.group(1))
    return ids


def term_items(value) -> list[list[str]] | None:
    """key_terms as a list of alternative lists, or None when malformed."""
    if not isinstance(value, list) or not 1 <= len(value) <= 3:
        return None
    items = []
    for item in value:
        alts = [item] if isinstance(item, str) else item
        if not isinstance(alts, list) or not alts:
            return None
        if not all(isinstance(a, str) and a.strip() for a in alts):
            return None
        items.append(alts)
    return items


def check_conversation(conv, n: int, kb_text: str, runbooks: set[str], seen_ids: set[str]) -> list[str]:
    problems: list[str] = []
    where = f"line {n}"
    if not isinstance(conv, dict):
        return [f"{where}: not a JSON object"]
    cid = conv.get("id")
    where = f"line {n} ({cid})"

    def bad(msg: str) -> None:
        problems.append(f"{where}: {msg}")

    for key in CONV_KEYS - {"history"}:
        if key not in conv:
            bad(f"missing field {key!r}")
    for key in set(conv) - CONV_KEYS:
        bad(f"unknown field {key!r}")
    if not isinstance(cid, str) or not re.fullmatch(r"dlg-\d{3}", cid):
        bad("id must look like dlg-001")
    elif cid in seen_ids:
        bad("duplicate id")
    else:
        seen_ids.add(cid)
    if conv.get("kb") != "demo":
        bad("kb must be 'demo'")

    tags = conv.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        bad("tags must be a non-empty list of strings")
        tags = []
    else:
        for t in tags:
            if t not in TAGS:
                bad(f"unknown tag {t!r}")
        if len(set(tags)) != len(tags):
            bad("duplicate tags")

    # history
    history = conv.get("history", [])
    text_parts: list[str] = []
    history_users = 0
    if "history" in conv:
        if not isinstance(history, list) or not history or len(history) % 2:
            bad("history must be a non-empty list of user/assistant pairs")
            history = []
        for i, msg in enumerate(history):
            want = "user" if i % 2 == 0 else "assistant"
            if not isinstance(msg, dict) or set(msg) != {"role", "content"}:
                bad(f"history[{i}] must have exactly 'role' and 'content'")
                continue
            if msg["role"] != want:
                bad(f"history[{i}] role must be {want!r}")
            if not isinstance(msg["content"], str) or not msg["content"].strip():
                bad(f"history[{i}] content must be non-empty text")
                continue
            history_users += msg["role"] == "user"
            text_parts.append(msg["content"])

    turns = conv.get("turns")
    if not isinstance(turns, list) or not 2 <= len(turns) <= 4:
        bad("turns must be a list of 2-4 turns")
        turns = turns if isinstance(turns, list) else []
    if history_users + len(turns) > 4:
        bad("more than 4 user turns counting the history")
    for t in turns:
        if isinstance(t, dict) and isinstance(t.get("message"), str):
            text_parts.append(t["message"])
    conv_text = norm("\n".join(text_parts))

    def grounded(term: str) -> bool:
        key = norm(term)
        return key in conv_text or key in kb_text

    active = False  # a runbook waits for the agent
    decisions: list[str] = []
    for i, turn in enumerate(turns):
        tw = f"turn {i + 1}"
        if not isinstance(turn, dict):
            bad(f"{tw}: not an object")
            continue
        for key in ("message", "handled_by", "decision"):
            if key not in turn:
                bad(f"{tw}: missing field {key!r}")
        for key in set(turn) - TURN_KEYS:
            bad(f"{tw}: unknown field {key!r}")
        message = turn.get("message")
        if not isinstance(message, str) or not message.strip():
            bad(f"{tw}: message must be non-empty text")
            message = ""
        decision = turn.get("decision")
        handled_by = turn.get("handled_by")
        if decision not in HANDLED_BY:
            bad(f"{tw}: unknown decision {decision!r}")
            continue
        decisions.append(decision)
        if handled_by != HANDLED_BY[decision]:
            bad(f"{tw}: decision {decision} must be handled_by {HANDLED_BY[decision]}, not {handled_by!r}")

        # order
        if decision in WHILE_WAITING and not active:
            bad(f"{tw}: {decision} needs a runbook that waits (no runbook_start before)")
        if decision in NOT_WHILE_WAITING and active:
            bad(f"{tw}: {decision} while a runbook waits (must be new_question, step_question, "
                "runbook_reply or control)")
        if decision == "follow_up" and i == 0 and not history:
            bad(f"{tw}: follow_up with nothing before it")
        if decision == "clarify" and (i > 0 or history):
            bad(f"{tw}: clarify only as the first message of a fresh conversation")
        if decision == "runbook_start":
            active = True
        elif decision == "control" and any(w in message.lower() for w in LEAVE_WORDS):
            active = False

        # runbook id
        if decision == "runbook_start":
            if turn.get("runbook") not in runbooks:
                bad(f"{tw}: runbook_start must name a runbook of the library, got {turn.get('runbook')!r}")
        elif "runbook" in turn:
            bad(f"{tw}: 'runbook' only on runbook_start turns")

        # key terms
        if handled_by == "question":
            items = term_items(turn.get("key_terms"))
            if items is None:
                bad(f"{tw}: key_terms must be 1-3 items, each a string or a non-empty list of strings")
                items = []
            for alts in items:
                if not any(grounded(a) for a in alts):
                    bad(f"{tw}: key term {alts} appears neither in the conversation nor in the demo KB")
            forbidden = turn.get("forbidden_terms", [])
            if "forbidden_terms" in turn and (
                not isinstance(forbidden, list) or not forbidden
                or not all(isinstance(f, str) and f.strip() for f in forbidden)
            ):
                bad(f"{tw}: forbidden_terms must be a non-empty list of strings")
                forbidden = []
            for f in forbidden:
                if not grounded(f):
                    bad(f"{tw}: forbidden term {f!r} appears neither in the conversation nor in the demo KB")
                if norm(f) in norm(message):
                    bad(f"{tw}: forbidden term {f!r} is in the message itself")
                for alts in items:
                    if any(norm(f) in norm(a) for a in alts):
                        bad(f"{tw}: forbidden term {f!r} is part of key term {alts}")
        else:
            for key in ("key_terms", "forbidden_terms"):
                if key in turn:
                    bad(f"{tw}: {key} only on turns handled as questions")

    # tags <-> turns
    present = set(decisions)
    for tag in tags:
        need = TAG_NEEDS.get(tag)
        if need and not need & present:
            bad(f"tag {tag!r} but no turn with decision {' / '.join(sorted(need))}")
    for decision, tag in DECISION_TAG.items():
        if decision in present and tag not in tags:
            bad(f"a {decision} turn but no {tag!r} tag")
    if "topic_switch" in tags and not any(
        isinstance(t, dict) and t.get("forbidden_terms") for t in turns
    ):
        bad("tag 'topic_switch' but no turn with forbidden_terms (the old topic)")
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_FILE
    problems: list[str] = []
    kb_text = load_kb_text(KB_DIR)
    runbooks = runbook_ids(RUNBOOK_DIR)
    if not kb_text:
        problems.append(f"no knowledge base text under {KB_DIR}")
    if not runbooks:
        problems.append(f"no runbooks under {RUNBOOK_DIR}")

    convs = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            conv = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {n}: not JSON: {exc}")
            continue
        convs.append(conv)
        problems.extend(check_conversation(conv, n, kb_text, runbooks, seen))

    # coverage
    tag_counts: Counter = Counter()
    decision_counts: Counter = Counter()
    waiting = 0
    newcomer = False
    for conv in convs:
        if not isinstance(conv, dict):
            continue
        tag_counts.update(t for t in conv.get("tags", []) if isinstance(t, str))
        turns = [t for t in conv.get("turns", []) if isinstance(t, dict)]
        decision_counts.update(t.get("decision") for t in turns)
        if any(t.get("decision") in WHILE_WAITING for t in turns):
            waiting += 1
        pairs = [(t.get("message"), t.get("decision")) for t in turns]
        newcomer = newcomer or pairs == NEWCOMER
    if len(convs) < MIN_CONVERSATIONS:
        problems.append(f"only {len(convs)} conversations, at least {MIN_CONVERSATIONS} wanted")
    for tag, least in MINIMUMS.items():
        if tag_counts[tag] < least:
            problems.append(f"only {tag_counts[tag]} conversations tagged {tag!r}, at least {least} wanted")
    if waiting < MIN_RUNBOOK_WAITING:
        problems.append(f"only {waiting} conversations with a waiting runbook, at least {MIN_RUNBOOK_WAITING} wanted")
    for decision in WHILE_WAITING:
        if not decision_counts[decision]:
            problems.append(f"no {decision} turn")
    if not newcomer:
        problems.append("the newcomer transcript (" + " -> ".join(m for m, _ in NEWCOMER) + ") is missing")

    print(f"{path}: {len(convs)} conversations, {sum(decision_counts.values())} turns, "
          f"{waiting} with a waiting runbook")
    print("decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(decision_counts.items(), key=str)))
    print("tags: " + ", ".join(f"{k} {v}" for k, v in sorted(tag_counts.items())))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for p in problems:
            print(f"- {p}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
