"""The training record every generator writes, and reading/writing datasets with manifests.

A dataset is `NAME.jsonl` (one record a line) plus `NAME.manifest.json` beside it:
sources, counts per generator and origin, ratio, seed and the filters applied. Records
are either instructions (`kind="sft"`: instruction, input, output) or plain documents
for next-token prediction (`kind="pretrain"`: text). `origin` says whether a record is
domain or general data, which the mixer and the forgetting check rely on.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Literal

from models.errors import ModelError

Kind = Literal["sft", "pretrain"]
Origin = Literal["domain", "general"]


@dataclass
class Record:
    """One training example."""

    instruction: str = ""
    """What the user asks (SFT)."""
    output: str = ""
    """The answer the model should give (SFT)."""
    input: str = ""
    """Extra input for the instruction (a passage, a log line); may be empty."""
    text: str = ""
    """The document text (pretrain records only)."""
    kind: Kind = "sft"
    origin: Origin = "domain"
    generator: str = ""
    """Which generator made it, e.g. "selfqa-faq", "selfkg", "refusal", "seed"."""
    source: str = ""
    """Where it came from: a document path, a table row, a seed id."""
    context: str = ""
    """The source chunk the answer must be grounded in (used by the grounding filter)."""
    lang: str = "zh"
    id: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    """A whole conversation (models.llm.base.ChatMessage JSON) when the example is more than one question and
    its answer — tool-use trajectories: every assistant turn and tool call is learned, nothing else."""
    tools: list[dict[str, Any]] = field(default_factory=list)
    """The tools offered in `messages` (OpenAI function shape), rendered by the chat template."""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.fingerprint()

    def fingerprint(self) -> str:
        """Short stable id from the content."""
        payload = "\x1f".join((self.kind, self.instruction, self.input, self.output, self.text))
        if self.messages:
            payload += "\x1f" + json.dumps(self.messages, ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def prompt_text(self) -> str:
        """The user side of an SFT record (instruction then input)."""
        return f"{self.instruction}\n\n{self.input}".strip() if self.input else self.instruction

    @property
    def body(self) -> str:
        """All trainable text, used for length limits and near-duplicate checks."""
        if self.kind == "pretrain":
            return self.text
        if self.messages:
            return "\n".join(str(m.get("content") or "") for m in self.messages if m.get("role") != "system")
        return f"{self.prompt_text}\n{self.output}"

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", []) or k in ("instruction", "output")}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Record":
        known = {f for f in cls.__dataclass_fields__}
        clean = {k: v for k, v in data.items() if k in known}
        messages = data.get("messages")
        if isinstance(messages, list) and not clean.get("instruction"):
            clean.update(_from_messages(messages))
        if not (isinstance(messages, list) and _is_conversation(messages, data.get("tools"))):
            clean.pop("messages", None)  # a plain question/answer pair: trained as instruction -> output
        return cls(**clean)


def _is_conversation(messages: list[Any], tools: Any) -> bool:
    """More than one question and its answer: tools offered, tool calls or results, or several answers."""
    dicts = [m for m in messages if isinstance(m, dict)]
    return bool(tools) or any(m.get("role") == "tool" or m.get("tool_calls") for m in dicts) or \
        sum(m.get("role") == "assistant" for m in dicts) > 1


def _from_messages(messages: list[dict[str, Any]]) -> dict[str, str]:
    """Accept the common chat format: the first user turn and the (last) assistant reply."""
    user = next((m.get("content", "") for m in messages if m.get("role") == "user"), "")
    answers = [m.get("content", "") for m in messages if m.get("role") == "assistant" and m.get("content")]
    return {"instruction": user, "output": answers[-1] if answers else ""}


def read_records(path: str | Path) -> list[Record]:
    """Load a JSONL dataset; a bad line raises ModelError naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"数据文件不存在：{path}")
    records = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            record = Record.from_json(data)
        except (json.JSONDecodeError, TypeError) as exc:
            raise ModelError(f"数据文件 {path} 第 {lineno} 行不是合法的记录：{exc}") from None
        if record.kind not in ("sft", "pretrain"):
            raise ModelError(f"数据文件 {path} 第 {lineno} 行的 kind 必须是 sft 或 pretrain")
        if record.origin not in ("domain", "general"):
            raise ModelError(f"数据文件 {path} 第 {lineno} 行的 origin 必须是 domain 或 general")
        if record.kind == "sft" and not (record.instruction and record.output):
            raise ModelError(f"数据文件 {path} 第 {lineno} 行缺少 instruction 或 output")
        if record.kind == "pretrain" and not record.text:
            raise ModelError(f"数据文件 {path} 第 {lineno} 行（pretrain）缺少 text")
        records.append(record)
    return records


def manifest_path(path: str | Path) -> Path:
    """`data.jsonl` -> `data.manifest.json`."""
    path = Path(path)
    return path.with_name(path.name.removesuffix(".jsonl") + ".manifest.json")


def write_dataset(
    path: str | Path,
    records: Iterable[Record],
    *,
    sources: list[str],
    seed: int | None = None,
    ratio: float | None = None,
    filters: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write records as JSONL plus the manifest; return the manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    records = list(records)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")
    manifest: dict[str, Any] = {
        "file": path.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sources": sources,
        "count": len(records),
        "counts": {
            "generator": dict(Counter(r.generator or "unknown" for r in records)),
            "origin": dict(Counter(r.origin for r in records)),
            "kind": dict(Counter(r.kind for r in records)),
        },
        "ratio": ratio,
        "seed": seed,
        "filters": filters or {},
        **(extra or {}),
    }
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def read_manifest(path: str | Path) -> dict[str, Any] | None:
    """The manifest beside a dataset, if there is one."""
    mpath = manifest_path(path)
    if not mpath.is_file():
        return None
    return json.loads(mpath.read_text(encoding="utf-8"))


def dataset_sha(path: str | Path) -> str:
    """Content hash of a dataset file (recorded in the adapter's meta.json)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def unique(records: Iterable[Record]) -> list[Record]:
    """Drop exact repeats (same id), keeping the first."""
    seen: set[str] = set()
    out = []
    for record in records:
        if record.id not in seen:
            seen.add(record.id)
            out.append(record)
    return out


__all__ = ["Record", "read_records", "write_dataset", "read_manifest", "manifest_path", "dataset_sha", "unique"]
