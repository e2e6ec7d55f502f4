"""The whole data recipe in one call: generate, filter, mix (what `data build` runs).

Writes into one folder, each file with its manifest: `selfqa.jsonl`, `selfkg.jsonl`,
`refusal.jsonl` (+ `selfinstruct.jsonl` with a generative backend), `domain.jsonl` (all
of them filtered), `docs.jsonl` (hybrid only) and `train.jsonl` (domain mixed into the
general set at the ratio). Returns a summary of counts per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.finetune.chunks import ChunkLike
from models.finetune.filters import FilterOptions, apply_filters
from models.finetune.mixing import mix
from models.finetune.pretrain import pretrain_records
from models.finetune.records import Record, write_dataset
from models.finetune.refusal import products_of, refusal_records
from models.finetune.seeds import load_refusal_seeds, load_seed_tasks
from models.finetune.selfinstruct import self_instruct
from models.finetune.selfkg import selfkg
from models.finetune.selfqa import deterministic_selfqa, generative_selfqa
from models.llm.base import LLMBackend


@dataclass
class Recipe:
    ratio: float
    """Share of domain records among the mixed instruction records."""
    seed: int = 42
    hybrid: bool = False
    """Also write document text and mix it in (for --mode hybrid)."""
    selfinstruct: int = 0
    """New Self-Instruct tasks to generate (needs a generative backend)."""
    refusal_template: str | None = None
    greeting_template: str | None = None


def build_dataset(
    chunks: list[ChunkLike],
    source: str,
    out_dir: Path,
    general: list[Record],
    general_source: str,
    recipe: Recipe,
    llm: LLMBackend | None = None,
) -> dict[str, Any]:
    """Run the recipe; `llm` (when generative) drives Self-QA and Self-Instruct."""
    out_dir = Path(out_dir)
    model = llm if llm is not None and getattr(llm, "generative", False) else None
    summary: dict[str, Any] = {}

    def save(name: str, records: list[Record], sources: list[str], **extra: Any) -> list[Record]:
        manifest = write_dataset(out_dir / f"{name}.jsonl", records, sources=sources, seed=recipe.seed, **extra)
        summary[name] = manifest["count"]
        return records

    parts = [save("selfqa", generative_selfqa(chunks, model) if model else deterministic_selfqa(chunks), [source])]
    parts.append(save("selfkg", selfkg(chunks, seed=recipe.seed), [source]))
    questions = [str(c.meta.get("question")) for c in chunks if c.kind == "faq" and (c.meta or {}).get("question")]
    refusals = refusal_records(load_refusal_seeds(), products_of(chunks), questions, recipe.seed,
                               recipe.refusal_template, recipe.greeting_template)
    parts.append(save("refusal", refusals, [source, "models/finetune/seeds/refusal.yaml"]))
    seeds = load_seed_tasks()
    if recipe.selfinstruct and model:
        parts.append(save("selfinstruct", self_instruct(seeds, model, recipe.selfinstruct, seed=recipe.seed),
                          ["models/finetune/seeds/instructions.yaml"]))
    domain, report = apply_filters([r for part in parts for r in part], FilterOptions(seed=recipe.seed),
                                   seeds=[t.to_record() for t in seeds])
    save("domain", domain, [f"{name}.jsonl" for name in summary], filters=report)
    docs = save("docs", pretrain_records(chunks), [source]) if recipe.hybrid else None
    mixed, info = mix(domain, general, recipe.ratio, seed=recipe.seed, pretrain=docs)
    save("train", mixed, ["domain.jsonl", general_source] + (["docs.jsonl"] if docs else []),
         ratio=recipe.ratio, extra={"mix": info})
    summary["mix"] = info
    summary["filtered_out"] = report["dropped"]
    return summary
