"""The adapter directory: one sub-folder per LoRA adapter, holding the peft files
(`adapter_config.json`, `adapter_model.safetensors`) and a `meta.json`
{"domain", "base_model", "training_data", "date", ...}.

`scan_adapters` reads and validates it without loading any weights; `check_base`
refuses adapters trained for another base model. Both raise `ModelError` naming the
adapter folder and the setting to fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from models.errors import ModelError

if TYPE_CHECKING:  # models.config imports the backends, which import this module
    from models.config import ModelSettings

META_FILE = "meta.json"
PEFT_CONFIG = "adapter_config.json"
REQUIRED_META = ("domain", "base_model")


@dataclass(frozen=True)
class AdapterInfo:
    """One adapter found in the adapter directory."""

    name: str
    """Folder name; the name used in router rules and served names."""
    path: Path
    domain: str
    base_model: str
    meta: dict = field(default_factory=dict)
    """The whole meta.json (training_data, date, metrics ...)."""

    def to_json(self) -> dict:
        return {"name": self.name, "path": str(self.path), **self.meta}


def adapter_dir(settings: ModelSettings, data_dir: Path) -> Path:
    """The configured adapter directory, default `data_dir/adapters`."""
    return Path(settings.adapters.dir) if settings.adapters.dir else Path(data_dir) / "adapters"


def scan_adapters(directory: Path, required: bool = False) -> list[AdapterInfo]:
    """Every adapter sub-folder, sorted by name; a broken one raises ModelError.

    A missing directory is an empty list unless `required` (explicitly configured).
    """
    directory = Path(directory)
    if not directory.is_dir():
        if required:
            raise ModelError(f"适配器目录不存在：{directory}（设置项 models.adapters.dir）")
        return []
    found = []
    for sub in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found.append(read_adapter(sub))
    return found


def read_adapter(path: Path) -> AdapterInfo:
    """Validate one adapter folder and read its meta.json."""
    where = f"适配器 {path.name}（{path}，设置项 models.adapters.dir）"
    if not (path / PEFT_CONFIG).is_file():
        raise ModelError(f"{where} 缺少 {PEFT_CONFIG}，不是 peft LoRA 适配器目录")
    if not any(path.glob("adapter_model.*")):
        raise ModelError(f"{where} 缺少权重文件 adapter_model.safetensors")
    meta_path = path / META_FILE
    if not meta_path.is_file():
        raise ModelError(f"{where} 缺少 {META_FILE}（需要 domain、base_model、training_data、date）")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{where} 的 {META_FILE} 无法解析：{exc}") from None
    if not isinstance(meta, dict):
        raise ModelError(f"{where} 的 {META_FILE} 顶层必须是对象")
    missing = [k for k in REQUIRED_META if not str(meta.get(k) or "").strip()]
    if missing:
        raise ModelError(f"{where} 的 {META_FILE} 缺少字段：{', '.join(missing)}")
    return AdapterInfo(path.name, path, str(meta["domain"]), str(meta["base_model"]), meta)


def same_base(declared: str, configured: str) -> bool:
    """Base model names match exactly or by their last path part ("Qwen/Qwen2.5-1.5B" ~ "Qwen2.5-1.5B")."""
    def last(name: str) -> str:
        return name.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1].lower()

    return declared == configured or last(declared) == last(configured)


def check_base(adapters: list[AdapterInfo], base_id: str) -> None:
    """Refuse adapters trained for a different base model than the configured one."""
    wrong = [a for a in adapters if not same_base(a.base_model, base_id)]
    if wrong:
        listed = "；".join(f"{a.name}（训练于 {a.base_model}）" for a in wrong)
        raise ModelError(
            f"适配器与当前基座模型 {base_id} 不匹配：{listed}。请移除这些适配器（设置项 models.adapters.dir），"
            f"或改用匹配的基座模型（设置项 models.llm.model_path / models.llm.base_model_id）"
        )
