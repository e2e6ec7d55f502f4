"""Refusal and routing data: off-domain questions answered in the refusal style,
greetings with the self-introduction, and a yes/no "is this in the domain?" task.

The model learns to decline what is not its business instead of drifting every answer
to the domain (or answering everything). Topics in the refusal text are the products
found in the knowledge (front matter `product`, table `产品` column).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Iterable

from models.finetune.chunks import ChunkLike, chunk_rows
from models.finetune.records import Record, unique
from models.finetune.seeds import RefusalSeeds

MAX_TOPICS = 5


def products_of(chunks: Iterable[ChunkLike], limit: int = MAX_TOPICS) -> list[str]:
    """The most frequent product names in the chunks' metadata."""
    counts: Counter[str] = Counter()
    for chunk in chunks:
        found = [(chunk.meta or {}).get("product")]
        found += [row.get("产品") or row.get("product") for row in chunk_rows(chunk)]
        for product in found:
            if product:
                counts[str(product).strip()] += 1
    return [name for name, _ in counts.most_common(limit)]


def refusal_records(
    seeds: RefusalSeeds,
    topics: list[str],
    in_domain_questions: Iterable[str] = (),
    seed: int = 0,
    refusal_template: str | None = None,
    greeting_template: str | None = None,
) -> list[Record]:
    """Refusals, greetings and a balanced in-domain/off-domain classification task."""
    topic_text = "、".join(topics) if topics else "云产品"
    refusal = (refusal_template or seeds.refusal).strip().format(topics=topic_text)
    refusal_en = seeds.refusal_en.strip().format(topics=", ".join(topics) if topics else "cloud products")
    greeting = (greeting_template or seeds.greeting).strip().format(topics=topic_text)
    records = []
    for question in seeds.off_domain:
        english = question[:1].isascii()
        records.append(_record(question, refusal_en if english else refusal, "refusal", "en" if english else "zh"))
    for message in seeds.greetings:
        records.append(_record(message, greeting, "greeting", "en" if message[:1].isascii() else "zh"))
    positives = [q for q in dict.fromkeys(in_domain_questions) if q.strip()]
    rng = random.Random(seed)
    positives = rng.sample(positives, min(len(positives), len(seeds.off_domain)))
    for question, label in [(q, "是") for q in positives] + [(q, "否") for q in seeds.off_domain]:
        records.append(
            Record(instruction=seeds.domain_check, input=question, output=label, generator="domain-check", source="routing")
        )
    return unique(records)


def _record(question: str, answer: str, generator: str, lang: str) -> Record:
    return Record(instruction=question, output=answer, generator=generator, source="models/finetune/seeds/refusal.yaml", lang=lang)
