"""The code block writing a setting a how-to sentence names (issue #12: a how-to gets its commands).

"你可以通过修改配置项 `lightning.max-error` 来增加容错数量。" says what to set; the section's
"[lightning]\nmax-error = 0" block, a paragraph (or a site's markup) further down, says how to write
it. graph/section_answer.py keeps that block with the sentence. Tested in tests/graph/test_setting_shown.py.
"""

from __future__ import annotations

import re

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
