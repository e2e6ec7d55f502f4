"""Run the metrics of several labelled sets against one copilot: the `eval --metrics` results."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from app.evaluation.datasets import expand_paths, load_datasets
from app.evaluation.metrics import evaluate_dataset


def run_metrics(copilot: Any, paths: list[Path | str], kb: str | None = None, k: int = 10, answers: bool = True,
                limit: int | None = None, progress: Callable[[str, int, int], None] | None = None) -> dict[str, Any]:
    """`{"meta": {...}, "datasets": {name: evaluator result}}` for every dataset in `paths`."""
    started = time.perf_counter()
    datasets: dict[str, Any] = {}
    for dataset in [d for path in expand_paths(paths) for d in load_datasets(path, limit)]:
        step = (lambda done, total, name=dataset.name: progress(name, done, total)) if progress else None
        t0 = time.perf_counter()
        datasets[dataset.name] = {**evaluate_dataset(dataset, copilot, kb, k, answers, step),
                                  "path": str(dataset.path), "seconds": round(time.perf_counter() - t0, 1)}
    status = copilot.status()
    llm = status.get("llm") or {}
    meta = {
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "kb": kb or status.get("default_kb"),
        "llm": llm.get("backend") or llm.get("name") or "?",
        "embedder": status.get("embedder"),
        "version": status.get("version"),
        "k": k,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return {"meta": meta, "datasets": datasets}
