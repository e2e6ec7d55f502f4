"""Compare a metrics run with a saved baseline run and list the regressions.

Metrics are flattened to `dataset/metric` keys; all are higher-is-better, so a drop of
more than `tolerance` (absolute) is a regression. Keys present on one side only are
reported as added / removed, never as regressions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.evaluation.errors import EvalError

DEFAULT_TOLERANCE = 0.02


def flatten(results: dict[str, Any]) -> dict[str, float]:
    flat: dict[str, float] = {}
    for name, data in (results.get("datasets") or {}).items():
        for metric, value in (data.get("metrics") or {}).items():
            if isinstance(value, (int, float)):
                flat[f"{name}/{metric}"] = float(value)
    return flat


def load_baseline(path: Path | str) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalError(f"无法读取基线文件 {path}：{exc}") from None
    except json.JSONDecodeError as exc:
        raise EvalError(f"基线文件 {path} 不是合法的 JSON：{exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("datasets"), dict):
        raise EvalError(f"基线文件 {path} 不是 eval --metrics 的结果（缺少 datasets 字段）")
    return data


def compare(current: dict[str, Any], baseline: dict[str, Any], tolerance: float = DEFAULT_TOLERANCE) -> dict[str, Any]:
    """`{"rows":[{"key","baseline","current","delta","status"}],"regressions":[keys],"tolerance"}`."""
    now, before = flatten(current), flatten(baseline)
    rows = []
    for key in sorted(set(now) | set(before)):
        old, new = before.get(key), now.get(key)
        if old is None or new is None:
            rows.append({"key": key, "baseline": old, "current": new, "delta": None,
                         "status": "added" if old is None else "removed"})
            continue
        delta = round(new - old, 4)
        status = "regression" if delta < -tolerance else ("improved" if delta > tolerance else "same")
        rows.append({"key": key, "baseline": old, "current": new, "delta": delta, "status": status})
    return {"tolerance": tolerance, "rows": rows,
            "regressions": [r["key"] for r in rows if r["status"] == "regression"],
            "improvements": [r["key"] for r in rows if r["status"] == "improved"]}
