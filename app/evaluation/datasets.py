"""Labelled evaluation sets (JSONL, formats in docs/contracts.md) and their kind.

The kind is read from the keys of the items: answer (`turns`: a conversation whose turns
have `message` and `gold`), retrieval (`question`, `gold`), guard (`message`, `expected`),
split (`message`, `sub_questions`), rewrite (`history`, `message`, `standalone`).
Retrieval items also feed the answer metrics, each as a one-turn conversation.
A file mixing kinds (e.g. benchmarks/data/understanding_tidb.jsonl) becomes one dataset
per kind, named `<file>-<kind>`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.evaluation.errors import EvalError

Kind = Literal["answer", "retrieval", "guard", "split", "rewrite"]
REQUIRED: dict[str, tuple[str, ...]] = {
    "answer": ("turns",),
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


def load_datasets(path: Path | str, limit: int | None = None) -> list[Dataset]:
    """The datasets of one JSONL file: one per kind found, in order of first appearance."""
    path = Path(path)
    if not path.is_file():
        raise EvalError(f"找不到评测数据集：{path}")
    groups: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = _parse(line, path, number)
        groups.setdefault(kind_of(item), []).append(item)  # type: ignore[arg-type]
    if not groups:
        raise EvalError(f"数据集 {path} 是空的")
    return [Dataset(name=path.stem if len(groups) == 1 else f"{path.stem}-{kind}", path=path, kind=kind,  # type: ignore[arg-type]
                    items=items[:limit] if limit else items) for kind, items in groups.items()]


def _parse(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvalError(f"数据集 {path} 第 {number} 行不是合法的 JSON：{exc.msg}") from None
    if not isinstance(item, dict) or kind_of(item) is None:
        raise EvalError(f"数据集 {path} 第 {number} 行缺少字段：需要 " +
                        " 或 ".join("+".join(keys) for keys in REQUIRED.values()))
    if kind_of(item) == "answer":
        _check_turns(item["turns"], path, number)
    return item


def _check_turns(turns: Any, path: Path, number: int) -> None:
    """Each turn of a conversation needs a message and a list of gold sources."""
    if not isinstance(turns, list) or not turns:
        raise EvalError(f"数据集 {path} 第 {number} 行：turns 必须是非空列表")
    for i, turn in enumerate(turns, 1):
        if not (isinstance(turn, dict) and isinstance(turn.get("message"), str) and turn["message"].strip()
                and isinstance(turn.get("gold"), list)):
            raise EvalError(f"数据集 {path} 第 {number} 行第 {i} 轮：需要 message（文字）和 gold（来源列表）")


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
