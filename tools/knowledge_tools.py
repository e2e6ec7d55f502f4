"""Tools over the knowledge base: knowledge_search and error_code_lookup.

They read the knowledge in their `ToolDeps` (the KnowledgeService given to
`build_registry(knowledge=...)`); what they return is quoted data for the agent, never
instructions.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall, ToolFailed
from tools.deps import KnowledgeSource, PassageLike, ToolDeps

CODE_FIELD = re.compile(r"错误码|错误代码|error[ _-]?code|^code$", re.I)


def knowledge_of(deps: ToolDeps) -> KnowledgeSource:
    if deps.knowledge is None:
        raise ToolFailed("未配置知识库，无法使用该工具")
    return deps.knowledge


def passage_json(passage: PassageLike) -> dict[str, Any]:
    return {**passage.to_json(), "heading_path": list(passage.heading_path)}


def parse_row(line: str) -> dict[str, str]:
    """A table row as the chunker writes it ("列名: 值；列名: 值") -> fields."""
    fields: dict[str, str] = {}
    last: str | None = None
    for cell in line.split("；"):
        name, sep, value = cell.partition(": ")
        if sep and name.strip() and len(name) <= 20:
            last = name.strip()
            fields[last] = value.strip()
        elif last is not None:  # a "；" inside a value
            fields[last] += "；" + cell.strip()
    return fields


def error_code_rows(knowledge: KnowledgeSource, kb: str | None = None) -> Iterator[tuple[str, dict[str, str], PassageLike]]:
    """(code, row fields, passage) for every row of every error-code table in the KB."""
    for passage in knowledge.iter_chunks(kb):
        if passage.kind != "table":
            continue
        for line in passage.text.splitlines():
            fields = parse_row(line)
            code = next((v for k, v in fields.items() if CODE_FIELD.search(k)), None)
            if code:
                yield code, fields, passage


class SearchArgs(ToolArgs):
    query: str = Field(min_length=1, max_length=500)
    k: int = Field(5, ge=1, le=20)
    kb: str | None = None


class KnowledgeSearch(Tool):
    name = "knowledge_search"
    description = "在知识库中检索与问题最相关的文档片段"
    Args = SearchArgs

    def run(self, args: SearchArgs, call: ToolCall) -> dict[str, Any]:
        passages = knowledge_of(self.deps).search(args.query, kb=args.kb, k=args.k)
        found = [passage_json(p) for p in passages]
        summary = (f"找到 {len(found)} 个相关片段，最相关：{found[0]['title']}（{found[0]['source']}）" if found
                   else "知识库中没有找到相关内容")
        return {"query": args.query, "passages": found, "healthy": None, "summary": summary}


class CodeArgs(ToolArgs):
    code: str = Field(min_length=1, max_length=80, description="错误码，如 1040、AccessDenied")
    kb: str | None = None


class ErrorCodeLookup(Tool):
    name = "error_code_lookup"
    description = "在知识库的错误码表中查找错误码的含义、可能原因和解决方法"
    Args = CodeArgs

    def run(self, args: CodeArgs, call: ToolCall) -> dict[str, Any]:
        knowledge = knowledge_of(self.deps)
        wanted = args.code.strip().lower()
        found = [(code, fields, p) for code, fields, p in error_code_rows(knowledge, args.kb) if code.lower() == wanted]
        entries = [{"code": code, "fields": fields, "source": p.source, "chunk_id": p.chunk_id} for code, fields, p in found]
        related = [passage_json(p) for p in knowledge.search(args.code, kb=args.kb, k=3)]
        if found:
            first = found[0][1]
            cause = next((v for k, v in first.items() if "原因" in k), "")
            summary = f"错误码 {args.code}：{next(iter(v for k, v in first.items() if '信息' in k), '')} {cause}".strip()
        else:
            summary = f"错误码表中没有 {args.code}" + ("，可参考相关文档" if related else "")
        return {"code": args.code, "found": bool(entries), "entries": entries, "related": related,
                "healthy": None, "summary": summary}
