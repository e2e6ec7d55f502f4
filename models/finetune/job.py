"""What one training run is asked to do, and what it reports back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from models.finetune.encoding import Mode
from models.finetune.modeling import Method


@dataclass
class TrainJob:
    base: Path
    """Local base model directory."""
    data: Path
    """Training JSONL (records; a manifest beside it is copied into meta.json)."""
    name: str
    """Adapter (or full model) name: the folder name the router uses."""
    output_dir: Path
    """Where the result goes: adapter_dir/NAME for LoRA, data_dir/models/NAME for full."""
    work_dir: Path
    """Checkpoints and the training log (data_dir/finetune/NAME)."""
    mode: Mode = "sft"
    method: Method = "lora"
    domain: str | None = None
    """Domain written to meta.json (the router's rule key); default: the name."""
    base_id: str | None = None
    """Base model id written to meta.json; default: the base folder's name."""
    resume: bool = False
    overwrite: bool = False
    stop_after: int | None = None
    """Stop (with a checkpoint, no output) after this many optimizer steps: a time-boxed run."""
    general_eval: Path | None = None
    """General held-out JSONL for the forgetting check (default: general records held out from data)."""
    device: str = "auto"


@dataclass
class TrainResult:
    status: Literal["completed", "early_stopped", "paused"]
    output_dir: Path | None
    meta: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    """One entry per optimizer step: step, loss, lr (and eval_loss when evaluated)."""
    main: bool = True
    """False on the other processes of a distributed run (only the main one reports)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "output_dir": str(self.output_dir) if self.output_dir else None,
            "metrics": self.meta.get("metrics", {}),
            "forgetting": self.meta.get("forgetting", {}),
        }
