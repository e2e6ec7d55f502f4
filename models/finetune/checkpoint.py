"""Training checkpoints: trainable weights, optimizer, scheduler, RNG and loop state.

One checkpoint folder per run (`work_dir/checkpoint`), replaced atomically (written
beside, then renamed) so an interruption never leaves a half checkpoint. `--resume`
continues exactly where it stopped: same data order, same learning-rate schedule.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

from models.errors import ModelError

STATE_FILE = "trainer_state.json"
TENSORS_FILE = "trainer_tensors.pt"


def trainable_state(model: Any) -> dict[str, Any]:
    return {n: p.detach().to("cpu", copy=True) for n, p in model.named_parameters() if p.requires_grad}


def load_trainable_state(model: Any, state: dict[str, Any]) -> None:
    import torch

    params = dict(model.named_parameters())
    missing = [n for n in state if n not in params]
    if missing:
        raise ModelError(f"检查点与模型不匹配（缺少参数 {missing[:3]}），请不要使用 --resume 重新训练")
    with torch.no_grad():
        for name, value in state.items():
            params[name].copy_(value.to(params[name].device))


def save_checkpoint(directory: Path, model: Any, optimizer: Any, scheduler: Any, state: dict[str, Any]) -> None:
    import torch

    directory = Path(directory)
    tmp = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    rng = {"torch": torch.get_rng_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    torch.save(
        {"model": trainable_state(model), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "rng": rng},
        tmp / TENSORS_FILE,
    )
    (tmp / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    old = directory.with_name(directory.name + ".old")
    if directory.exists():
        directory.rename(old)
    tmp.rename(directory)
    shutil.rmtree(old, ignore_errors=True)


def load_checkpoint(directory: Path, model: Any, optimizer: Any, scheduler: Any) -> dict[str, Any]:
    """Restore everything saved by `save_checkpoint`; return the loop state."""
    import torch

    directory = Path(directory)
    if not (directory / STATE_FILE).is_file():
        raise ModelError(f"没有可恢复的检查点：{directory}（去掉 --resume 从头训练）")
    state = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
    tensors = torch.load(directory / TENSORS_FILE, map_location="cpu", weights_only=True)
    load_trainable_state(model, tensors["model"])
    optimizer.load_state_dict(tensors["optimizer"])
    scheduler.load_state_dict(tensors["scheduler"])
    torch.set_rng_state(tensors["rng"]["torch"])
    random.setstate(tensors["rng"]["python"])
    if "cuda" in tensors["rng"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(tensors["rng"]["cuda"])
    return state


def read_checkpoint_state(directory: Path) -> dict[str, Any] | None:
    path = Path(directory) / STATE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
