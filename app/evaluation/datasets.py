"""Labelled evaluation sets (JSONL, formats in docs/contracts.md) and their kind.

The kind is read from the keys of the items: retrieval (`question`, `gold`), guard
(`message`, `expected`), split (`message`, `sub_questions`), rewrite (`history`,
`message`, `standalone`). Retrieval items with `key_facts` also feed the answer metrics.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.evaluation.errors import EvalError

Kind = Literal["retrieval", "guard", "split", "rewrite"]
REQUIRED: dict[str, tuple[str, ...]] = {
    "rewrite": ("history", "message", "standalone"),
    "retrieval": ("question", "gold"),
    "guard": ("message", "expected"),
    "split": ("message", "sub_questions"),
}


@dataclass
class Dataset:
    name: str
    path: Path
    kind: Kind
    items: list[dict[str, Any]]


def kind_of(item: dict[str, Any]) -> Kind | None:
    for kind, keys in REQUIRED.items():
        if all(k in item for k in keys):
            return kind  # type: ignore[return-value]
    return None


def load_dataset(path: Path | str, limit: int | None = None) -> Dataset:
    """One JSONL file; every line must be an object of the same kind (EvalError names file and line)."""
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"找不到评测数据集：{path}")
    items: list[dict[str, Any]] = []
    kind: Kind | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"数据集 {path} 第 {number} 行不是合法的 JSON：{exc.msg}") from None
        item_kind = kind_of(item) if isinstance(item, dict) else None
        if item_kind is None:
            raise EvalError(f"数据集 {path} 第 {number} 行缺少字段：需要 " +
                            " 或 ".join("+".join(keys) for keys in REQUIRED.values()))
        if kind and item_kind != kind:
            raise EvalError(f"数据集 {path} 第 {number} 行是 {item_kind} 条目，而前面的条目是 {kind}")
        kind = item_kind
        items.append(item)
    if not items:
        raise EvalError(f"数据集 {path} 是空的")
    return Dataset(name=path.stem, path=path, kind=kind, items=items[:limit] if limit else items)  # type: ignore[arg-type]


def expand_paths(paths: list[Path | str]) -> list[Path]:
    """JSONL files from files and folders (folders: every *.jsonl inside, sorted)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(path.glob("*.jsonl"))
        else:
            out.append(path)
    if not out:
        raise EvalError(f"在 {', '.join(map(str, paths))} 中没有找到 .jsonl 数据集")
    return out
