"""A first message reporting a symptom with what the user observed gets the cause the observation points at.

    chosen = observed_cause_first(chosen, question, read_page, vocab, base, retrieved)

"ssh 从公司网络连不上，换手机热点就好了", "cpu 每天凌晨两点冲到 100%", "只读实例延迟，主库刚跑完一个删几百万行的
delete": the message names the problem (the page's title and product say it: ssh, cpu 100%, 只读实例延迟) and adds
what was seen — when it happens, for whom, what a log or a command shows. The page found lists several causes;
the one stating the observation is the answer, not the list from its first item. The message's words the page's
title and product do not hold are the observation: its Chinese words as the base cuts them (with their
documentation terms, graph/worded_unit.message_words), its Latin names and numbers ("111", "Sleep", "T5"), and a
time it recurs at ("每天凌晨", "半夜", "每到整点") standing for the page's words of time ("定时", "低峰期",
"同一时间"). A clause saying what works ("查询倒正常") and a message pasted ("Permission denied (publickey)", what
the page's symptom section shows in code) name no observation. The words are weighed over the page's cause units
(the items of its causes list, the rows of a symptom -> cause table) as a follow-up's words are weighed over a
page (graph/worded_unit.py: rare words only, two held or one name, number or time, clearly above every other
cause); the cause found leads alone with its fix (the solution row, item or subsection keyed by the cause's
words), and the other causes are left out. No fix on the page, an ask besides the report ("是不是中毒了",
"哪个用户"): the selection stays. Used by graph/nodes/select.py (a first question of the cause or symptom
kind); tested in tests/graph/test_observed_cause.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Collection, Sequence

from graph.asked_action import lists_causes, solves
from graph.echo import plays_symptom_role
from graph.page_units import ITEM, PageUnit, as_read, page_units, with_answer
from graph.pointed_unit import POINTED, pointed_passage
from graph.schema import PassageData
from graph.detail_unit import MARGIN, MIN_RARE
from graph.worded_unit import Words, holds, message_words, rare_weights

RECURS = re.compile(r"每(?:天|晚|周|月|到|逢|次到)|凌晨|半夜|深夜|夜里|夜间|整点|[早晚]上\s*\d|\d{1,2}\s*点(?:钟|左右|多)?|"
                    r"固定(?:时间|时段|的时间)|高峰|低峰|周期")
"""A time the problem comes back at: the message says WHEN it happens, which the page writes as time words."""
TIME_WORDS = ("定时", "周期", "同一时间", "低峰", "高峰", "夜间", "凌晨", "时间段", "固定时间", "每天")
"""How the pages say a cause happens at a time: the alternatives a recurring time in the message is held by."""
OBSERVED = "observed_cause"
"""Meta key of the cause and fix passages: the answer gives them as they are (graph/extractive.py)."""
CAUSE_COLUMN = re.compile(r"(?:^|；)[^；:：\n]{0,8}(?:原因|方向)[^；:：\n]{0,4}: ")
"""A table row's cause column, as the index writes a row ("错误码: (111)；…；常见方向: 端口写错…")."""
CLAUSE = re.compile(r"(?<=[，,。；;！!？?])")
"""Where a clause of the message ends (its mark kept with it)."""
WORKS = re.compile(r"正常|好好的|没问题|没毛病|是通的|能通|成功|返回\s*200|200\s*ok", re.I)
"""A clause saying something works: not the observation of the fault."""
KEY_BOLD = re.compile(r"^[ \t]{0,8}(?:(?:[-*]|\d{1,2}[.、])[ \t]{1,4})?\*\*([^*]{1,40})\*\*")
"""An item's bold lead: the case or action the item is about."""
LATIN = re.compile(r"[A-Za-z0-9_.:/'\-]+")
"""A Latin word (with the marks a path, a flag or an error code holds)."""
GLUE = re.compile(r"[ (),:]{1,3}")
"""What stands between the words of a message pasted ("Permission denied (publickey)")."""
ASKS_OTHER = re.compile(r"怎么|怎样|如何|什么|多少|多久|哪|能否|是否|可以|能不能|要不要|具体|是不是|对不对|吗")
"""An ask besides the report (a value, a verdict, a way to do): another module's to answer; "为啥" is this one's."""
CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
"""A fenced block or an inline code span."""
ASIDE = re.compile(r"（[^（）]*）")
"""An aside of a cause line ("（想放行 8080 却写成了 80）"): an example, not what the cause states."""
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]|\d+(?:\.\d+)?%?")
"""A Latin name or a number the message quotes ("Sleep", "T5", "111", "20%")."""


def observation_words(message: str, vocab: Any, problem: str) -> Words:
    """The message's words the problem text (the page's title and product) does not hold: its Chinese words
    with their documentation terms, its Latin names and numbers, and its recurring time as the time words. A
    clause saying what works ("后端本机 curl 检查路径返回 200") tells where the cause is not: its words are left out;
    so are the words of a message pasted ("Permission denied (publickey)"): it names the problem, which the page's
    sections for it answer (graph/identifier_anchor.py)."""
    low = problem.lower()
    seen = without_pasted("".join(c for c in CLAUSE.split(message) if not WORKS.search(c)))
    words: list[list[str]] = [w for w in message_words(seen, vocab) if not any(t in low for t in w)]
    names = dict.fromkeys(m.lower() for m in NAME.findall(seen))
    # a short Latin word is held inside longer ones ("du" in "core dump"): a name counts from three letters
    words += [[n] for n in names if n not in low and (len(n) > 2 or any(c.isdigit() for c in n))]
    if RECURS.search(message):
        words.append(list(TIME_WORDS))
    return words


def without_pasted(text: str) -> str:
    """The text without its runs of two or more Latin words (a message or error pasted): the problem's name, not
    an observation of it ("Docker Hub" goes with it; "T5", "Sleep", "111" standing alone stay)."""
    words = [m for m in LATIN.finditer(text) if m.group()[0].isalpha() or len(m.group()) > 1]
    runs: list[list[re.Match[str]]] = []
    for m in words:
        if runs and GLUE.fullmatch(text[runs[-1][-1].end():m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    out = text
    for run in reversed([r for r in runs if len(r) > 1 and r[0].group()[0].isalpha()]):
        out = out[:run[0].start()] + " " + out[run[-1].end():]
    return out


def is_cause(unit: PageUnit) -> bool:
    """An item of the page's causes list (its opening paragraph explains, it lists no cause), or a table row
    giving a cause ("…；常见方向: 端口写错…": a symptom -> cause table, under the symptom section too)."""
    if solves(unit):
        return False  # a section both of causes and fixes ("常见故障原因和解决方法") says each case in its own part
    return (lists_causes(unit) and bool(ITEM.match(unit.text))) or bool(CAUSE_COLUMN.search(unit.text))


def observed_unit(units: list[PageUnit], words: Words, names: Collection[str] = ()) -> list[PageUnit]:
    """The cause unit the observation points at, with its fix: of the page's cause units, the one holding the
    observation's rare words (two, or one name, number or time quoted), clearly above every other cause unit;
    empty on a page listing no causes, where no cause unit clearly holds the observation, or the page gives no
    fix for it. `names` are the base's lexicon (the names it knows: products, tags)."""
    texts = [ASIDE.sub(" ", u.scored).lower() if is_cause(u) else u.scored.lower() for u in units]
    weights = rare_weights(texts, words)
    scored = sorted(((sum(w for word, w in weights if holds(texts[i], word)),
                      [word for word, _ in weights if holds(texts[i], word)], i)
                     for i, u in enumerate(units) if is_cause(u)), key=lambda s: -s[0])
    if not scored or not _enough(scored[0][1]):
        return []
    best, held, at = scored[0]
    runner = next((s for s, _, i in scored[1:] if units[i].text not in units[at].text), 0.0)
    if best < MARGIN * runner:
        return []  # two causes share the observation: which one it is is not known
    cause = with_answer(units, at)
    fix = _fix_for(cause, units)
    if fix is not None and len(held) < MIN_RARE and any(w[0] in names for w in held) \
            and not any(holds(_key(fix).lower(), word) for word in held):
        fix = None  # a name the base knows alone ("mysql") may be the subject: the fix's key must name it ("T5 积分耗尽")
    fix = fix or _check_for(units, at, held)
    if fix is None or _has_section(units, [cause, fix]):
        return []  # a cause alone is not what to do; a case with a section of its own is that section's to answer
    return [cause, fix]


def _has_section(units: list[PageUnit], case: list[PageUnit]) -> bool:
    """Does a section of the page's steps own the case: its heading names a word of the case's keys (a row's
    first column, an item's bold lead: "Kernel panic / 无法挂载根文件系统", "内核问题" -> "5. 处理内核或引导问题")
    that few of the page's units hold? That section tells how, where the fix line only names what to do."""
    from graph.domain_score import content_tokens

    keys = [[w.lower()] for u in case for w in dict.fromkeys(content_tokens(_key(u) or "")) if len(w) > 1]
    rare = [word for word, _ in rare_weights([u.scored.lower() for u in units], keys)]
    heads = {str((u.chunk.get("heading_path") or [""])[-1]).lower() for u in units
             if not (is_cause(u) or solves(u) or lists_causes(u)
                     or plays_symptom_role(list(u.chunk.get("heading_path") or [])))}
    return any(holds(h, word) for h in heads for word in rare)


def _fix_for(cause: PageUnit, units: list[PageUnit]) -> PageUnit | None:
    """The item, row or keyed unit of the page's solution section for the cause (a note is no case's fix): the
    one whose key (`_key`: "定时任务扎堆", "缩短空闲连接的存活时间") holds most of the cause's rare words, then
    the one holding most in all; None when it shares fewer than two of them and no Latin name ("wait_timeout")."""
    from graph.domain_score import content_tokens

    own = [[w.lower()] for w in dict.fromkeys(content_tokens(stated_cause(cause.text))) if len(w) > 1]
    weights = rare_weights([u.scored.lower() for u in units], own)

    def score(text: str) -> float:
        return sum(w for word, w in weights if holds(text.lower(), word))

    fixes = [u for u in units if u.source == cause.source and solves(u) and (ITEM.match(u.text) or _key(u))]
    best = max(fixes, key=lambda u: (score(_key(u)), score(u.scored)), default=None)
    shared = [word for word, _ in weights if best is not None and holds(best.scored.lower(), word)]
    return best if len(shared) >= MIN_RARE or any(w[0].isascii() and len(w[0]) > 2 for w in shared) else None


def _check_for(units: list[PageUnit], at: int, held: list[Sequence[str]]) -> PageUnit | None:
    """For a cause the solution section gives no fix of: the one unit of the page's other sections (a check step:
    "立即显示 Connection refused：对应错误码 111，核对地址和端口") holding every observed word the cause holds, a
    code among them; None when none or several do."""
    if not any(c.isdigit() for w in held for c in w[0]):
        return None  # a check step is found by the code it names ("111"), not by a word shared
    found = [u for i, u in enumerate(units) if i != at and not is_cause(u) and not solves(u)
             and not plays_symptom_role(list(u.chunk.get("heading_path") or []))
             and all(holds(u.scored.lower(), word) for word in held)]
    return found[0] if len(found) == 1 else None


def _enough(held: list[Sequence[str]]) -> bool:
    """Two of the observation's words, or one quoted as a name, a number or a time: one Chinese word alone is a
    word shared by chance."""
    return len(held) >= MIN_RARE or any(w[0].isascii() or w[0] == TIME_WORDS[0] for w in held)


def stated_cause(text: str) -> str:
    """What a cause unit states as the cause: a table row's cause column, else the whole unit."""
    match = CAUSE_COLUMN.search(text)
    return text[match.end():].split("；", 1)[0] if match else text


def _key(unit: PageUnit) -> str:
    """A fix unit's key: a row's first column ("原因: 定时任务扎堆；…"), an item's bold lead, the heading of a
    solution subsection for one case ("缺少或错误的拉取凭据"), else nothing."""
    text = unit.text
    bold = KEY_BOLD.match(text)
    if bold:
        return bold.group(1)
    if "；" in text and ": " in text.split("；", 1)[0]:
        return text.split("；", 1)[0]
    path = [h for h in unit.chunk.get("heading_path") or [] if h]
    return path[-1] if len(path) > 1 else ""


def observed_cause_first(chosen: list[PassageData], question: str,
                         read_page: Callable[[str], list[dict]], vocab: Any, base: str,
                         retrieved: Sequence[PassageData] = ()) -> list[PassageData]:
    """The cause of the best selected page the question's observation points at, with its fix, alone (marked
    to be answered as they are); the selection otherwise."""
    anchor = next((p for p in reversed(chosen) if p.get("kind") != "faq" and p.get("source")), None)
    if anchor is None or ASKS_OTHER.search(question):
        return chosen
    source = str(anchor.get("source"))
    declared = list((anchor.get("meta") or {}).get("doc_tags") or [])[:1]  # the product; its tags may name causes
    problem = " ".join([str(anchor.get("title") or ""), *map(str, declared)])
    units = page_units(source, read_page(source))
    picked = observed_unit(units, observation_words(question, vocab, f"{problem} {shown_output(units)}"),
                           {t.lower() for t in getattr(vocab, "lexicon", ())})
    title = str(anchor.get("title") or "")
    # the evidence reads most relevant last: the fix, then the cause line
    return [observed(pointed_passage(u, [*chosen, *retrieved], base, title, as_read(u))) for u in reversed(picked)] \
        or chosen


def shown_output(units: Sequence[PageUnit]) -> str:
    """What the page's symptom section shows in code (`<Code>AccessDenied</Code>`, an error line): the output a
    user pastes names the problem, as the title does."""
    return " ".join(m for u in units if plays_symptom_role(list(u.chunk.get("heading_path") or []))
                    for m in CODE.findall(u.text))


def observed(passage: PassageData) -> PassageData:
    """The passage marked as the observed cause or its fix (kept as it is, answered whole); graph/reported_result.py
    marks its conditioned line the same way."""
    return {**passage, "meta": {**(passage.get("meta") or {}), OBSERVED: True}}


__all__ = ["OBSERVED", "POINTED", "observation_words", "observed", "observed_unit", "observed_cause_first"]
