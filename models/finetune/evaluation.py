"""Evaluation loss and the forgetting check.

`token_loss` is the mean cross-entropy over the labelled tokens of some examples (the
held-out evaluation loss; exp() of it is the perplexity). `forgetting_report` compares
perplexity before training (the base model; a fresh LoRA adapter is a no-op) and after:
on general held-out data it should barely move (a large rise means the model is
drifting every answer to the domain), on domain held-out data it should fall. The
report goes into the adapter's meta.json.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Callable

from models.finetune.encoding import IGNORE, Example, collate

DRIFT_WARN_RATIO = 1.25
"""General perplexity rising by more than this factor is flagged as forgetting."""


def token_loss(model: Any, examples: list[Example], pad_id: int, device: str, batch_size: int = 8,
               autocast: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext) -> float:
    """Token-weighted mean loss over the examples' labelled tokens (nan when there are none)."""
    import torch

    total, count = 0.0, 0
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for start in range(0, len(examples), batch_size):
            batch = collate(examples[start : start + batch_size], pad_id)
            batch = {k: v.to(device) for k, v in batch.items()}
            with autocast():
                logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
            labels = batch["labels"][:, 1:]
            logits = logits[:, :-1].float()
            losses = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=IGNORE, reduction="sum"
            )
            total += float(losses)
            count += int((labels != IGNORE).sum())
    if was_training:
        model.train()
    return total / count if count else float("nan")


def perplexity(loss: float) -> float | None:
    return None if math.isnan(loss) else round(math.exp(min(loss, 50.0)), 4)


def perplexities(model: Any, sets: dict[str, list[Example]], loss: Callable[[Any, list[Example]], float]) -> dict[str, float | None]:
    """Perplexity of the model on each named set (None for an empty set)."""
    return {name: perplexity(loss(model, examples)) if examples else None for name, examples in sets.items()}


def forgetting_report(base: dict[str, float | None], tuned: dict[str, float | None],
                      sets: dict[str, list[Example]]) -> dict[str, Any]:
    """Base (measured before the first step) vs tuned perplexity per set, with a drift flag."""
    report: dict[str, Any] = {}
    for name, examples in sets.items():
        before, after = base.get(name), tuned.get(name)
        ratio = round(after / before, 4) if before and after else None
        report[name] = {"records": len(examples), "ppl_base": before, "ppl_tuned": after, "ratio": ratio}
    general = report.get("general", {}).get("ratio")
    report["drift_warning"] = bool(general and general > DRIFT_WARN_RATIO)
    if report["drift_warning"]:
        report["note"] = (
            f"通用数据困惑度上升到基座的 {general} 倍：模型可能在遗忘通用能力，建议提高通用数据比例或减少训练轮数"
        )
    return report
