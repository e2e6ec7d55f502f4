"""Offline guard for the Hugging Face libraries: nothing is ever downloaded at run time.

`ensure_offline()` is called by every loader before transformers / peft are imported;
`check_model_dir(path, setting)` turns a missing or broken model directory into a
`ModelError` naming the setting to fix; `resolve_device` / `resolve_dtype` turn the
"auto" settings into a torch device and dtype (bf16 on CUDA, fp32 on CPU).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from models.errors import ModelError

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")


def ensure_offline() -> None:
    """Put the hub libraries in offline mode (values the user set explicitly are kept)."""
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


def check_model_dir(path: Path | None, setting: str = "models.llm.model_path") -> Path:
    """A usable local model directory, or a `ModelError` that says what is wrong and where to fix it."""
    if path is None:
        raise ModelError(f"未设置本地模型目录：请在设置项 {setting} 中填写模型所在的文件夹路径")
    path = Path(path).expanduser()
    if not path.exists():
        raise ModelError(f"模型目录不存在：{path}（设置项 {setting}）。本程序不会自动下载模型，请先把模型文件放到该目录")
    if not path.is_dir():
        raise ModelError(f"{path} 不是文件夹（设置项 {setting} 应指向模型目录）")
    config = path / "config.json"
    if not config.is_file():
        raise ModelError(f"模型目录 {path} 中缺少 config.json，不是完整的模型目录（设置项 {setting}）")
    try:
        json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"模型目录 {path} 的 config.json 无法解析：{exc}（设置项 {setting}）") from None
    if not any(p.suffix in WEIGHT_SUFFIXES for p in path.iterdir()):
        raise ModelError(f"模型目录 {path} 中没有权重文件（*.safetensors / *.bin）（设置项 {setting}）")
    return path


def resolve_device(device: str, setting: str = "models.llm.device") -> str:
    """"auto" -> cuda when available, else cpu; a CUDA device without a GPU is a ModelError."""
    import torch

    device = (device or "auto").strip().lower()
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"设置项 {setting} 为 {device}，但本机没有可用的 CUDA GPU；请改为 auto 或 cpu")
    return device


def resolve_dtype(dtype: str, device: str) -> Any:
    """"auto" -> torch.bfloat16 on CUDA, torch.float32 elsewhere; otherwise the named torch dtype."""
    import torch

    if dtype == "auto":
        return torch.bfloat16 if device.startswith("cuda") else torch.float32
    return getattr(torch, dtype)
