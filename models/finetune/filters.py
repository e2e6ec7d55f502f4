"""Quality filters for generated instruction data, each dropping records with a reason.

- length: instruction and output within character bounds (pretrain text too);
- boilerplate: model chatter and leaked prompt scaffolding ("作为一个AI", "问题：", chat tokens);
- grounded: the answer's content units (CJK character bigrams, Latin words, numbers)
  mostly occur in the record's source chunk (`context`); records without one pass;
- near-duplicates: MinHash over character n-grams of the instruction (of the input, among
  records sharing one instruction) against the records kept so far and against the seed
  set (a record repeating a seed teaches nothing new).

`apply_filters` runs them in that order and reports what each removed; the report goes
into the dataset manifest.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from models.finetune.minhash import NearDuplicateIndex
from models.finetune.records import Record

BOILERPLATE = (
    r"作为(一个)?\s*(AI|人工智能|语言模型)",
    r"as an ai\b",
    r"language model",
    r"我(无法|不能)(访问|浏览|联网)",
    r"根据(您|你)?提供的(片段|文档|内容|示例)",
    r"(以上|上述)片段",
    r"^(问题|回答|答案|指令|输入|输出)\s*[:：]",
    r"<\|im_(start|end)\|>|<\|endoftext\|>|</?s>",
    r"\{(title|heading|text|examples|n)\}",
    r"^(好的|当然|没问题)[，,！!]",
)
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE), re.IGNORECASE | re.MULTILINE)
_CODE = re.compile(r"(?<![A-Za-z_.])[A-Za-z_.]*\d[\w.]*")  # a run is scanned from its start only (linear)
_UNIT = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*|\d+(?:\.\d+)?|[\u4e00-\u9fff]+")


@dataclass
class FilterOptions:
    min_instruction_chars: int = 2
    max_instruction_chars: int = 500
    min_output_chars: int = 1
    max_output_chars: int = 2000
    max_text_chars: int = 8000
    """Longest pretrain text kept."""
    dedup_threshold: float = 0.8
    """Estimated Jaccard similarity (character 3-grams) at which two records are near-duplicates."""
    grounding_threshold: float = 0.6
    """Least share of the answer's content units found in its source chunk."""
    seed: int = 1


def content_units(text: str) -> list[str]:
    """Latin words, numbers and CJK character bigrams (single characters for 1-char runs)."""
    units: list[str] = []
    for token in _UNIT.findall(text.lower()):
        if "\u4e00" <= token[0] <= "\u9fff":
            units.extend(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        else:
            units.append(token)
    return units


def grounding_score(answer: str, context: str) -> float:
    """Share of the answer's content units that also occur in the context."""
    units = content_units(answer)
    if not units:
        return 0.0
    available = set(content_units(context))
    return sum(u in available for u in units) / len(units)


def length_problem(record: Record, opts: FilterOptions) -> str | None:
    if record.kind == "pretrain":
        return "length" if not 1 <= len(record.text) <= opts.max_text_chars else None
    if not opts.min_instruction_chars <= len(record.prompt_text) <= opts.max_instruction_chars:
        return "length"
    if not opts.min_output_chars <= len(record.output) <= opts.max_output_chars:
        return "length"
    return None


def has_boilerplate(record: Record) -> bool:
    texts = (record.text,) if record.kind == "pretrain" else (record.instruction, record.output)
    return any(_BOILERPLATE.search(t) for t in texts)


class DuplicateIndex:
    """Near-duplicate lookup by what tells two tasks apart: the instruction, or, for
    records with an input, the input among records sharing the same instruction
    (one instruction over many inputs is a set of distinct examples, not repeats)."""

    def __init__(self, threshold: float, seed: int) -> None:
        self.threshold, self.seed = threshold, seed
        self._indexes: dict[str, NearDuplicateIndex] = {}

    def add(self, key: str, record: Record) -> str | None:
        if record.kind == "pretrain":
            group, text = "\x00pretrain", record.text
        elif record.input:
            group, text = record.instruction.strip(), record.input
        else:
            group, text = "\x00instruction", record.instruction
        # Texts naming different codes, ports or versions are different questions however
        # alike the rest of the words are ("错误码 1040 …" vs "错误码 1045 …").
        group += "\x00" + " ".join(sorted(set(_CODE.findall(text))))
        index = self._indexes.get(group)
        if index is None:
            index = self._indexes[group] = NearDuplicateIndex(self.threshold, seed=self.seed)
        return index.add(key, text)


def apply_filters(
    records: Iterable[Record],
    opts: FilterOptions | None = None,
    seeds: Iterable[Record] = (),
    grounded: bool = True,
) -> tuple[list[Record], dict[str, Any]]:
    """Kept records and a report: options, counts in/out, dropped per reason."""
    opts = opts or FilterOptions()
    index = DuplicateIndex(opts.dedup_threshold, opts.seed)
    seed_count = 0
    for seed in seeds:
        index.add(f"seed:{seed.id}", seed)
        seed_count += 1
    dropped = {"length": 0, "boilerplate": 0, "ungrounded": 0, "near_duplicate": 0, "seed_duplicate": 0}
    kept: list[Record] = []
    records = list(records)
    for record in records:
        reason = length_problem(record, opts)
        if reason is None and has_boilerplate(record):
            reason = "boilerplate"
        if reason is None and grounded and record.kind == "sft" and record.context:
            if grounding_score(record.output, record.context) < opts.grounding_threshold:
                reason = "ungrounded"
        if reason is None:
            match = index.add(record.id, record)
            if match is not None:
                reason = "seed_duplicate" if match.startswith("seed:") else "near_duplicate"
        if reason:
            dropped[reason] += 1
        else:
            kept.append(record)
    report = {
        "options": {**asdict(opts), "grounded": grounded, "seed_records": seed_count},
        "in": len(records),
        "out": len(kept),
        "dropped": dropped,
    }
    return kept, report
