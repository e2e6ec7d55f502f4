"""Mixing domain data into general instruction data at an exact ratio, shuffled.

Fine-tuning on domain data alone overfits and forgets: every answer drifts to the
domain. `mix` draws domain and general records so that domain records are exactly
`round(ratio * total)` of the instruction records, using as much data as the scarcer
side allows (or an explicit total), then shuffles with a seed. Hybrid tuning adds
pre-training text records (next-token prediction on documents) to the same run.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from models.errors import ModelError
from models.finetune.records import Record


def mix_counts(domain_available: int, general_available: int, ratio: float, total: int | None = None) -> tuple[int, int]:
    """How many domain and general records to draw for the given domain ratio."""
    if not 0 < ratio < 1:
        raise ModelError(f"领域数据比例必须在 0 和 1 之间（不含端点），当前为 {ratio}")
    if total is not None:
        domain = round(total * ratio)
        general = total - domain
        if domain > domain_available or general > general_available:
            raise ModelError(
                f"数据不足：总数 {total}、领域比例 {ratio} 需要 {domain} 条领域数据和 {general} 条通用数据，"
                f"现有 {domain_available} 条领域数据、{general_available} 条通用数据"
            )
        return domain, general
    if domain_available == 0 or general_available == 0:
        raise ModelError("混合需要领域数据和通用数据都至少有一条")
    domain = domain_available
    general = round(domain * (1 - ratio) / ratio)
    if general > general_available:
        general = general_available
        domain = min(domain_available, round(general * ratio / (1 - ratio)))
    return max(domain, 1), max(general, 1)


def mix(
    domain: list[Record],
    general: list[Record],
    ratio: float,
    seed: int = 42,
    total: int | None = None,
    pretrain: list[Record] | None = None,
) -> tuple[list[Record], dict[str, Any]]:
    """Mixed, shuffled records and the numbers for the manifest."""
    rng = random.Random(seed)
    instructions_d = [r for r in domain if r.kind == "sft"]
    instructions_g = [r for r in general if r.kind == "sft"]
    n_domain, n_general = mix_counts(len(instructions_d), len(instructions_g), ratio, total)
    chosen = [replace(r, origin="domain") for r in rng.sample(instructions_d, n_domain)]
    chosen += [replace(r, origin="general") for r in rng.sample(instructions_g, n_general)]
    texts = [replace(r, kind="pretrain") for r in (pretrain or [])]
    texts += [r for r in domain + general if r.kind == "pretrain" and pretrain is None]
    records = chosen + texts
    rng.shuffle(records)
    info = {
        "domain_available": len(instructions_d),
        "general_available": len(instructions_g),
        "domain_used": n_domain,
        "general_used": n_general,
        "domain_ratio": ratio,
        "actual_ratio": n_domain / (n_domain + n_general),
        "pretrain_records": len(texts),
        "hybrid": bool(texts),
    }
    return records, info
