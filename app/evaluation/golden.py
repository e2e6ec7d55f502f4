"""The saved golden set of a knowledge base, run before publishing a knowledge update.

A golden set is a retrieval JSONL (`{"question","gold":[source...],"key_facts"}`) saved at
`DATA_DIR/eval/golden/<kb>.jsonl`; its last accepted metrics at `<kb>.baseline.json`.
`run_golden(copilot, kb)` runs retrieval metrics (fast: no answers generated unless
`answers=True`), compares with the baseline and says whether anything regressed. The
knowledge tab calls it to flag an upload that makes retrieval worse.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from app.evaluation.baseline import DEFAULT_TOLERANCE, compare
from app.evaluation.suite import run_metrics

_SAFE = re.compile(r"[^\w.-]+")


def golden_dir(data_dir: Path | str) -> Path:
    return Path(data_dir) / "eval" / "golden"


def golden_path(data_dir: Path | str, kb: str) -> Path:
    return golden_dir(data_dir) / f"{_SAFE.sub('_', kb)}.jsonl"


def baseline_path(data_dir: Path | str, kb: str) -> Path:
    return golden_dir(data_dir) / f"{_SAFE.sub('_', kb)}.baseline.json"


def save_golden(data_dir: Path | str, kb: str, items: list[dict[str, Any]]) -> Path:
    """Store (replace) the golden set of a knowledge base."""
    path = golden_path(data_dir, kb)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def _data_dir(copilot: Any) -> Path:
    return Path((getattr(copilot, "info", None) or {}).get("data_dir") or "./data")


def run_golden(copilot: Any, kb: str | None = None, data_dir: Path | str | None = None, answers: bool = False,
               tolerance: float = DEFAULT_TOLERANCE, accept: bool = False) -> dict[str, Any]:
    """Run the golden set of `kb` and compare with its baseline.

    Returns `{"kb","available","items","metrics","regressions":[{"key","baseline","current","delta"}],
    "passed","baseline_saved","message"}`; `passed` is False only when something regressed beyond
    `tolerance`. With no baseline yet (or `accept=True`) the run becomes the baseline.
    """
    kb = kb or copilot.context.default_kb
    root = Path(data_dir) if data_dir else _data_dir(copilot)
    path = golden_path(root, kb)
    if not path.is_file():
        return {"kb": kb, "available": False, "items": 0, "metrics": {}, "regressions": [], "passed": True,
                "baseline_saved": False, "message": f"知识库 {kb} 还没有保存黄金评测集（{path}），未做检查。"}
    results = run_metrics(copilot, [path], kb=kb, answers=answers)
    data = next(iter(results["datasets"].values()))
    base_file = baseline_path(root, kb)
    regressions: list[dict[str, Any]] = []
    if base_file.is_file() and not accept:
        baseline = json.loads(base_file.read_text(encoding="utf-8"))
        comparison = compare(results, baseline, tolerance)
        regressions = [r for r in comparison["rows"] if r["status"] == "regression"]
        saved = False
    else:
        base_file.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        saved = True
    if regressions:
        worst = "；".join(f"{r['key'].split('/', 1)[-1]} {r['baseline']:.3f}→{r['current']:.3f}" for r in regressions)
        message = f"黄金评测集有 {len(regressions)} 项指标下降：{worst}。请确认后再发布。"
    else:
        message = f"黄金评测集 {data['n']} 条：无指标下降" + ("（已保存为新基线）" if saved else "") + "。"
    return {"kb": kb, "available": True, "items": data["n"], "metrics": data["metrics"], "regressions": regressions,
            "passed": not regressions, "baseline_saved": saved, "message": message}
