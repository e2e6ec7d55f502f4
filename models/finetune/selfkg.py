"""Self-KG: instruction data from a structured table used as a small knowledge graph.

The error-code table (code -> product, message, cause, fix) gives one-hop questions
(which product, why, how to fix), a multi-hop one (from the message the user sees to
code, cause and fix), and cross-row ones (codes of one product; two codes compared).
Columns are found by their header names (Chinese or English); a table without the
code and cause/fix columns is a user error naming the missing column.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from models.errors import ModelError
from models.finetune.chunks import ChunkLike, chunk_rows
from models.finetune.records import Record, unique

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("错误码", "code", "error_code", "错误代码"),
    "product": ("产品", "product", "服务"),
    "message": ("错误信息", "message", "报错", "错误消息"),
    "cause": ("可能原因", "cause", "原因"),
    "fix": ("解决方法", "fix", "solution", "处理方法", "解决办法"),
}
REQUIRED = ("code", "cause", "fix")


def map_columns(header: Iterable[str], where: str) -> dict[str, str]:
    """Our field name -> the table's column name; ModelError names what is missing."""
    lowered = {h.strip().lower(): h for h in header}
    found = {}
    for field, names in COLUMNS.items():
        for name in names:
            if name.lower() in lowered:
                found[field] = lowered[name.lower()]
                break
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in found]
    if missing:
        raise ModelError(f"表格 {where} 缺少列：{'、'.join(missing)}（需要 错误码、可能原因、解决方法 等列）")
    return found


def require_table(chunks: list[ChunkLike], where: str) -> list[ChunkLike]:
    """The chunks of a table given on its own (`data selfkg --table`); ModelError when it has
    no rows, or its header lacks the code and cause/fix columns (naming what is missing)."""
    rows = [row for chunk in chunks for row in chunk_rows(chunk)]
    if not rows:
        raise ModelError(f"表格 {where} 中没有可读的表格行（需要 错误码、可能原因、解决方法 等列）")
    map_columns(rows[0].keys(), where)
    return chunks


@dataclass
class TableRow:
    """One row of the table: its fields by our names and its text (the grounding context)."""

    entry: dict[str, str]
    source: str
    text: str


def table_entries(chunks: Iterable[ChunkLike]) -> list[TableRow]:
    """Rows with an error code from every table chunk whose headers name one (deduplicated)."""
    rows: list[TableRow] = []
    seen: set[tuple] = set()
    for chunk in chunks:
        for row in chunk_rows(chunk):
            try:
                columns = map_columns(row.keys(), chunk.source)
            except ModelError:
                continue  # another kind of table (instance types, quotas): not ours
            entry = {f: str(row.get(col, "")).strip().rstrip("。；;") for f, col in columns.items()}
            key = tuple(sorted(entry.items()))
            if entry["code"] and (entry["cause"] or entry["fix"]) and key not in seen:
                seen.add(key)
                text = "\n".join(f"{k}：{v}" for k, v in row.items() if v)
                rows.append(TableRow(entry, chunk.source, text))
    return rows


def selfkg(chunks: Iterable[ChunkLike], seed: int = 0, max_pairs_per_product: int = 6) -> list[Record]:
    """Instruction records from the error-code rows found in the chunks."""
    rows = table_entries(chunks)
    records: list[Record] = []
    for row in rows:
        records.extend(_one_hop(row.entry, row))
    records.extend(_cross_rows(rows, random.Random(seed), max_pairs_per_product))
    return unique(records)


def _subject(entry: dict[str, str]) -> str:
    return f"{entry['product']} 错误码 {entry['code']}" if entry.get("product") else f"错误码 {entry['code']}"


def _record(question: str, answer: str, row: TableRow, context: str | None = None) -> Record:
    return Record(
        instruction=question,
        output=answer,
        generator="selfkg",
        source=f"{row.source}#{row.entry['code']}",
        context=context if context is not None else row.text,
    )


def _one_hop(e: dict[str, str], chunk: TableRow) -> list[Record]:
    code, product, message = e["code"], e.get("product", ""), e.get("message", "")
    out = []
    if product:
        said = f"，报错信息为“{message}”" if message else ""
        out.append(_record(f"错误码 {code} 是哪个产品的错误？", f"错误码 {code} 属于{product}{said}。", chunk))
    if e["cause"]:
        out.append(_record(f"{_subject(e)} 是什么原因导致的？", f"可能原因：{e['cause']}。", chunk))
    if e["fix"]:
        out.append(_record(f"遇到{_subject(e)} 应该怎么解决？", f"解决方法：{e['fix']}。", chunk))
    if message and e["cause"] and e["fix"]:
        where = f"{product}的" if product else ""
        answer = f"这是{where}错误码 {code}。\n可能原因：{e['cause']}。\n解决方法：{e['fix']}。"
        out.append(_record(f"我看到报错“{message}”，这是什么问题，该怎么处理？", answer, chunk))
    return out


def _cross_rows(rows: list[TableRow], rng: random.Random, limit: int) -> list[Record]:
    by_product: dict[str, list[TableRow]] = defaultdict(list)
    for row in rows:
        if row.entry.get("product"):
            by_product[row.entry["product"]].append(row)
    out = []
    for product, group in by_product.items():
        if len(group) < 2:
            continue
        listing = "\n".join(f"- {r.entry['code']}：{r.entry.get('message') or r.entry['cause']}" for r in group)
        context = "\n\n".join(r.text for r in group)
        out.append(_record(f"{product}常见的错误码有哪些？", f"{product}常见的错误码有：\n{listing}", group[0], context))
        pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
        for ra, rb in rng.sample(pairs, min(limit, len(pairs))):
            a, b = ra.entry, rb.entry
            answer = (
                f"两者都是{product}的错误，原因不同：\n"
                f"- {a['code']}：{a['cause']}；处理：{a['fix']}\n"
                f"- {b['code']}：{b['cause']}；处理：{b['fix']}"
            )
            question = f"{product}的错误码 {a['code']} 和 {b['code']} 有什么区别？"
            out.append(_record(question, answer, ra, f"{ra.text}\n\n{rb.text}"))
    return out
