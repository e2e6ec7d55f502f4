"""log_analysis: match a pasted or uploaded log against known error signatures and the
error codes of the knowledge base's error-code tables, with KB references per finding.

Signatures live in `log_signatures.yaml` (data) and run on RE2 (tools.patterns), so a
2 MB line costs linear time whatever a signature says (`.*` on Python's `re` was
quadratic: 300 s on one line). The code patterns below start with a literal and have no
nested quantifiers (linear on `re` too). Numeric codes only count next to an error word
(`ERROR 1040`, `code=1040`) so timestamps and sizes do not match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import Field

from tools.base import Tool, ToolArgs, ToolCall
from tools.knowledge_tools import error_code_rows, passage_json
from tools.patterns import compile_linear

MAX_LOG_CHARS = 2_000_000


@lru_cache(maxsize=1)
def signatures() -> list[dict[str, Any]]:
    text = resources.files("tools").joinpath("log_signatures.yaml").read_text(encoding="utf-8")
    items = yaml.safe_load(text)
    return [{**item, "regex": compile_linear(item["pattern"], ignore_case=True)} for item in items]


ERROR_WORDS = r"(?:error|err|错误码|错误|code|errno)[\s:=#(（]*"
NUMBERED = re.compile(ERROR_WORDS + r"(\d{3,6})\b", re.I)


def code_regex(code: str) -> re.Pattern[str]:
    if code.isdigit():
        return re.compile(ERROR_WORDS + rf"{re.escape(code)}\b", re.I)
    return re.compile(rf"(?<![\w-]){re.escape(code)}(?![\w-])")


def may_contain(code: str, text: str, numbered: set[str]) -> bool:
    """Cheap necessary condition before a regex pass: the code's text occurs (numbers: after an error word)."""
    return code in numbered if code.isdigit() else code in text


class LogArgs(ToolArgs):
    text: str = Field(min_length=1, max_length=MAX_LOG_CHARS, description="日志内容（粘贴或上传的文本）")
    kb: str | None = Field(None, description="知识库名称（默认当前知识库）")


class LogAnalysis(Tool):
    name = "log_analysis"
    description = "分析日志：匹配已知错误特征和知识库错误码表中的错误码，并给出相关文档"
    Args = LogArgs

    def run(self, args: LogArgs, call: ToolCall) -> dict[str, Any]:
        knowledge = self.deps.knowledge
        text = args.text
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        matches: dict[str, dict[str, Any]] = {}

        def scan(key: str, regex: Any, base: dict[str, Any]) -> None:
            # One pass of the pattern over the whole text (C speed), then offsets -> line numbers.
            seen: set[int] = set()
            for m in regex.finditer(text):
                number = bisect_right(starts, m.start())
                if number in seen:
                    continue
                seen.add(number)
                end = starts[number] - 1 if number < len(starts) else len(text)
                entry = matches.setdefault(key, {**base, "count": 0, "first_line": number,
                                                 "sample": text[starts[number - 1]:end].strip()[:300]})
                entry["count"] += 1

        for sig in signatures():
            scan(f"sig:{sig['id']}", sig["regex"], {"kind": "signature", "id": sig["id"], "title": sig["title"],
                                                     "query": sig["query"]})
        if knowledge is not None:
            scanned: set[str] = set()
            numbered = set(NUMBERED.findall(text))
            for code, fields, passage in error_code_rows(knowledge, args.kb):
                if code in scanned or not may_contain(code, text, numbered):
                    continue  # the same code in a second table, or not in the log at all
                scanned.add(code)
                title = next((v for k, v in fields.items() if "信息" in k), code)
                scan(f"code:{code}", code_regex(code), {"kind": "error_code", "id": code, "code": code, "title": title,
                                                        "fields": fields, "source": passage.source,
                                                        "query": f"{code} {title}"})
        lines = text.splitlines()
        found = sorted(matches.values(), key=lambda m: m["first_line"])
        if knowledge is not None:
            for entry in found:
                entry["references"] = [passage_json(p) for p in knowledge.search(entry["query"], kb=args.kb, k=2)]
        titles = "、".join(dict.fromkeys(m["title"] for m in found[:5]))
        summary = (f"在 {len(lines)} 行日志中发现 {len(found)} 类问题：{titles}" if found
                   else f"在 {len(lines)} 行日志中没有匹配到已知错误特征")
        return {"lines": len(lines), "matches": found, "codes": [m["code"] for m in found if m["kind"] == "error_code"],
                "signatures": [m["id"] for m in found if m["kind"] == "signature"],
                "healthy": not found, "summary": summary}
