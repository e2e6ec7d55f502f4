"""Test-only example of CONTRIBUTING.md "A new tool": list the knowledge documents on a topic.

The one file a tool needs: a `Tool` subclass with `name`, `description`, `risk`, an `Args`
model and `run(args, call)`, reading what it needs from `self.deps` (here the knowledge
base). Registered by one entry, `DocumentList` in `tools.catalog.SHIPPED_TOOLS`, which the
tests add (a real tool adds the same line there).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall, ToolFailed


class DocumentListArgs(ToolArgs):
    keyword: str = Field(min_length=1, max_length=50, description="标题或正文中的关键词，如 SSH、1040")
    kb: str | None = None
    limit: int = Field(10, ge=1, le=50)


class DocumentList(Tool):
    name = "document_list"
    description = "列出知识库中与关键词相关的文档（来源和标题）"
    Args = DocumentListArgs

    def run(self, args: DocumentListArgs, call: ToolCall) -> dict[str, Any]:
        if self.deps.knowledge is None:
            raise ToolFailed("未配置知识库，无法列出文档")
        wanted = args.keyword.lower()
        found: dict[str, str] = {}
        for chunk in self.deps.knowledge.iter_chunks(args.kb):
            if chunk.source not in found and (wanted in chunk.title.lower() or wanted in chunk.text.lower()):
                found[chunk.source] = chunk.title
        documents = [{"source": s, "title": t} for s, t in list(found.items())[: args.limit]]
        summary = f"有 {len(found)} 篇文档提到“{args.keyword}”" if found else f"没有文档提到“{args.keyword}”"
        return {"keyword": args.keyword, "documents": documents, "total": len(found), "healthy": None,
                "summary": summary}
