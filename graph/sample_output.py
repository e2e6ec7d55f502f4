"""What a command prints, shown on a page as a sample: not what a how-to or fault answer gives.

Real documentation shows each command with the output it prints ("```none" after
"kubectl describe node …", "输出为：" before a block, an envoy log in "```plain"). A sample
repeats what the user already sees — often their own pasted error — and, being long, takes the
answer's room from the commands and the steps after it. `samples` finds them: a block fenced as
output (none / console / output / log / plain) and the blocks a lead-in announces as output
("输出类似于：", "你应该能看到类似这样的输出：") or that stand, unmarked, right under a shell command,
with the lead-in that only announces them and the "或者" that only joins two samples.
graph/section_answer.from_section leaves them out of how-to, cause and symptom answers (a section
given whole keeps them while it fits: graph/section_fit.py); a section that is only a sample gives nothing. Tested in tests/graph/test_sample_output.py.
"""

from __future__ import annotations

import re

from graph.doc_units import Unit

OUTPUT_FENCE = re.compile(r"^\s*(```|~~~)\s*(none|console|output|log|plain)\s*$", re.I | re.M)
"""The opening fence of a block marked as what a program prints (Hugo/Markdown pages mark it so)."""
SAMPLE_LEAD = re.compile(r"(输出|结果)(为|是|如下|类似|应该|应当|看起来)|类似(于)?(以下|如下|下面|这样)|"
                         r"可以看到|应该(会)?看到|将会看到|会看到|output (is|looks)|looks? like|you should see", re.I)
"""A lead-in announcing what a command prints ("输出为：", "输出类似于以下内容：")."""
_BARE_FENCE = re.compile(r"^\s*(```|~~~)\s*$")
_SHELL_FENCE = re.compile(r"^\s*(```|~~~)\s*(shell|bash|sh|zsh)\s*$", re.I)
_JOIN = re.compile(r"^(或者|或|以及|又或者|or)[：:，,]?$", re.I)


def _fenced_output(unit: Unit) -> bool:
    return unit.kind == "code" and bool(OUTPUT_FENCE.match(unit.text.split("\n", 1)[0]))


def samples(units: list[Unit]) -> set[int]:
    """Indices of the sample outputs among `units` and the lead-ins that only announce them."""
    out = {i for i, u in enumerate(units) if _fenced_output(u)}
    out |= {i for i in range(1, len(units)) if units[i].kind == units[i - 1].kind == "code"  # printed right under its command
            and _BARE_FENCE.match(units[i].text.split("\n", 1)[0])
            and _SHELL_FENCE.match(units[i - 1].text.split("\n", 1)[0])}
    for i, u in enumerate(units):
        if u.kind in ("leadin", "sentence") and SAMPLE_LEAD.search(u.text) and u.text.rstrip()[-1:] in "：:" \
                and i + 1 < len(units) and units[i + 1].kind == "code":
            out |= {i, i + 1}
    for i, u in enumerate(units):  # "或者" between two samples joins them; a lead-in left with no block goes
        if u.kind in ("leadin", "sentence") and i + 1 < len(units) and i + 1 in out and i not in out \
                and (_JOIN.match(u.text.strip()) or SAMPLE_LEAD.search(u.text)):
            out.add(i)
    return out


def without_samples(units: list[Unit]) -> list[Unit]:
    """The units without the samples (a section that is only a sample gives nothing but its lead-ins,
    which no answer ends with: graph/unit_fit.fit)."""
    drop = samples(units)
    return [u for i, u in enumerate(units) if i not in drop]
