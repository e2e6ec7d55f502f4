"""Evaluation loss and the forgetting check.

`token_loss` is the mean cross-entropy over the labelled tokens of some examples (the
held-out evaluation loss; exp() of it is the perplexity). `forgetting_report` compares
perplexity with the adapter on and off: on general held-out data it should barely move
(a large rise means the model is drifting every answer to the domain), on domain
held-out data it should fall. The report goes into the adapter's meta.json.
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


def forgetting_report(
    tuned: Any,
    base_context: Callable[[], contextlib.AbstractContextManager],
    sets: dict[str, list[Example]],
    pad_id: int,
    device: str,
    autocast: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext,
) -> dict[str, Any]:
    """Perplexity of each named set with the tuning on and off (`base_context()` turns it off)."""
    report: dict[str, Any] = {}
    for name, examples in sets.items():
        if not examples:
            report[name] = {"records": 0}
            continue
        tuned_ppl = perplexity(token_loss(tuned, examples, pad_id, device, autocast=autocast))
        with base_context() as base_model:
            base_ppl = perplexity(token_loss(base_model, examples, pad_id, device, autocast=autocast))
        ratio = round(tuned_ppl / base_ppl, 4) if tuned_ppl and base_ppl else None
        report[name] = {"records": len(examples), "ppl_base": base_ppl, "ppl_tuned": tuned_ppl, "ratio": ratio}
    general = report.get("general", {}).get("ratio")
    report["drift_warning"] = bool(general and general > DRIFT_WARN_RATIO)
    if report["drift_warning"]:
        report["note"] = (
            f"通用数据困惑度上升到基座的 {general} 倍：模型可能在遗忘通用能力，建议提高通用数据比例或减少训练轮数"
        )
    return report
