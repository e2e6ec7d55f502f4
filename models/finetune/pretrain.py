"""Pre-training text from knowledge chunks (next-token prediction on the documents).

Post-training on documents is where a model learns the knowledge; instruction tuning
aligns the answer style. Each document section, FAQ pair or table chunk becomes one
`kind="pretrain"` record carrying its title and heading so the text stands alone
(a table file gives one record per chunk of rows, as the knowledge layer chunks it).
"""

from __future__ import annotations

from typing import Iterable

from models.finetune.chunks import ChunkLike, faq_answer, group_sections
from models.finetune.records import Record, unique
from models.finetune.textparse import strip_links


def pretrain_records(chunks: Iterable[ChunkLike]) -> list[Record]:
    records = []
    for chunk in group_sections(chunks):
        if chunk.kind == "faq":
            text = f"问：{chunk.meta.get('question') or chunk.title}\n答：{faq_answer(chunk)}"
        else:
            headings = [h for h in chunk.heading_path if h]
            prefix = "\n".join(f"{'#' * (i + 1)} {h}" for i, h in enumerate(headings))
            text = f"{prefix}\n\n{strip_links(chunk.text)}" if prefix else strip_links(chunk.text)
        records.append(Record(kind="pretrain", text=text.strip(), generator="pretrain", source=chunk.source, origin="domain"))
    return unique(records)
