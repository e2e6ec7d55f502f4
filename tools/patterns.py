"""Linear-time matching of patterns that come from data: log signatures, runbook slot patterns.

Python's `re` backtracks, so a pattern such as `connect\\(\\) failed .* upstream` costs
quadratic time on a long line and `(a+)+$` exponential time on a short one. Patterns
written in data files (possibly by an administrator, in `tools.runbooks_dir`) are compiled
with RE2 (google-re2), whose matching time is linear in the input whatever the pattern, so
no pasted log or reply can hold a worker. RE2 has no look-around or back-references: such
a pattern is a data error, reported when the file is loaded. Code-defined patterns stay on
`re` and are audited by tests/hardening/test_patterns.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


class PatternError(ValueError):
    """The pattern is not valid RE2 syntax (message names the problem, in Chinese)."""


@lru_cache(maxsize=512)
def compile_linear(pattern: str, ignore_case: bool = False) -> Any:
    """An RE2 pattern object (search / fullmatch / finditer like `re`); PatternError when invalid."""
    import re2

    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False  # RE2 would print parse errors to stderr; ours become PatternError
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        problem = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PatternError(f"正则表达式 {pattern!r} 无效或不支持（只支持 RE2 语法，不支持回溯引用与前后断言）：{problem}") from None
