"""Held-out splits: the evaluation split (per origin, seeded) and the forgetting-check sets."""

from __future__ import annotations

import random
from collections import defaultdict

from models.finetune.records import Record
from models.finetune.seeds import load_general_sample


def holdout_split(records: list[Record], ratio: float, seed: int) -> tuple[list[Record], list[Record]]:
    """(train, held-out): `ratio` of each origin's records, at least one when it has two or more."""
    if ratio <= 0:
        return list(records), []
    groups: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        groups[f"{record.origin}/{record.kind}"].append(index)
    held: set[int] = set()
    rng = random.Random(seed)
    for key in sorted(groups):
        indices = groups[key]
        if len(indices) < 2:
            continue
        count = min(len(indices) - 1, max(1, round(len(indices) * ratio)))
        held.update(rng.sample(indices, count))
    train = [r for i, r in enumerate(records) if i not in held]
    return train, [r for i, r in enumerate(records) if i in held]


def forgetting_sets(
    held_out: list[Record], general_extra: list[Record] | None, limit: int, seed: int
) -> tuple[dict[str, list[Record]], dict[str, str]]:
    """General and domain instruction sets for the forgetting check, and where each came from."""
    rng = random.Random(seed)
    instructions = [r for r in held_out if r.kind == "sft"]
    domain = [r for r in instructions if r.origin == "domain"]
    if general_extra:
        general, where = [r for r in general_extra if r.kind == "sft"], "--general-eval file"
    else:
        general = [r for r in instructions if r.origin == "general"]
        where = "general records held out from the training data"
    if not general:
        general = load_general_sample()
        where = "shipped general sample (not held out: may overlap the training data)"

    def cap(items: list[Record]) -> list[Record]:
        return rng.sample(items, limit) if len(items) > limit else items

    return {"general": cap(general), "domain": cap(domain)}, {
        "general": where,
        "domain": "domain records held out from the training data",
    }
