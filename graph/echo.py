"""A unit that tells the user what they just said: the page's own symptom line, for a question reporting it.

Users describe what they see and ask what is going on or what to do ("删了大文件 df 使用率一点没降 咋整",
"收到短信说欠费了 网站打不开了 咋整"). The page's unit sharing most words with such a message is often its
symptom line ("- 删除了大文件，`df -h` 的使用率却没有下降。", "- 收到短信或邮件…，随后网站无法访问；"): it adds
nothing the user did not say, and an answer made of it names no cause and no fix.

- `novelty(text, asked)`: the share of a unit's content words (Latin words, identifiers, numbers and Chinese
  character pairs without a function character, `content_words`) that `asked` does not hold. `asked` is the question with the
  words its expansion adds (打不开 → 无法访问), so a restatement in the page's words counts as one.
- A section plays the symptom role when its heading says so (现象 / 症状 / 表现 / 典型报错 / 报错信息 …,
  whatever the base calls the section), and it echoes the question when, besides, its unit closest to the
  question adds at most ECHO of new words.
- `echoed_problem(evidence, question, terms)`: the evidence's anchor (its most relevant document section)
  echoes the question and is all the evidence holds of its page. A how-to asked about a reported problem
  ("…咋整", "…要改哪里") is then answered as the problem it reports (graph/nodes/select.py gives it the
  symptom type: the page's causes, then what to do, graph/evidence.py), not from the lines restating it.
- `echo_units(units, asked)`: the indices of the units that only restate the question; `echo_line`: a line
  of a symptom section doing so, which a line added for an ask of the question (graph/aspect_lines.py)
  is not; `without_symptom_part`: a section's "**现象：**" part restating the question goes, its causes and
  fixes stay; `past_echo`: an answer picking only a section's symptom line ("现象通常是 …") restating the
  question gets what the section says after it.

Tested in tests/graph/test_echo.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_units import Unit, parse_units
from graph.paragraphs import grams
from graph.relevance import QuestionTerms

SYMPTOM_ROLE = re.compile(r"现象|症状|表现|典型报错|报错信息|错误信息|常见报错|symptoms?\b", re.I)
"""Words of a heading saying its section shows the problem as the user meets it."""
ECHO = 0.6
"""Share of new words (not in the question) at or under which a unit only restates the question."""
_PROSE = ("sentence", "item", "row", "leadin")
ROLE_OPENING = re.compile(r"^(?:\*\*)?(?:现象|症状|(?:典型|常见)的?(?:现象|报错|表现)|(?:通常|一般|往往)?表现为)")
"""A sentence opening as the page's symptom line ("现象通常是 `yum install` 卡住后报 …")."""


def asked_text(question: str, terms: QuestionTerms | None = None) -> str:
    """The question with the words its expansion adds: the page's wording of what the user said."""
    return " ".join([question, *sorted((terms.expanded if terms else set()))])


FUNCTION_CHARS = frozenset("的了在是和或与及中个某也都就还会被把将对等着过之其这那")
"""Characters that carry grammar, not content: a character pair holding one ("口的", "加了") says nothing a
restatement must repeat."""


def content_words(text: str) -> list[str]:
    """A unit's Latin words, numbers and Chinese character pairs (graph/paragraphs.grams) without the pairs
    holding a function character."""
    return [w for w in grams(text) if not (len(w) == 2 and (w[0] in FUNCTION_CHARS or w[1] in FUNCTION_CHARS))]


def novelty(text: str, asked: str) -> float:
    """The share of the unit's content words that `asked` does not hold (1.0 for a unit without words)."""
    words = content_words(text)
    if not words:
        return 1.0
    low = asked.lower()
    return sum(w not in low for w in words) / len(words)


def plays_symptom_role(path: Sequence[str]) -> bool:
    """A section's own heading (the last of its heading `path`) says it shows the problem (现象, 症状 …)."""
    return bool(path) and bool(SYMPTOM_ROLE.search(str(path[-1])))


_ASIDE = re.compile(r"（[^（）]*）")
"""An aside ("（如 80、8080、3306）"): an example, not what the clause says."""
_CLAUSE = re.compile(r"[，、；：。！？]|[,;:!?](?=\s)")
"""Where a clause or an enumerated item ends (an ASCII mark only before a space: "NET::ERR_…" is one word)."""
CLAUSE_WORDS = 3
"""Words a clause must have to be judged alone."""


def restates(text: str, asked: str) -> bool:
    """The unit, or one of its clauses, adds at most ECHO of new words to what was asked: a symptom line
    goes on after the part the user said ("…的规则，外部访问仍然超时：`curl: (28) …`")."""
    if novelty(text, asked) <= ECHO:
        return True
    clauses = [c for c in _CLAUSE.split(_ASIDE.sub("", text)) if len(content_words(c)) >= CLAUSE_WORDS]
    return any(novelty(c, asked) <= ECHO for c in clauses)


def echo_units(units: Sequence[Unit], asked: str) -> set[int]:
    """The prose units restating what was asked (`restates`)."""
    return {i for i, u in enumerate(units) if u.kind in _PROSE and restates(u.text, asked)}


_LABEL = re.compile(r"^\*\*([^*]{1,16}?)[：:]?\*\*[：:]?$")
"""A bold label opening a part of a section ("**现象：**", "**可能的原因：**", "**PD 异常**：")."""


def _label(unit: Unit) -> str | None:
    m = _LABEL.match(unit.text.strip()) if unit.kind in ("sentence", "leadin") and not unit.depth else None
    return m.group(1) if m else None


def symptom_part(units: Sequence[Unit], asked: str) -> set[int]:
    """The indices of the parts of a section labelled as the symptom ("**现象：**" up to the next bold label
    or heading) of which a unit restates the question."""
    gone: set[int] = set()
    i = 0
    while i < len(units):
        label = _label(units[i])
        j = i + 1
        if label is not None and SYMPTOM_ROLE.search(label):
            while j < len(units) and _label(units[j]) is None and units[j].kind != "heading":
                j += 1
            if echo_units(units[i + 1:j], asked):
                gone |= set(range(i, j))
        i = j
    return gone


def without_symptom_part(units: list[Unit], asked: str) -> list[Unit]:
    """The section's units without its symptom part restating the question (`symptom_part`): a
    troubleshooting entry shows the problem, then its causes and fixes, and only those answer. The units
    as they are when nothing but labels would be left."""
    gone = symptom_part(units, asked)
    out = [u for i, u in enumerate(units) if i not in gone]
    return out if any(u.kind != "leadin" and _label(u) is None for u in out) else units


def symptom_lines(units: Sequence[Unit], asked: str) -> set[int]:
    """The indices of the sentences opening as a symptom line (ROLE_OPENING) that restate the question."""
    return {i for i in echo_units(units, asked) if ROLE_OPENING.match(units[i].text.strip())}


def past_echo(picked: Sequence[Unit], section: Sequence[Unit], asked: str) -> list[Unit] | None:
    """When every line `picked` from a section is its symptom line restating the question (`symptom_lines`,
    or a part labelled as the symptom), the section's units after the last of them: what it says to check
    or do about that problem. None when something else was picked or nothing follows."""
    echoed = {u.key() for i, u in enumerate(section) if i in symptom_lines(section, asked) | symptom_part(section, asked)}
    prose = [u for u in picked if u.kind in _PROSE and _label(u) is None]
    if not prose or any(u.key() not in echoed for u in prose):
        return None
    last = max(i for i, u in enumerate(section) if u.key() in echoed)
    rest = list(section[last + 1:])
    return rest or None


def echo_line(path: Sequence[str], units: Sequence[Unit], asked: str) -> bool:
    """Units of a symptom section (its heading `path`) of which one only restates what was asked: a line
    added for what the question names ("应用日志啥也没留下") that is the page's symptom line says nothing."""
    return plays_symptom_role(path) and bool(echo_units(units, asked))


def echoes_question(passage: Mapping[str, Any], asked: str) -> bool:
    """A symptom section whose unit closest to the question only restates it."""
    return echo_line(passage.get("heading_path") or [], parse_units(passage.get("text") or "", passage.get("kind") or "doc"),
                     asked)


def anchor_of(evidence: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The evidence's most relevant document section (evidence is ordered most relevant last)."""
    return next((p for p in reversed(evidence) if p.get("kind") != "faq"), None)


def echoed_problem(evidence: Sequence[Mapping[str, Any]], question: str, terms: QuestionTerms | None = None) -> bool:
    """The evidence's anchor is the page's symptom section restating the question, and no other section of
    that page is in the evidence (its steps or fixes would answer the how-to): all it has to say is what
    the user said (module docstring)."""
    anchor = anchor_of(evidence)
    if anchor is None or not echoes_question(anchor, asked_text(question, terms)):
        return False
    return not any(p is not anchor and p.get("kind") != "faq" and p.get("source") == anchor.get("source")
                   and not plays_symptom_role(p.get("heading_path") or []) for p in evidence)
