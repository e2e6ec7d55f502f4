"""Where the training loop runs: one process (CPU or one GPU), or several processes under
`accelerate launch` (DDP, FSDP or DeepSpeed, configured by the accelerate config file;
see models/finetune/configs/). The loop calls the same methods either way.

`create_runtime` picks the distributed runtime when accelerate started us (WORLD_SIZE > 1
or a DeepSpeed / FSDP launch); then accelerate owns device placement, mixed precision,
gradient synchronisation, sharded checkpoints and gathering the full weights to save.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterable

from models.finetune import checkpoint as local_checkpoint


def launched_by_accelerate() -> bool:
    env = os.environ
    return (
        int(env.get("WORLD_SIZE", "1")) > 1
        or env.get("ACCELERATE_USE_DEEPSPEED", "").lower() == "true"
        or env.get("ACCELERATE_USE_FSDP", "").lower() == "true"
    )


class LocalRuntime:
    """A single process; bf16 autocast and placement decided by the model loader."""

    distributed = False
    rank = 0
    world = 1
    is_main = True

    def __init__(self, device: str, autocast: Any) -> None:
        self.device = device
        self._autocast = autocast

    def prepare(self, model: Any, optimizer: Any) -> tuple[Any, Any]:
        return model, optimizer

    def autocast(self) -> contextlib.AbstractContextManager:
        return self._autocast()

    def backward(self, loss: Any) -> None:
        loss.backward()

    def clip(self, model: Any, params: Iterable[Any], max_norm: float) -> None:
        import torch

        torch.nn.utils.clip_grad_norm_(list(params), max_norm)

    def weights(self, model: Any) -> dict[str, Any]:
        """The trainable weights (the "best so far" snapshot)."""
        return local_checkpoint.trainable_state(model)

    def restore(self, model: Any, weights: dict[str, Any]) -> None:
        local_checkpoint.load_trainable_state(model, weights)

    def save_pretrained(self, model: Any, path: Path) -> None:
        model.save_pretrained(path)

    def save_checkpoint(self, directory: Path, model: Any, optimizer: Any, scheduler: Any, state: dict) -> None:
        local_checkpoint.save_checkpoint(directory, model, optimizer, scheduler, state)

    def load_checkpoint(self, directory: Path, model: Any, optimizer: Any, scheduler: Any) -> dict:
        return local_checkpoint.load_checkpoint(directory, model, optimizer, scheduler)

    def barrier(self) -> None:
        return None


class AccelerateRuntime:
    """Several processes started by `accelerate launch`; only the main one writes files."""

    distributed = True

    def __init__(self) -> None:
        import torch
        from accelerate import Accelerator

        # Without CUDA, cpu=True makes accelerate use the torchrun environment (gloo).
        self.acc = Accelerator(cpu=not torch.cuda.is_available())
        self.device = str(self.acc.device)
        self.rank = self.acc.process_index
        self.world = self.acc.num_processes
        self.is_main = self.acc.is_main_process

    def prepare(self, model: Any, optimizer: Any) -> tuple[Any, Any]:
        # The LR scheduler stays ours (stepped once per optimizer step on every rank).
        return self.acc.prepare(model, optimizer)

    def autocast(self) -> contextlib.AbstractContextManager:
        return self.acc.autocast()

    def backward(self, loss: Any) -> None:
        self.acc.backward(loss)

    def clip(self, model: Any, params: Iterable[Any], max_norm: float) -> None:
        self.acc.clip_grad_norm_(model.parameters(), max_norm)

    def weights(self, model: Any) -> dict[str, Any]:
        state = self.acc.get_state_dict(model)  # a collective: every rank takes part
        trainable = {n for n, p in self.acc.unwrap_model(model).named_parameters() if p.requires_grad}
        kept = {k: v for k, v in state.items() if k in trainable} or state  # LoRA: only the adapter
        return {k: v.detach().to("cpu", copy=True) for k, v in kept.items()}

    def restore(self, model: Any, weights: dict[str, Any]) -> None:
        self.acc.unwrap_model(model).load_state_dict(weights, strict=False)

    def save_pretrained(self, model: Any, path: Path) -> None:
        state = self.acc.get_state_dict(model)  # a collective: every rank takes part
        if self.is_main:
            self.acc.unwrap_model(model).save_pretrained(path, state_dict=state)

    def save_checkpoint(self, directory: Path, model: Any, optimizer: Any, scheduler: Any, state: dict) -> None:
        tmp = directory.with_name(directory.name + ".tmp")
        if self.is_main:
            shutil.rmtree(tmp, ignore_errors=True)
        self.barrier()
        self.acc.save_state(str(tmp))
        self.barrier()  # every rank has written its part (RNG states are per rank)
        if self.is_main:
            state = {**state, "scheduler": scheduler.state_dict()}
            (tmp / local_checkpoint.STATE_FILE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            shutil.rmtree(directory, ignore_errors=True)
            tmp.rename(directory)
        self.barrier()

    def load_checkpoint(self, directory: Path, model: Any, optimizer: Any, scheduler: Any) -> dict:
        state = local_checkpoint.read_checkpoint_state(directory)
        if state is None:
            from models.errors import ModelError

            raise ModelError(f"没有可恢复的检查点：{directory}（去掉 --resume 从头训练）")
        self.acc.load_state(str(directory))
        scheduler.load_state_dict(state.pop("scheduler"))
        return state

    def barrier(self) -> None:
        self.acc.wait_for_everyone()


def create_runtime(device: str, autocast: Any) -> LocalRuntime | AccelerateRuntime:
    return AccelerateRuntime() if launched_by_accelerate() else LocalRuntime(device, autocast)
