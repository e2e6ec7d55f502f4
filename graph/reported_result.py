"""A message reporting what a check showed gets the page's line conditioned on that result.

    chosen = reported_result_first(chosen, message, sources, read_page, vocab, base, retrieved)

"show slave status 看了 Slave_SQL_Running 是 No", "du 加起来才 20 个 G，df 却显示用了 80 多 G", "INJECTED 那列
显示的是 ✘": the message reports the RESULT of a check a page describes — a value seen, a state shown, what a command
printed — and asks nothing else (or only what it means: "说明啥"). The page answers it with a line conditioned on
that result: "如果两个线程任一为 `No`，说明复制已中断…", "若…，多半是…", "`False` 表示网络层不通", "如果 `ENDPOINTS`
列的值为 `<none>`，则应检查…". Retrieval brings the page, and the answer repeats its checks or its fix list.

A report (`reports_result`) names a check run or read (看, 查, 跑, 执行, 显示, 返回, 那栏 …) and a result word linking
it to what it showed; a narrative of the fault ("pod 一直 Unknown，删又删不掉") or any other ask ("…呢", "咋弄") is
another module's. The pages' conditioned clauses (`conditioned`: a sentence or clause whose consequence word —
说明, 表示, 多半, 意味着, 则, after 如果 also 那么, 可能 … — follows a condition; a column key "说明:" or a header is
no consequence) are weighed by the part BEFORE the consequence word (the check before it — its unit's earlier
text, the command and output just above — at half): the message's rare words as the base cuts them
(graph/worded_unit.message_words) and its Latin names and numbers (whole words: "no" is not in "node"), the words
after its result word (what the check showed) counting double; the direction it reports (`DIRECTIONS`: none seen,
only one, less, more, growing, staying, new, old — "一个 SYN 包都没看到" meets "完全看不到 SYN 包"); a number past
the condition's threshold ("95%" and "超过 90%"). The words of the pages' titles name the problem, not the result.
A condition must hold what the check showed (a word of it, a direction, a threshold), not only the check's name.
The clause clearly best (graph/detail_unit margins; a page ranked lower writing the same condition does not make
it unsure) leads alone, as the page writes it from its conditional word to the end of its case, with the block it
introduces ("…多半是内存泄漏：" and its command); a clause naming a cause by its number ("原因就是第 1 条") comes with
that cause's item. The pages read: a follow-up's thread pages first, then the selected pages (most relevant first).
Used by graph/nodes/select.py, first turns and follow-ups; tested in tests/graph/test_reported_result.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from graph.asked_action import lists_causes
from graph.detail_unit import MARGIN
from graph.observed_cause import ASKS_OTHER, NAME, observed
from graph.page_units import ITEM, PageUnit, as_read, page_units
from graph.pointed_unit import pointed_passage
from graph.prior_scan import ASKING_WORD
from graph.schema import PassageData
from graph.worded_unit import Words, message_words, rare_weights

CONSEQUENCE = re.compile(r"(?<!的)(?:说明|表示|表明|意味着|多半是|多半|即为|原因就是|就是典型|，则|,\s?则|则(?:是|应|需|表示|说明))"
                         r"(?!\s{0,2}[:：|])")
"""Where a conditioned clause's consequence starts (not a column key "说明: …", not the noun "…的说明")."""
LEAD = re.compile(r"^[ \t]{0,8}(?:[-*][ \t]{1,4}|\d{1,2}[.、][ \t]{0,4})?(?:\*\*[^*]{0,40}\*\*[ \t]{0,4}(?:[:：。.]|$)[ \t]{0,4})?")
"""An item's mark and bold lead ("3. **查看上游**："): what the step is, not the condition. A bold span going on
into its sentence ("**看到了 SYN 但没有回包**，说明…") is the condition itself, in bold."""
CONDITION = re.compile(LEAD.pattern + r"(?:如果|若|假如|要是|当)?")
"""What opens a condition: an item's mark and bold lead, the conditional word."""
IF = re.compile(LEAD.pattern + r"(?:如果|若|假如|要是)")
THEN = re.compile(r"[，,]\s?(?:那么|可能|请|需要|应)")
"""After a clause opened by 如果 or 若, these start its consequence too ("如果失败，那么…", "如果仍然黑屏，可能是…")."""
OPENS = re.compile(r"(?:如果|若|假如|要是)")
"""A conditional word inside a sentence ("执行 `widget status`，如果 …"): the conditioned line starts there."""
CLAUSES = re.compile(r"(?<=[。！？!?；;])|\n+")
"""Where a sentence or a clause of a line ends."""
ROW = re.compile(r"^[^:：；;\n`]{1,30}: [^；\n]{0,200}；[^:：；;\n`]{1,30}: ")
"""A table row as the index writes it ("字段: aqu-sz；含义: …"): one clause."""
HEADER = re.compile(r"（表头：[^）\n]{0,200}）")
"""A table's header line as the index writes it: column names, no condition."""
FENCE = re.compile(r"```.*?```", re.S)
MEANING_ASK = re.compile(r"(?:这|那)?(?:说明|代表|意味着|表示|是)(?:了)?(?:啥|什么)(?:问题|意思)?|(?:什么|啥)意思|"
                         r"(?:咋|怎么)回事|(?:是)?(?:啥|什么)(?:原因|情况)")
"""Asking only what the result means: the conditioned line answers that too."""
RESULT = re.compile(r"(?<![还但就总也可这那凡])是|为|显示|返回|出来|输出|看到|看不到|没看到|查到|查不到|标成|标记为|标着|写着|剩|结果就?是|"
                    r"变成|停在|卡在|顶在|掉到|降到|涨到|到了|达到|超过|只有|全是|一直|看了|查了|已经")
"""A result word: what links the thing checked to what it showed ("Slave_SQL_Running 那栏是 No"). "还是",
"但是", "就是" join clauses; they report nothing."""
OTHER_ASK = re.compile(r"咋|啥|呢|么|该|谁|[？?]")
"""Asks the pages' asking words leave out ("咋弄", "该填啥", "那换成极速ssd呢")."""
CHECKED = re.compile(r"看|查|跑|执行|测|抓|数了|记了|盯着|加起来|显示|返回|输出|出来|写[着的]|那栏|那列|那项|字段")
"""A check the user ran or read ("看了一下", "跑出来", "那栏"): a narrative of the fault ("pod 一直
Unknown，删又删不掉") reports no result of a check; another module answers it."""
DIRECTIONS = {
    "none": re.compile(r"没有|都没|没看到|看不到|查不到|没查到|没输出|为空|是空|空的|<none>|完全没|不存在|压根没|缺少"),
    "only": re.compile(r"只有|只看到|仅|就一|只剩|就是\s?1\b|才\s?1\b"),
    "less": re.compile(r"小于|不到|低于|少于|不高|很小|很低|才|降为\s?0|掉到\s?0|降到\s?0"),
    "more": re.compile(r"大于|超过|高于|很高|特别高|偏高|很大|特别大|贴近|接近上限|顶在|顶到|满了|已达"),
    "grow": re.compile(r"只增不减|往上涨|一直涨|越来越|不断增|一直增|没降|不降"),
    "stay": re.compile(r"一直停|长时间停|一直卡|卡在|停在|好久|不动|没变|不变|长期"),
    "new": re.compile(r"新的|是新|最新"),
    "old": re.compile(r"旧|老的|以前的|原来的"),
}
"""The direction a result is reported in, as any Chinese page writes it: a word of the same direction in a
condition counts as one of the message's words."""
PAST = 2.0
"""What a reported number passing a condition's threshold counts (a rare word's weight, about)."""
VALUE = 2.0
"""What a word saying what the check showed counts in a condition, against a word naming the check."""
CONTEXT = 0.5
"""What a word held by the clause's unit before it (the check) counts, against one held by its condition."""
THRESHOLD = re.compile(r"(超过|大于|高于|多于|>|小于|低于|少于|不到|<)\s?(\d+(?:\.\d+)?)\s?(%?)")
"""A condition's threshold ("如果 CPU 使用率超过 90%"): a number the message reports past it meets it."""
ABOVE = ("超过", "大于", "高于", "多于", ">")
NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s?(%?)")
LATIN_WORD = "(?<![a-z0-9_]){}(?![a-z0-9_])"


@dataclass
class Clause:
    """A conditioned clause of a page: what it is conditioned on, what the answer shows, where it is."""

    unit: PageUnit
    condition: str
    shown: str
    context: str = ""
    """The unit's text before the clause: the check it is conditioned on ("这里查不到" after the dig command)."""


def reports_result(message: str) -> bool:
    """Does the message report what a check showed and ask nothing but what it means? A result word links
    what was checked to what it showed ("那栏是 No", "显示 active", "返回 401", "一个都没看到"), and no ask
    besides a meaning ask is left ("…呢", "咋弄", "该填啥" ask something else)."""
    text = MEANING_ASK.sub(" ", message)
    if ASKS_OTHER.search(text) or ASKING_WORD.search(text) or OTHER_ASK.search(text):
        return False
    shown = RESULT.search(text) or any(d.search(text) for d in DIRECTIONS.values())
    return bool(shown) and bool(CHECKED.search(text))


def conditioned(unit: PageUnit, lead: str = "") -> list[Clause]:
    """The unit's conditioned clauses: a table row whole; else each sentence or clause (code aside) holding a
    consequence word after a condition, shown with the code block it introduces. `lead`: the units before it
    showing the check (a command and its output)."""
    text = HEADER.sub(" ", FENCE.sub("\n", unit.text))
    row = bool(ROW.match(text))
    parts = [text] if row else [p for p in CLAUSES.split(text) if p.strip()]
    out = []
    for part in parts:
        match = CONSEQUENCE.search(part) or (THEN.search(part) if IF.match(part) else None)
        condition = CONDITION.sub("", part[:match.start()]) if match else ""
        if match and condition.strip(" ，,`*"):
            before = "".join(p for p in CLAUSES.split(unit.text[:max(unit.text.find(part.strip()), 0)])
                             if not CONSEQUENCE.search(p))  # another case's consequence is not this one's check
            shown = as_read(unit) if row else _shown(unit.text, part, match.start())  # a row under its header
            out.append(Clause(unit, _plain(condition), shown, _plain(f"{lead}\n{before}")))
    return out


def page_clauses(units: Sequence[PageUnit]) -> list[Clause]:
    """The conditioned clauses of a page's units (all of one page), each with the check before it: the code
    blocks just before its unit and the line introducing them ("从 Pod 中运行以下命令：", the command, its output,
    "如果失败，…")."""
    out: list[Clause] = []
    for at, unit in enumerate(units):
        lead: list[str] = []
        back = at - 1
        while back >= 0 and units[back].text.rstrip().endswith("```"):
            lead.insert(0, units[back].text)  # a command or its output, alone or with the line introducing it
            if not FENCE.match(units[back].text.lstrip()):
                break
            back -= 1
        if lead and back >= 0 and FENCE.match(lead[0].lstrip()):
            lead.insert(0, units[back].text)
        out += conditioned(unit, "\n".join(lead))
    return out


def _plain(text: str) -> str:
    """Lower-case, code marks off: what a message's words are looked for in."""
    return text.lower().replace("`", "")


def _shown(unit_text: str, part: str, consequence: int) -> str:
    """The clause as the page writes it, from its conditional word (the item's mark, its lead and the check
    before the condition off), with what follows it on its line up to another case ("可能的原因是…，请…"),
    and the code block after it when it introduces one ("…多半是内存泄漏：")."""
    body = part.strip()
    opened = [m.start() for m in OPENS.finditer(part[:consequence])]
    clause = part[opened[-1]:].strip() if opened else LEAD.sub("", body, count=1)
    end = unit_text.find(body) + len(body)
    line = unit_text[end:].split("\n", 1)[0]
    for sentence in (p for p in CLAUSES.split(line) if p.strip()):
        if OPENS.search(sentence) or CONSEQUENCE.search(sentence) or clause.rstrip().endswith(("：", ":")):
            break  # another case of the line, or the clause introduces a block
        clause, end = clause + sentence, end + len(sentence)
    if clause.rstrip().endswith(("：", ":")):
        after = unit_text[end:]
        block = FENCE.search(after)
        if block is not None and not after[:block.start()].strip():
            return f"{clause}\n{block.group()}"
    return clause


def result_words(message: str, vocab: Any, problem: str = "") -> Words:
    """The message's words (with their documentation terms), its Latin names and numbers, lower-case; not
    those the problem (the pages' titles) holds: "1045" in "mysql 报 1045，… using password: NO" names the
    problem, "NO" is the result."""
    low = problem.lower()
    words: list[list[str]] = [w for w in message_words(MEANING_ASK.sub(" ", message), vocab)]
    words += [[n] for n in dict.fromkeys(m.lower() for m in NAME.findall(message))]
    return [w for w in words if not any(_holds(low, [t]) for t in w)]


def _holds(text: str, word: Sequence[str]) -> bool:
    """Does the condition hold the word: a Latin word or number whole, a Chinese word or its terms inside."""
    return any(re.search(LATIN_WORD.format(re.escape(w)), text) if w.isascii() else w in text for w in word)


def _directions(text: str) -> set[str]:
    return {name for name, pattern in DIRECTIONS.items() if pattern.search(text)}


def clause_score(clause: Clause, weights: list[tuple[Sequence[str], float]], wanted: set[str],
                 numbers: Sequence[tuple[float, str]] = (), values: Sequence[Sequence[str]] = ()) -> tuple[float, int, bool]:
    """The clause's score for the message's rare words and directions, how many it holds, and whether a Latin
    name (not a number alone) is among those its condition holds. `values`: the words saying what the check
    showed, which count more in a condition than the words naming the check."""
    held = [(word, w * (VALUE if word in values else 1.0)) for word, w in weights if _holds(clause.condition, word)]
    near = [(word, w * CONTEXT) for word, w in weights if (word, w) not in held and _holds(clause.context, word)]
    turned = len(wanted & _directions(clause.condition))
    named = any(word[0].isascii() and not word[0].isdigit() for word, _ in held)
    past = passes(clause.condition, numbers)
    if past is None:
        return 0.0, 0, False  # the number reported is on the other side of the condition's threshold
    if not (any(word in values for word, _ in held) or turned or past):
        return 0.0, 0, False  # the condition must state what the check showed, not only name the check
    return (sum(w for _, w in [*held, *near]) + turned + past * PAST, len(held) + len(near) + turned + past,
            named or past)


def reported_clauses(message: str) -> list[str]:
    """The message's clauses reporting a check ("show processlist 看大部分连接都是 Sleep"), not those stating
    the problem ("报 ERROR 1040 连接数满了": its "满了" is no direction a check showed)."""
    return [part for part in re.split(r"[，,。；;]", message) if CHECKED.search(part) or RESULT.search(part)]


def shown_values(message: str, words: Words) -> list[Sequence[str]]:
    """The message's words after a result word in its clause: what the check showed ("那栏是 No", "被标成
    stale"), not what was checked."""
    shown = " ".join(part[m.end():] for part in re.split(r"[，,。；;]", message.lower())
                     for m in [RESULT.search(part)] if m is not None)
    return [w for w in words if any(_holds(shown, [t]) for t in w)]


def passes(condition: str, numbers: Sequence[tuple[float, str]]) -> bool | None:
    """Does a number the message reports pass the condition's threshold (same unit: a share or not)? None
    when the message's number of that unit stays on the other side of it."""
    for match in THRESHOLD.finditer(condition):
        limit, share = float(match.group(2)), match.group(3)
        above = match.group(1) in ABOVE
        same = [value for value, unit in numbers if unit == share and share]
        if any(value > limit if above else value < limit for value, unit in numbers if unit == share):
            return True
        if same:
            return None
    return False


def reported_numbers(message: str) -> list[tuple[float, str]]:
    """The numbers the message reports, each with its unit mark ("95%": a share)."""
    return [(float(m.group(1)), m.group(2)) for m in NUMBER.finditer(message)]


def best_clause(clauses: list[Clause], units: list[PageUnit], message: str, words: Words) -> Clause | None:
    """The clause whose condition holds the message's result clearly best: its rare words (rare among the
    pages' units; those of the check before it at half), a Latin name among them or two words, the direction
    the message reports counted as a word; None when two clauses of its page or of a page ranked before it are
    as close. `clauses` come in the pages' order, the most relevant page first."""
    weights = rare_weights([u.scored.lower() for u in units], words)
    wanted = _directions(" ".join(reported_clauses(message)))

    numbers = reported_numbers(message)
    values = shown_values(message, words)

    def score(clause: Clause) -> tuple[float, int, bool]:
        return clause_score(clause, weights, wanted, numbers, values)

    rank = {source: n for n, source in enumerate(dict.fromkeys(c.unit.source for c in clauses))}
    scored = sorted(((score(c), i) for i, c in enumerate(clauses)),
                    key=lambda s: (-s[0][0], rank[clauses[s[1]].unit.source]))
    if not scored:
        return None
    (best, count, named), at = scored[0]
    if count < 2 and not named:
        return None  # one Chinese word alone is shared by chance; a name quoted is not
    # a page ranked below the best clause's page writing the same condition does not make it unsure
    runner = next((s[0] for s, i in scored[1:] if clauses[i].shown != clauses[at].shown
                   and rank[clauses[i].unit.source] <= rank[clauses[at].unit.source]), 0.0)
    return clauses[at] if best >= MARGIN * runner and best > 0 else None


CAUSE_NUMBER = re.compile(r"(?:第\s?(\d{1,2})\s?条|原因\s?(\d{1,2}))")
"""A consequence naming a cause of the page's list by its number ("原因就是第 1 条")."""


def named_cause(clause: Clause, units: list[PageUnit]) -> PageUnit | None:
    """The item of the clause's page's causes list its consequence names by number."""
    match = CAUSE_NUMBER.search(clause.shown[len(clause.condition):] if clause.condition else clause.shown)
    if match is None:
        return None
    number = int(match.group(1) or match.group(2))
    causes = [u for u in units if u.source == clause.unit.source and lists_causes(u) and ITEM.match(u.text)]
    return causes[number - 1] if 0 < number <= len(causes) else None


def reported_result_first(chosen: list[PassageData], message: str, sources: Sequence[str],
                          read_page: Callable[[str], list[dict]], vocab: Any, base: str,
                          retrieved: Sequence[PassageData] = ()) -> list[PassageData]:
    """The pages' line conditioned on the result the message reports, alone (with the cause it names by
    number), marked to be answered as it is; the selection otherwise. `sources`: the thread's pages, read
    before the selected ones."""
    if not chosen or not reports_result(message):
        return chosen
    pages = list(dict.fromkeys([*sources, *(str(p.get("source")) for p in reversed(chosen)
                                             if p.get("kind") != "faq" and p.get("source"))]))
    units = [u for s in pages for u in page_units(s, read_page(s))]
    clauses = [c for s in pages for c in page_clauses([u for u in units if u.source == s])]
    titles = " ".join(str(p.get("title") or "") for p in [*chosen, *retrieved] if p.get("source") in pages)
    found = best_clause(clauses, units, message, result_words(message, vocab, titles))
    if found is None:
        return chosen
    title = next((str(p.get("title") or "") for p in chosen if p.get("source") == found.unit.source), "")
    known = [*chosen, *retrieved]
    cause = named_cause(found, units)
    picked = [observed(pointed_passage(cause, known, base, title))] if cause is not None else []
    # the evidence reads most relevant last: the cause named, then the conditioned line
    return [*picked, observed(pointed_passage(found.unit, known, base, title, found.shown))]


__all__ = ["Clause", "best_clause", "conditioned", "reported_result_first", "reports_result"]
