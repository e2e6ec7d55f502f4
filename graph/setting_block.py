"""The code block writing a setting a how-to sentence names (issue #12: a how-to gets its commands);
the setting a reference section is about, named in what is quoted of it (issue #21).

"你可以通过修改配置项 `lightning.max-error` 来增加容错数量。" says what to set; the section's
"[lightning]\nmax-error = 0" block, a paragraph (or a site's markup) further down, says how to write
it. graph/section_answer.py keeps that block with the sentence. Tested in tests/graph/test_setting_shown.py.

Reference pages (a configuration file, system variables, well-known annotations) give each setting a
section headed with its name ("### `txn-entry-size-limit` 从 v4.0.10 版本开始引入") and describe it
without repeating it ("+ 事务中单个 key-value 记录的大小限制…", "此注解的值是…"). Quoted alone, such a
line answers "哪个参数" without the parameter. `with_setting_name` (graph/answer_draft.AnswerDraft.add) puts the heading's name before the
first line quoted from the section when nothing quoted names it. Tested in tests/graph/test_setting_name.py.
"""

from __future__ import annotations

import re

from dataclasses import replace
from typing import Any, Mapping

from graph.doc_units import Unit

_SETTING = re.compile(r"`([A-Za-z][\w.-]*[.-][\w.-]*\w)`")
"""A quoted setting or option with a dot or dash in it (`lightning.max-error`, `--previous`): a name
that a config block or command line of the section writes out."""


def setting_shown(units: list[Unit], chosen: set[int]) -> set[int]:
    """The chosen units with, for a sentence naming a setting, the section's first code block after it
    that writes that setting ("修改配置项 `lightning.max-error`…" -> "[lightning]\nmax-error = 0"): the
    sentence says what to set, the block how to write it, even when a paragraph stands between."""
    keep = set(chosen)
    for i in sorted(chosen):
        if units[i].kind not in ("sentence", "item"):
            continue
        for name in _SETTING.findall(units[i].text):
            last = re.split(r"[.]", name)[-1].lstrip("-")
            if len(last) < 4:
                continue
            block = next((j for j in range(i + 1, len(units)) if units[j].kind == "code" and last in units[j].text), None)
            if block is not None:
                keep.add(block)
    return keep


_NAME_HEAD = re.compile(r"^`?(-{0,2}[A-Za-z][\w.:/-]*[.:/_-][\w.:/-]*\w)`?(.*)$")
"""A heading opening with a setting's name: a word with a dot, colon, slash, underscore or dash in it."""
_REMARK = re.compile(r"从|和|v[0-9.]{1,12}|版本开始引入|[（(][^）)]{0,20}[）)]|<[^<>]{0,80}>|[`*\s]")
"""What may follow the name in such a heading: when it was introduced, a status "(beta)" "（已弃用）"."""


def named_setting(passage: Mapping[str, Any]) -> str | None:
    """The setting a section is about, when its own heading is that setting's name (and a remark)."""
    heads = passage.get("heading_path") or []
    m = _NAME_HEAD.match(str(heads[-1]).strip()) if heads else None
    if m is None or _REMARK.sub("", m.group(2)):
        return None
    return m.group(1)


def with_setting_name(units: list[Unit], passage: Mapping[str, Any]) -> list[Unit]:
    """The units quoted from a setting's section, the first line of them opening with the setting's
    name ("`txn-entry-size-limit`：事务中单个…") when none of them names it."""
    name = named_setting(passage)
    if name is None or any(name in u.text for u in units):
        return units
    at = next((i for i, u in enumerate(units) if u.kind in ("sentence", "item", "row", "leadin")), None)
    if at is None:
        return units
    return [*units[:at], replace(units[at], text=f"`{name}`：{units[at].text}"), *units[at + 1:]]
