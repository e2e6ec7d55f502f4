"""CSV and XLSX tables: self-describing rows under caption and header; Q/A tables become FAQ.

A sheet whose first row is a single merged title cell (and whose second row is the
header) uses that first row as caption. CSV text is decoded as UTF-8, then GB18030 (loaders.encoding).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from knowledge.clean import normalize_inline
from knowledge.document import Block, ParsedDocument, table_rows
from knowledge.errors import KnowledgeError
from knowledge.loaders.encoding import read_text
from knowledge.loaders.faq import QUESTION_KEYS, faq_document, find_key

BROKEN_XLSX = ("Excel 文件无法解析（文件已损坏，或不是真正的 .xlsx）：请用 Excel 打开后另存为 .xlsx 再导入"
               "（旧版 .xls 也需先另存为 .xlsx）")


def grid_document(grid: list[list[str]], title: str, path: list[str] | None = None) -> list[Block]:
    grid = [[normalize_inline(str(c)) if c is not None else "" for c in row] for row in grid]
    grid = [row for row in grid if any(row)]
    if not grid:
        return []
    caption = title
    if len(grid) > 2 and sum(1 for c in grid[0] if c) == 1 and sum(1 for c in grid[1] if c) > 1:
        caption = next(c for c in grid[0] if c)
        grid = grid[1:]
    header = grid[0]
    return [Block("table", list(path or []), rows=table_rows(header, grid[1:]),
                  caption=f"{caption}（表头：{' | '.join(h for h in header if h)}）")]


def load_csv(path: Path) -> ParsedDocument:
    text = read_text(path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    grid = list(csv.reader(io.StringIO(text), dialect))
    if not grid:
        raise KnowledgeError("CSV 文件里没有数据行：请确认导出时包含表头和内容后重新导入")
    header = [h.strip().lower() for h in grid[0]]
    if find_key(header, QUESTION_KEYS) is not None:
        records = [dict(zip(grid[0], row)) for row in grid[1:]]
        return faq_document(records, path.stem)
    return ParsedDocument(title=path.stem, blocks=grid_document(grid, path.stem))


def load_xlsx(path: Path) -> ParsedDocument:
    from openpyxl import load_workbook

    try:
        book = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for broken files
        raise KnowledgeError(BROKEN_XLSX) from exc
    blocks: list[Block] = []
    try:
        for sheet in book.worksheets:
            grid = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            heading = [] if len(book.worksheets) == 1 else [normalize_inline(sheet.title)]
            blocks.extend(grid_document(grid, path.stem, heading))
    finally:
        book.close()
    title = path.stem
    if blocks and len(book.worksheets) == 1:
        title = blocks[0].caption.split("（表头")[0] or title
    return ParsedDocument(title=title, blocks=blocks)
