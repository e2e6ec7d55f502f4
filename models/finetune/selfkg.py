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
from pathlib import Path
from typing import Iterable

from models.errors import ModelError
from models.finetune.chunks import ChunkLike, table_rows
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


def read_table(path: str | Path) -> list[ChunkLike]:
    """Rows of a CSV table as chunks (meta["row"] holds the row)."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"表格文件不存在：{path}")
    return table_rows(path, path.name)


def selfkg(rows: Iterable[ChunkLike], seed: int = 0, max_pairs_per_product: int = 6) -> list[Record]:
    """Instruction records from table rows (chunks whose meta has the row dict)."""
    table = [c for c in rows if isinstance((c.meta or {}).get("row"), dict)]
    if not table:
        return []
    columns = map_columns(table[0].meta["row"].keys(), table[0].source)
    entries = []
    for chunk in table:
        entry = {f: str(chunk.meta["row"].get(col, "")).strip().rstrip("。；;") for f, col in columns.items()}
        if entry["code"] and (entry["cause"] or entry["fix"]):
            entries.append((entry, chunk))
    records: list[Record] = []
    for entry, chunk in entries:
        records.extend(_one_hop(entry, chunk))
    records.extend(_cross_rows(entries, random.Random(seed), max_pairs_per_product))
    return unique(records)


def _subject(entry: dict[str, str]) -> str:
    return f"{entry['product']} 错误码 {entry['code']}" if entry.get("product") else f"错误码 {entry['code']}"


def _record(question: str, answer: str, chunk: ChunkLike, context: str | None = None) -> Record:
    return Record(
        instruction=question,
        output=answer,
        generator="selfkg",
        source=f"{chunk.source}#{chunk.heading_path[-1] if chunk.heading_path else ''}",
        context=context if context is not None else chunk.text,
    )


def _one_hop(e: dict[str, str], chunk: ChunkLike) -> list[Record]:
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


def _cross_rows(entries: list[tuple[dict, ChunkLike]], rng: random.Random, limit: int) -> list[Record]:
    by_product: dict[str, list[tuple[dict, ChunkLike]]] = defaultdict(list)
    for entry, chunk in entries:
        if entry.get("product"):
            by_product[entry["product"]].append((entry, chunk))
    out = []
    for product, group in by_product.items():
        if len(group) < 2:
            continue
        listing = "\n".join(f"- {e['code']}：{e.get('message') or e['cause']}" for e, _ in group)
        context = "\n\n".join(c.text for _, c in group)
        out.append(_record(f"{product}常见的错误码有哪些？", f"{product}常见的错误码有：\n{listing}", group[0][1], context))
        pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
        for (a, ca), (b, cb) in rng.sample(pairs, min(limit, len(pairs))):
            answer = (
                f"两者都是{product}的错误，原因不同：\n"
                f"- {a['code']}：{a['cause']}；处理：{a['fix']}\n"
                f"- {b['code']}：{b['cause']}；处理：{b['fix']}"
            )
            question = f"{product}的错误码 {a['code']} 和 {b['code']} 有什么区别？"
            out.append(_record(question, answer, ca, f"{ca.text}\n\n{cb.text}"))
    return out
