"""Writing the result where the router finds it: the adapter directory's format.

LoRA: `adapter_dir/NAME/` with the peft files (adapter_config.json,
adapter_model.safetensors) and meta.json {domain, base_model, training_data, date,
method, mode, lora, hyperparameters, metrics, forgetting, dataset}. Full fine-tuning:
a complete model folder (weights, tokenizer, meta.json) usable as models.llm.model_path.
Written beside and renamed into place, so a running copilot never sees half an adapter.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from models.errors import ModelError
from models.finetune.config import FinetuneSettings
from models.finetune.job import TrainJob
from models.finetune.records import dataset_sha, read_manifest, read_records

META_FILE = "meta.json"


def prepare_output(job: TrainJob) -> None:
    """Refuse to replace an existing adapter unless asked to (checked before training starts)."""
    if job.output_dir.exists() and not job.overwrite:
        raise ModelError(f"输出目录已存在：{job.output_dir}。换一个 --adapter 名称，或加 --overwrite 覆盖")


def build_meta(job: TrainJob, settings: FinetuneSettings, metrics: dict[str, Any], forgetting: dict[str, Any]) -> dict[str, Any]:
    manifest = read_manifest(job.data) or {}
    meta: dict[str, Any] = {
        "domain": job.domain or job.name,
        "base_model": job.base_id or Path(job.base).name,
        "training_data": str(job.data),
        "training_data_sha": dataset_sha(job.data),
        "date": date.today().isoformat(),
        "method": job.method,
        "mode": job.mode,
        "hyperparameters": {
            "learning_rate": settings.learning_rate,
            "epochs": settings.epochs,
            "max_steps": settings.max_steps,
            "batch_size": settings.batch_size,
            "grad_accum": settings.grad_accum,
            "max_seq_len": settings.max_seq_len,
            "packing": settings.packing,
            "seed": settings.seed,
        },
        "metrics": metrics,
        "forgetting": forgetting,
        "dataset": {k: manifest[k] for k in ("count", "counts", "ratio", "seed", "sources") if k in manifest},
    }
    if job.method == "lora":
        meta["lora"] = settings.lora.model_dump()
        meta["rank"] = settings.lora.rank
    agent = agent_data(job.data)
    if agent:  # trained on tool-use trajectories: the router sends investigations to it
        meta["tool_calling"] = True
        meta["agent_data"] = agent
    return meta


def agent_data(path: Path) -> dict[str, Any] | None:
    """What the dataset holds of tool-use trajectories (`data agent`): how many, which tools."""
    from models.finetune.agent import tool_names

    records = [r for r in read_records(path) if r.generator == "agent" and r.messages]
    if not records:
        return None
    return {"trajectories": len(records), "tools": sorted({t for r in records for t in tool_names(r)}),
            "runbooks": sorted({r.source.removeprefix("runbook:") for r in records})}


def write_output(job: TrainJob, rt: Any, tm: Any, model: Any, meta: dict[str, Any]) -> Path:
    """Save weights (+ tokenizer for full) and meta.json atomically into job.output_dir.

    Every process takes part in gathering the weights; only the main one writes files.
    """
    target = Path(job.output_dir)
    tmp = target.with_name(f".{target.name}.tmp")
    if rt.is_main:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.parent.mkdir(parents=True, exist_ok=True)
    if job.method == "full":
        tm.model.config.use_cache = True  # turned off for training; inference wants it
    rt.save_pretrained(model, tmp)
    if rt.is_main:
        if job.method == "full":
            tm.tokenizer.save_pretrained(tmp)
        (tmp / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    rt.barrier()
    return target
