"""Where the asked number sits: beside what the question asks it of (graph/value_fact.best_fact,
graph/faq_entry.lead_faq).

"机器多久会被停" asks the time of 停, not of 恢复: a line giving a duration beside 停 ("2 小时后停服")
answers; a line giving one beside another event ("10 分钟内自动恢复") does not, however many of
the question's words it shares elsewhere. `asked_focus` takes the content characters (and Latin
words) next to the question word in its clause; `value_by_focus` says whether a number in the asked
unit has one of them within NEAR characters, in the same clause of the line; `value_elsewhere`
that a text names the focus but gives the number of something else. Only for a question asking a
number in a unit (graph/question_type.asked_unit): a single character of a broader question
("默认放行哪些端口" -> 行) is found anywhere.
Tested in tests/graph/test_value_focus.py.
"""

from __future__ import annotations

import re

_QWORD = re.compile(r"多少|(?<![哪这那好前后])几|多久|多长时间|多长|多大|最大|最多|最小|最少|上限|下限|默认")
_CLAUSE = re.compile(r"[，,。；;！!？?]+")
_FUNCTION = frozenset("的了吗呢吧啊呀么会能被要可以是在有个一就都还也得多少几最大小长久时间啥什"
                      "以后之前内"
                      "秒分钟天周月年次条台块核倍位种张")
"""Characters that say nothing of what is asked ("多久会被停": 会, 被), and the units a number carries."""
_TOKEN = re.compile(r"[a-z][a-z0-9_.-]+|[\u4e00-\u9fff]", re.I)
SIDE = 4
"""Content characters taken from the question, after the question word (else before it)."""
NEAR = 10
"""Characters either side of the number in the line where a focus word must be."""
_LINE_CLAUSE = re.compile(r"[。；;\n]")


def asked_focus(question: str) -> set[str]:
    """What the question asks the number of: the content words right after its question word in the
    asking clause ("多久会被停" -> 停), else right before it ("iops 上限是多少" -> iops, 上); empty
    when the question asks no number."""
    for clause in reversed([c for c in _CLAUSE.split(question) if c]):
        m = _QWORD.search(clause)
        if m is None:
            continue
        after = [t for t in _TOKEN.findall(clause[m.end():]) if t not in _FUNCTION][:SIDE]
        before = [t for t in _TOKEN.findall(clause[: m.start()]) if t not in _FUNCTION][-SIDE:]
        return {t.lower() for t in (after or before)}
    return set()


def _windows(text: str, unit: re.Pattern) -> list[str]:
    """The text around each number in the asked unit, within its clause."""
    out = []
    for clause in _LINE_CLAUSE.split(text.lower()):
        out += [clause[max(0, m.start() - NEAR): m.end() + NEAR] for m in unit.finditer(clause)]
    return out


def value_by_focus(text: str, focus: set[str], unit: re.Pattern | None) -> bool:
    """A number of the line in the asked unit has a focus word within NEAR characters of it, in
    the same clause."""
    if not focus or unit is None:
        return False
    return any(t in window for window in _windows(text, unit) for t in focus)


def value_elsewhere(text: str, focus: set[str], unit: re.Pattern | None) -> bool:
    """The text names what is asked and gives numbers in the asked unit, none of them beside it: it
    gives the number of something else ("欠费停服后充值多久能恢复？…10 分钟内自动恢复" for "多久会被停")."""
    if not focus or unit is None:
        return False
    windows = _windows(text, unit)
    return bool(windows) and any(t in text.lower() for t in focus) \
        and not any(t in window for window in windows for t in focus)
