"""The one step of a procedure a question asks about, answered whole instead of the outline.

A follow-up about a step ("第二步具体怎么写", rewritten to "云盘扩容的步骤：在系统内确认新容量，具体怎么写")
or a question about an error one step handles ("远程桌面报 CredSSP 加密数据库修正 咋办" on an RDP
troubleshooting procedure) wants that step, not every step's first line. A step is ASKED when

- its heading names what the question asks beyond the procedure's title (words nearly every step
  has — the procedure's own subject — say nothing about which step), clearly more than any
  other step's heading does (`HEAD_MARGIN` times), and
- the step (heading and body) covers at least `ASKED_STEP` of that.

The step is then given as its heading (a lead-in) and its body in order — instructions,
commands, explanations — within the budget. Used by graph/section_answer.from_section;
tested in tests/graph/test_asked_step.py.

Short of that, the step whose body covers what is asked clearly best (`matched_step`: at
least `ASKED_STEP`, `BODY_MARGIN` times any other) is completed inside the outline: its
diagnostic command comes with the action after it ("lsof +L1" … "systemctl restart"), its
example output left out (`step_whole`).
"""

from __future__ import annotations

import re

from graph.doc_units import Unit
from graph.relevance import QuestionTerms, coverage, found

ASKED_STEP = 0.5
"""Share of what is asked beyond the title the asked step must cover."""
HEAD_MARGIN = 2.0
"""How many times more of it the asked step's heading must name than any other step's heading."""
_STEP_PREFIX = re.compile(r"^(第[一二三四五六七八九十\d]+步[：:]?\s*|\d{1,2}[.、]\s*|步骤\s*\d+[：:]?\s*)")


def steps_of(units: list[Unit]) -> list[tuple[str, list[Unit]]]:
    """A procedure's units as (step heading, the units under it)."""
    steps: list[tuple[str, list[Unit]]] = []
    for u in units:
        if u.kind == "heading":
            steps.append((u.text, []))
        elif steps:
            steps[-1][1].append(u)
    return steps


def _beyond_shared(focus: QuestionTerms, texts: list[str]) -> QuestionTerms:
    """Without the words (nearly) every step contains: the procedure's subject."""
    lows = [t.lower() for t in texts]
    shared = {t for t in focus.weights if sum(found(t, x) for x in lows) >= max(3.0, 0.8 * len(lows))}
    return QuestionTerms({t: w for t, w in focus.weights.items() if t not in shared}, focus.expanded, focus.entities,
                         focus.aliases)


def asked_step(steps: list[tuple[str, list[Unit]]], terms: QuestionTerms, title: str) -> int | None:
    """Index of the step the question asks about (module docstring), or None."""
    if len(steps) < 2:
        return None
    texts = [f"{head} " + " ".join(u.text for u in body) for head, body in steps]
    focus = _beyond_shared(terms.without(title), texts)
    if focus.total <= 0:
        return None
    heads = [coverage(focus, _STEP_PREFIX.sub("", head)) for head, _ in steps]
    best = max(range(len(steps)), key=lambda i: heads[i])
    others = max((h for i, h in enumerate(heads) if i != best), default=0.0)
    if heads[best] <= 0 or heads[best] < HEAD_MARGIN * others or coverage(focus, texts[best]) < ASKED_STEP:
        return None
    return best


BODY_MARGIN = 1.5
"""How many times more of the question the matched step's body must cover than any other step's."""
_OUTPUT = re.compile(r"输出|示例|结果如下|output", re.I)
_ASIDE = re.compile(r"（[^）]*）|\([^)]*\)")
"""A remark in brackets ("示例输出（数据盘从 100 GiB 扩容到 500 GiB）："): not what the lead-in says."""
_READS_OUTPUT = re.compile(r"^(这表示|这说明|这就是|以上|上面的?输出|可以看到)")


def matched_step(steps: list[tuple[str, list[Unit]]], terms: QuestionTerms) -> int | None:
    """Index of the step whose heading and body cover what is asked clearly best (module docstring)."""
    if len(steps) < 2 or terms.total <= 0:
        return None
    covers = [coverage(terms, f"{head} " + " ".join(u.text for u in body if u.kind != "code")) for head, body in steps]
    best = max(range(len(steps)), key=lambda i: covers[i])
    others = max(c for i, c in enumerate(covers) if i != best)
    return best if covers[best] >= ASKED_STEP and covers[best] >= BODY_MARGIN * others else None


def step_whole(body: list[Unit]) -> list[Unit]:
    """A step's body in order without its example output (a lead-in naming output and its block)."""
    out: list[Unit] = []
    skip_code = reads_output = False
    for u in body:
        if u.kind == "leadin" and _OUTPUT.search(u.text) and len(_ASIDE.sub("", u.text)) <= 20:
            skip_code = True
            continue
        if u.kind == "code" and skip_code:
            skip_code, reads_output = False, True
            continue
        if reads_output and u.kind == "sentence" and _READS_OUTPUT.match(u.text):
            continue  # "这表示…" reads the output left out
        skip_code = reads_output = False
        out.append(Unit(u.kind, u.text, number=u.number, depth=1, heading=u.heading))
    return out


_ROUTE = re.compile(r"(?:→|->|=>).*?第\s*([0-9一二三四五六七八九十])\s*步")
_CN = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def routed_away(steps: list[tuple[str, list[Unit]]], terms: QuestionTerms) -> set[int]:
    """Indices of steps a procedure sends only other symptoms to: where a line routes by what is seen
    ("最终超时 → 网络不通，按第 3 步排查"; "Permission denied → 认证问题，跳到第 5 步") and some route
    names what is asked, the steps only the other routes lead to answer another problem."""
    matched: set[int] = set()
    other: set[int] = set()
    for _, body in steps:
        for u in body:
            for line in u.text.split("\n"):
                route = _ROUTE.search(line)
                if not route:
                    continue
                raw = route.group(1)
                target = (int(raw) if raw.isdigit() else _CN.get(raw, 0)) - 1
                seen = line[:route.start()]
                (matched if terms.total and coverage(terms, seen) > 0 else other).add(target)
    if not matched:
        return set()
    return {i for i in other - matched if 0 <= i < len(steps)}


def step_units(step: tuple[str, list[Unit]], budget: int, usable) -> list[Unit]:
    """The step as its heading (a lead-in) and its body in order, whole units within the budget."""
    head, body = step
    out = [Unit("leadin", f"{_STEP_PREFIX.sub('', head).strip() or head}：")]
    used = len(out[0].text) + 4
    for u in body:
        if not usable(u):
            continue
        size = len(u.text) + 4
        if used + size > budget:
            if u.kind == "code":
                continue  # a long command stays on the source card; the next instruction may fit
            break
        out.append(Unit(u.kind, u.text, number=u.number, depth=u.depth, heading=u.heading))
        used += size
    while out and out[-1].kind == "leadin":
        out.pop()
    return out
