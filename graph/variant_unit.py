"""A follow-up asking the same thing for a sibling variant gets the thread page's unit naming that variant.

"按量付费的资源欠费了会怎么样" -> "那包年包月的呢", "ext4 的文件系统用什么命令扩" -> "那 xfs 的呢", "linux 实例
重置密码重置的是哪个用户的" -> "windows 的呢": the rewrite puts the variant word where its sibling stood in the
thread's question (graph/substitution.py; the message's focus is `swap`), and retrieval ranks the thread
page's sections by the question's other words — the ones the previous answer quoted — so the answer repeated
the first variant's lines. A page treating both variants says each in a unit of its own: the table row
beside the sibling's row, the item beside the sibling's item, a section or a FAQ question headed by the variant.

`variant_unit_first`: the variant and its sibling (`swaps`: the rewrite's variant whole with the span of the
previous question in its place, then the words the two standalone questions do not share) pick the thread
pages' units naming the variant (graph/page_units.py; link lists left out). For a how-to, the ones under a
solution heading, of those the ones in the sections the selection chose for the whole question. Each is
weighed by the question's marks (graph/pointed_unit.Scorer) plus, beside a unit of its chunk naming the
sibling alone, that unit's weight for the previous question: the page's parallel statement of the variant's
case. A variant given a table column ("（表头：规则 | 默认安全组 | 新建的自定义安全组）") is answered by a row
only when the question names the row's first cell ("容量范围"); else by the selection's section, as the
column is. The best, with its answer when it is a question line, is the evidence alone, as a pointed unit is.
None names the variant: retrieval's pages stay (a sibling page treats it: the RDP page for "windows 远程桌面
连不上的话呢" after an SSH page). Used by graph/nodes/select.py; tested in tests/graph/test_variant_unit.py.
"""

from __future__ import annotations

import re
from typing import Collection, Sequence

from graph.doc_sections import SKIP_HEAD
from graph.fix_asked import in_solution
from graph.page_units import PageUnit, as_read, page_units, with_answer
from graph.pointed_unit import POINTED, Scorer
from graph.prior import names_other_page
from graph.prior_scan import PRIOR_PAGE, ChunksOf, page_passage, prior_page_chunks
from graph.question_type import question_type
from graph.schema import PassageData, PriorAnswer
from graph.unit_kind import table_header


def swapped_words(previous: str, standalone: str) -> tuple[str, str]:
    """(sibling, variant): what the standalone question has in place of the previous one's words, by their
    common start and end ("tcp 监听器的…" -> "http 监听器的…": ("tcp", "http")); empty when nothing was put in."""
    a, b = (previous or "").strip(), (standalone or "").strip()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return _word(a, start, len(a) - end), _word(b, start, len(b) - end)


def swaps(previous: str, standalone: str, focus: str = "") -> list[tuple[str, str]]:
    """The (sibling, variant) pairs to look for, the widest first: the rewrite's variant whole, with the span
    of the previous question in its place ("按次计费" for "包季计费", though both end in 计费), then the words
    the two questions do not share ("tcp" / "http" of "tcp 监听器" / "http 监听器")."""
    pairs: list[tuple[str, str]] = []
    at = standalone.lower().find(focus.lower().strip()) if focus.strip() else -1
    if at >= 0:
        before, after = standalone[:at], standalone[at + len(focus.strip()):]
        if previous.startswith(before) and previous.endswith(after) and len(previous) > len(before) + len(after):
            pairs.append((previous[len(before):len(previous) - len(after)].strip(), focus.strip()))
    pairs.append(swapped_words(previous, standalone))
    # one character ("读" for "写") is part of too many words to name a unit by
    return [(s, v) for s, v in dict.fromkeys(pairs) if len(v.strip()) >= 2]


def _word(text: str, start: int, end: int) -> str:
    """The changed span, widened to the whole Latin word it cuts ("ssd" / "essd" share their end)."""
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isascii() and text[end].isalnum():
        end += 1
    return text[start:end].strip()


def names(text: str, word: str) -> bool:
    """Does the text name the word (a Latin word whole: "http" is not named by "https")?"""
    low, word = text.lower(), word.lower().strip()
    if not word:
        return False
    if not word.isascii():
        return word in low
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", low) is not None


def _mates(naming: list[PageUnit], sibling: str, variant: str, units: Sequence[PageUnit]) -> dict[int, list[PageUnit]]:
    """Each unit naming the variant alone (by its place in `naming`) with the units of its chunk naming the
    sibling alone: the page treats the two side by side (a row per billing mode, an item per system)."""
    alone = [u for u in units if names(u.text, sibling) and not names(u.text, variant)]
    return {i: mates for i, u in enumerate(naming) if not names(u.text, sibling)
            if (mates := [m for m in alone if m.chunk.get("chunk_id") == u.chunk.get("chunk_id")])}


def _row_key(unit: PageUnit, variant: str) -> str | None:
    """The row's first cell when the unit is a row of a table with a column for the variant ("（表头：项目 |
    系统盘 | 数据盘）": "容量范围"); None for any other unit."""
    columns = [c.strip() for c in table_header(unit.chunk).split("|")]
    if len(columns) < 2 or not any(names(c, variant) for c in columns[1:]) or not unit.text.startswith(f"{columns[0]}: "):
        return None
    return unit.text[len(columns[0]) + 2:].split("；", 1)[0].strip()


def _in_column(pool: list[PageUnit], standalone: str, variant: str) -> list[PageUnit] | None:
    """The rows the question names of a table giving the variant a column: its case is that column, which no
    one unit holds, so a question naming no row's first cell ("默认安全组放行哪些端口") is not answered by a
    unit (None: the selection's section stands); the pool as it is when no such table names the variant."""
    rows = [(u, key) for u in pool if (key := _row_key(u, variant))]
    if not rows:
        return pool
    named = [u for u, key in rows if names(standalone, key)]
    return named or None


def _solving(naming: list[PageUnit]) -> list[PageUnit]:
    """The units under a solution heading (graph/fix_asked.in_solution): a how-to asks the fix."""
    return [u for u in naming if in_solution(list(u.chunk.get("heading_path") or []), str(u.chunk.get("title") or ""))]


def variant_unit(standalone: str, previous: str, units: Sequence[PageUnit], focus: str = "",
                 selected: Collection[str] = ()) -> PageUnit | None:
    """The unit naming the variant asked (module docstring); None when no unit of the pages names it, or
    none holds a rare mark of the question."""
    kept = [u for u in units if not SKIP_HEAD.search(" ".join(u.chunk.get("heading_path") or []))]
    found = next(((s, v, naming) for s, v in swaps(previous, standalone, focus)
                  if (naming := [u for u in kept if names(u.scored, v)])), None)
    if found is None:
        return None
    sibling, variant, pool = found
    if question_type(standalone) == "howto":
        # a how-to asks the variant's fix; of the fixes, the sections retrieval chose for the whole question
        # ("…怎么恢复": 恢复服务, not 防止再次欠费) — each narrowing only where it leaves some
        pool = _solving(pool) or pool
        pool = [u for u in pool if str(u.chunk.get("chunk_id") or "") in selected] or pool
    columned = _in_column(pool, standalone, variant)
    if columned is None:
        return None
    pool = columned
    mates = _mates(pool, sibling, variant, kept) if sibling else {}
    scorer, before = Scorer.of(standalone, list(kept)), Scorer.of(previous, list(kept))
    # a unit beside its sibling's answers the variant as the sibling's answered the previous question: its
    # weight adds theirs ("包年包月：到期后资源保留 7 天" beside "按量付费：…2 小时后被停服"), where a unit naming
    # the variant in passing ("核心资源改为包年包月…") shares as many of the question's words
    weights = {i: scorer.score(u.scored) + max((before.score(m.scored) for m in mates.get(i, [])), default=0.0)
               for i, u in enumerate(pool)}
    best = max(weights, key=lambda i: weights[i])
    if weights[best] <= 0:
        return None  # units naming the variant in passing, none on the question's other words
    at = next((i for i, u in enumerate(kept) if u is pool[best]), None)
    return pool[best] if at is None else with_answer(kept, at)


def variant_unit_first(chosen: list[PassageData], message: str, standalone: str, focus: str, prior: PriorAnswer,
                       chunks_of: ChunksOf, base: str, retrieved: Sequence[PassageData] = ()) -> list[PassageData]:
    """The thread pages' unit naming the variant the follow-up swapped in, alone; the selection otherwise (and
    when another selected page is titled by the variant or a name the message quotes: the user switched to it)."""
    sources = list(dict.fromkeys(s for s in prior.get("sources") or [] if s))
    if not sources or any((p.get("meta") or {}).get(POINTED) for p in chosen):
        return chosen
    pages = prior_page_chunks(sources, chunks_of)
    units = [u for s in sources for u in page_units(s, [c for t, c in pages if t == s])]
    previous = str(prior.get("question") or "")
    others = [p for p in chosen if p.get("source") not in sources]
    if names_other_page(message, others) or any(names(str(p.get("title") or ""), v) for p in others
                                                 for _, v in swaps(previous, standalone, focus)):
        return chosen  # "那 ImagePullBackOff 呢", "那 1040 呢": a name another selected page is titled by
    selected = {str(c) for p in chosen for c in [p.get("chunk_id"), *((p.get("meta") or {}).get("chunks") or [])] if c}
    unit = variant_unit(standalone, previous, units, focus, selected)
    variants = [v for _, v in swaps(previous, standalone, focus)]
    if unit is None or any((p.get("meta") or {}).get(PRIOR_PAGE) and any(names(str(p.get("text") or ""), v) for v in variants)
                           for p in chosen):
        return chosen  # the thread page's line giving the asked kind names the variant already (graph/prior_scan.py)
    passage = page_passage(unit.source, {**unit.chunk, "text": as_read(unit)}, [*chosen, *retrieved], base,
                           (prior.get("titles") or {}).get(unit.source, ""))
    return [{**passage, "meta": {**(passage.get("meta") or {}), POINTED: True}}]
