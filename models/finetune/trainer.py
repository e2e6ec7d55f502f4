"""The training loop: LoRA or full fine-tuning of a local causal LM on a JSONL dataset.

A compact loop (no Trainer subclassing): seeded held-out split per origin, tokenised
examples (prompt masked in SFT), optional packing, AdamW with warm-up and linear decay,
gradient accumulation, bf16 autocast and gradient checkpointing on GPU, evaluation loss
every `eval_every` steps with early stopping on it, an atomic checkpoint after each
evaluation (and at `stop_after`), `resume` from it with the same data order. The
forgetting check measures perplexity on general and domain held-out sets before the
first step (the base model) and after training. Under `accelerate launch` the same loop
runs data-parallel (runtime.py). Progress goes to a callback; library code never prints.
"""

from __future__ import annotations

import functools
import math
import random
import time
from typing import Any, Callable, Literal

from models.errors import ModelError
from models.finetune.adapter_output import build_meta, prepare_output, write_output
from models.finetune.config import FinetuneSettings
from models.finetune.encoding import Example, Mode, collate, encode_records, pack
from models.finetune.evaluation import forgetting_report, perplexities, token_loss
from models.finetune.job import TrainJob, TrainResult
from models.finetune.modeling import load_for_training
from models.finetune.records import dataset_sha, read_records
from models.finetune.runtime import AccelerateRuntime, LocalRuntime, launched_by_accelerate
from models.finetune.splits import forgetting_sets, holdout_split

Progress = Callable[[dict[str, Any]], None]
MIN_IMPROVEMENT = 1e-4


def train(job: TrainJob, settings: FinetuneSettings, progress: Progress | None = None) -> TrainResult:
    """Run one job to completion, early stop, or `stop_after`; see the module docstring."""
    import torch

    started = time.monotonic()
    records = read_records(job.data)
    if job.mode == "sft" and not any(r.kind == "sft" for r in records):
        raise ModelError(f"数据文件 {job.data} 中没有指令记录（kind=sft），无法用 --mode sft 训练；纯文本请用 --mode pretrain")
    prepare_output(job)
    random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    train_records, eval_records = holdout_split(records, settings.eval_ratio, settings.seed)
    accelerate = AccelerateRuntime() if launched_by_accelerate() else None
    tm = load_for_training(job.base, job.method, settings, accelerate.device if accelerate else job.device)
    rt = accelerate or LocalRuntime(tm.device, tm.autocast)

    def encode(recs: list, mode: Mode = job.mode) -> list[Example]:
        return encode_records(tm.tokenizer, recs, mode, settings.system_prompt, settings.max_seq_len)

    train_examples = encode(train_records)
    if not train_examples:
        raise ModelError(f"数据文件 {job.data} 在 --mode {job.mode} 下没有可训练的样本")
    if settings.packing:
        random.Random(settings.seed).shuffle(train_examples)
        train_examples = pack(train_examples, settings.max_seq_len)
    eval_examples = encode(eval_records)
    general_extra = read_records(job.general_eval) if job.general_eval else None
    sets, described = forgetting_sets(eval_records, general_extra, settings.forgetting_max_records, settings.seed)
    forgetting_examples = {name: encode(recs, "sft") for name, recs in sets.items()}

    params = [p for _, p in tm.trainable_parameters()]
    optimizer = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=settings.weight_decay)
    model, optimizer = rt.prepare(tm.model, optimizer)
    micro_per_epoch = math.ceil(len(train_examples) / (settings.batch_size * rt.world))
    total_steps = settings.max_steps or max(1, math.ceil(settings.epochs * micro_per_epoch / settings.grad_accum))
    warmup = int(total_steps * settings.warmup_ratio)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: _lr_factor(s, warmup, total_steps))
    pad_id = tm.tokenizer.pad_token_id
    evaluate_loss = functools.partial(token_loss, pad_id=pad_id, device=rt.device,
                                      batch_size=settings.batch_size, autocast=rt.autocast)
    fingerprint = {"data_sha": dataset_sha(job.data), "method": job.method, "mode": job.mode, "base": str(job.base),
                   "total_steps": total_steps, "world": rt.world}
    checkpoint_dir = job.work_dir / "checkpoint"
    if job.resume:
        state = rt.load_checkpoint(checkpoint_dir, model, optimizer, scheduler)
        changed = [k for k, v in fingerprint.items() if state.get(k) != v]
        if changed:
            raise ModelError(f"检查点与本次训练的设置不一致（{', '.join(changed)}），不能 --resume；请去掉 --resume 从头训练")
    else:
        base_ppl = perplexities(model, forgetting_examples, evaluate_loss)
        state = {"step": 0, "best_eval": None, "bad_evals": 0, "history": [], "tokens": 0, "base_ppl": base_ppl,
                 **fingerprint}
    best: dict[str, Any] | None = None
    status: Literal["completed", "early_stopped", "paused"] = "completed"
    model.train()
    while state["step"] < total_steps:
        loss, tokens = _optimizer_step(rt, model, train_examples, state["step"], settings, micro_per_epoch, pad_id)
        rt.clip(model, params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        state["step"] += 1
        state["tokens"] += tokens * rt.world
        entry = {"step": state["step"], "total": total_steps, "loss": round(loss, 5), "lr": scheduler.get_last_lr()[0],
                 "tokens": state["tokens"], "epoch": round(state["step"] * settings.grad_accum / micro_per_epoch, 3)}
        evaluate = state["step"] % settings.eval_every == 0 or state["step"] == total_steps
        if evaluate and eval_examples:
            entry["eval_loss"] = round(evaluate_loss(model, eval_examples), 5)
            if state["best_eval"] is None or entry["eval_loss"] < state["best_eval"] - MIN_IMPROVEMENT:
                state["best_eval"], state["bad_evals"] = entry["eval_loss"], 0
                best = rt.weights(model)
            else:
                state["bad_evals"] += 1
        state["history"].append(entry)
        if progress and rt.is_main:
            progress(entry)
        if settings.early_stop_patience and state["bad_evals"] >= settings.early_stop_patience:
            status = "early_stopped"
        paused = job.stop_after is not None and job.stop_after <= state["step"] < total_steps
        if evaluate or paused or status == "early_stopped":
            rt.save_checkpoint(checkpoint_dir, model, optimizer, scheduler, state)
            if best is not None and rt.is_main:
                torch.save(best, job.work_dir / "best.pt")  # survives a pause; --resume picks it up
        if paused:
            return TrainResult("paused", None, {}, state["history"], rt.is_main)
        if status == "early_stopped":
            break
    best_file = job.work_dir / "best.pt"
    if best is None and job.resume and best_file.is_file():
        best = torch.load(best_file, map_location="cpu")
    if best is not None:
        rt.restore(model, best)
    model.eval()
    tuned_ppl = perplexities(model, forgetting_examples, evaluate_loss)
    forgetting = {**forgetting_report(state["base_ppl"], tuned_ppl, forgetting_examples), "sets": described}
    metrics = _metrics(state, status, time.monotonic() - started, len(train_examples), len(eval_examples))
    meta = build_meta(job, settings, metrics, forgetting)
    write_output(job, rt, tm, model, meta)
    if rt.is_main:
        best_file.unlink(missing_ok=True)
    return TrainResult(status, job.output_dir, meta, state["history"], rt.is_main)


def _lr_factor(step: int, warmup: int, total: int) -> float:
    if warmup and step < warmup:
        return (step + 1) / warmup
    return max(0.0, (total - step) / max(1, total - warmup))


@functools.lru_cache(maxsize=2)
def _epoch_order(n: int, seed: int, epoch: int) -> tuple[int, ...]:
    """The seeded order of one epoch's examples (the same again on --resume)."""
    order = list(range(n))
    random.Random(seed * 1000 + epoch).shuffle(order)
    return tuple(order)


def _optimizer_step(rt: Any, model: Any, examples: list[Example], step: int, settings: FinetuneSettings,
                    micro_per_epoch: int, pad_id: int) -> tuple[float, int]:
    """Forward/backward over `grad_accum` micro-batches in the seeded order; mean loss, tokens.

    Rank r of W takes the r-th of W consecutive micro-batches; a short last batch wraps
    around to the epoch's first examples so every rank always has a full batch.
    """
    total, tokens = 0.0, 0
    size = settings.batch_size
    for i in range(settings.grad_accum):
        epoch, position = divmod(step * settings.grad_accum + i, micro_per_epoch)
        order = _epoch_order(len(examples), settings.seed, epoch)
        start = (position * rt.world + rt.rank) * size
        chosen = [examples[order[(start + j) % len(order)]] for j in range(min(size, len(order)))]
        batch = {k: v.to(rt.device) for k, v in collate(chosen, pad_id).items()}
        with rt.autocast():
            loss = model(**batch).loss / settings.grad_accum
        rt.backward(loss)
        total += float(loss.detach())
        tokens += int(batch["attention_mask"].sum())
    return total, tokens


def _metrics(state: dict[str, Any], status: str, seconds: float, n_train: int, n_eval: int) -> dict[str, Any]:
    history = state["history"]
    evals = [h["eval_loss"] for h in history if "eval_loss" in h]
    return {
        "status": status,
        "steps": state["step"],
        "train_sequences": n_train,
        "eval_examples": n_eval,
        "train_loss_first": history[0]["loss"] if history else None,
        "train_loss_last": history[-1]["loss"] if history else None,
        "eval_loss_first": evals[0] if evals else None,
        "eval_loss_best": state["best_eval"],
        "tokens": state["tokens"],
        "processes": state["world"],
        "seconds": round(seconds, 1),
    }
