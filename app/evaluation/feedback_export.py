"""Thumbs-down feedback -> JSONL evaluation items, for a person to label and add to a set.

Each item is a retrieval item (`question`, `gold`, `key_facts`) with `gold` and
`key_facts` left empty until labelled (`needs_labels: true`), plus what the agent
disliked: the reason, the answer, the cited sources, the route and where it came from.
Unlabelled items are counted but not scored by `eval --metrics`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.feedback import FeedbackStore


def feedback_items(rows: list[dict[str, Any]], with_reason_only: bool = True) -> list[dict[str, Any]]:
    """Evaluation items from FeedbackStore rows (thumbs down; with a reason unless told otherwise)."""
    items = []
    for row in sorted(rows, key=lambda r: (r["created_at"], r["id"])):
        if row["rating"] != -1 or (with_reason_only and not (row.get("reason") or "").strip()):
            continue
        turn = row.get("turn_json") or {}
        question = row.get("question") or turn.get("question") or ""
        if not question.strip():
            continue
        items.append({
            "question": question,
            "gold": [],
            "key_facts": [],
            "needs_labels": True,
            "reason": row.get("reason") or "",
            "standalone": turn.get("standalone") or [],
            "bad_answer": row.get("answer") or turn.get("answer") or "",
            "cited": [c.get("source") for c in turn.get("citations") or []],
            "route": row.get("route") or "",
            "feedback": {"id": row["id"], "user": row["user"], "session_id": row["session_id"], "turn": row["turn"],
                         "created_at": row["created_at"]},
        })
    return items


def export_feedback(data_dir: Path | str, out: Path | str | None = None, with_reason_only: bool = True,
                    limit: int = 100000, store: Any = None) -> list[dict[str, Any]]:
    """Read DATA_DIR/feedback.sqlite (or `store`: the server-mode feedback table); write the items as
    JSONL to `out` when given; return them."""
    path = Path(data_dir) / "feedback.sqlite"
    rows: list[dict[str, Any]] = []
    if store is not None:
        rows = store.list(limit=limit)
    elif path.is_file():
        store = FeedbackStore(path)
        try:
            rows = store.list(limit=limit)
        finally:
            store.close()
    items = feedback_items(rows, with_reason_only)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return items
