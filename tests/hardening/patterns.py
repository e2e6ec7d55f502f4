"""The pattern audit shared by tests/hardening/test_patterns.py and benchmarks/redos_bench.py.

`project_patterns()` finds every compiled `re` pattern at module level (or in a module-level
tuple/list) of the app, graph, knowledge, tools and models packages. `nested_quantifiers`
is the static check: a repeat that can match a variable number of times inside an
unbounded repeat is where exponential backtracking comes from. `attack_strings` builds the
classic pumps for a pattern from its own characters and words (`c*n + "!"`, `word*n + "\\x00"`,
alternating pairs), which the benchmark times per input size.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
from dataclasses import dataclass
from typing import Any, Iterator

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

PACKAGES = ("app", "graph", "knowledge", "tools", "models")
UNBOUNDED_AT = 50  # a repeat allowing more than this many iterations counts as unbounded
REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
if hasattr(sre_constants, "POSSESSIVE_REPEAT"):
    REPEATS.add(sre_constants.POSSESSIVE_REPEAT)
BASE_ALPHABET = ["a", "A", "1", " ", "\t", ".", "-", "_", ":", "!", "中", "，", "。", "?", "？", "\n", "<", ">", "`", "|"]
TAILS = ["", "!", "\n", "1", "a", "\x00", "。"]
SEEDS = ["# a", "---\n", "{{<", "{{< gloss ", "<!--", "[a", "](", "<a", "`", "**", "error ", "1. ", "那", "如果是",
         "- ", "你好", "http://", "port", "端口", "| a |", "问：", "<CustomContent", "text=\""]
"""Line starts that reach deep into a pattern before the pumped run."""
PUMPED = [" ", "\n", "\t", "a", "#", "-", "[", "(", "<", "{", "*", "`", "1", "中", ".", "|", "!"]


@dataclass(frozen=True)
class FoundPattern:
    module: str
    name: str
    pattern: re.Pattern

    @property
    def key(self) -> str:
        return f"{self.module}.{self.name}"


def project_patterns() -> list[FoundPattern]:
    """Every module-level compiled pattern of the project's packages (imports each module)."""
    found: dict[tuple[str, str], FoundPattern] = {}
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if info.name.endswith("__main__"):
                continue
            try:
                module = importlib.import_module(info.name)
            except ImportError:
                continue  # an optional backend's dependency is missing; its patterns never run here
            for name, value in vars(module).items():
                values = [value] if isinstance(value, re.Pattern) else (
                    [v for v in value if isinstance(v, re.Pattern)] if isinstance(value, (tuple, list)) else [])
                for i, pattern in enumerate(values):
                    label = name if len(values) == 1 else f"{name}[{i}]"
                    found.setdefault((module.__name__, label), FoundPattern(module.__name__, label, pattern))
    unique: dict[tuple[str, int], FoundPattern] = {}
    for item in found.values():  # the same object imported into several modules counts once
        unique.setdefault((item.pattern.pattern, item.pattern.flags), item)
    return sorted(unique.values(), key=lambda p: p.key)


def _parse(pattern: re.Pattern) -> list:
    return list(sre_parse.parse(pattern.pattern, pattern.flags))


def nested_quantifiers(pattern: re.Pattern) -> bool:
    """True when a variable repeat sits inside an unbounded repeat (star height >= 2)."""
    def walk(items: list, inside_unbounded: bool) -> bool:
        for op, av in items:
            if op in REPEATS:
                low, high, sub = av
                if inside_unbounded and high > 1 and high != low:
                    return True
                if walk(list(sub), inside_unbounded or high > UNBOUNDED_AT):
                    return True
            elif op == sre_constants.SUBPATTERN and walk(list(av[-1]), inside_unbounded):
                return True
            elif op == sre_constants.BRANCH and any(walk(list(b), inside_unbounded) for b in av[1]):
                return True
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and walk(list(av[1]), inside_unbounded):
                return True
        return False

    return walk(_parse(pattern), False)


def _item_chars(op: Any, av: Any, alphabet: list[str], flags: int) -> set[str]:
    """Which sample characters can start a match of one parsed item (approximate, for the audit)."""
    if op == sre_constants.LITERAL:
        return {chr(av)} | ({chr(av).swapcase()} if flags & re.IGNORECASE else set())
    if op == sre_constants.NOT_LITERAL:
        return {c for c in alphabet if c != chr(av)}
    if op == sre_constants.ANY:
        return {c for c in alphabet if c != "\n" or flags & re.DOTALL}
    if op == sre_constants.IN:
        probe = re.compile(f"[{''.join(_class_text(i) for i in av)}]", flags & re.IGNORECASE)
        return {c for c in alphabet if probe.fullmatch(c)}
    if op in REPEATS:
        return _first_chars(list(av[2]), alphabet, flags)
    if op == sre_constants.SUBPATTERN:
        return _first_chars(list(av[-1]), alphabet, flags)
    if op == sre_constants.BRANCH:
        return set().union(*(_first_chars(list(b), alphabet, flags) for b in av[1]))
    return set()


def _class_text(item: tuple) -> str:
    kind, value = item
    if kind == sre_constants.LITERAL:
        return re.escape(chr(value))
    if kind == sre_constants.RANGE:
        return f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}"
    if kind == sre_constants.NEGATE:
        return "^"
    if kind == sre_constants.CATEGORY:
        return {sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_NOT_DIGIT: r"\D",
                sre_constants.CATEGORY_SPACE: r"\s", sre_constants.CATEGORY_NOT_SPACE: r"\S",
                sre_constants.CATEGORY_WORD: r"\w", sre_constants.CATEGORY_NOT_WORD: r"\W"}.get(value, "")
    return ""


def _first_chars(items: list, alphabet: list[str], flags: int) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        chars |= _item_chars(op, av, alphabet, flags)
        if not (op in REPEATS and av[0] == 0) and op not in (sre_constants.AT, sre_constants.ASSERT,
                                                                 sre_constants.ASSERT_NOT):
            break
    return chars


def adjacent_quantifiers(pattern: re.Pattern) -> bool:
    """True when two unbounded repeats that can match the same character follow each other
    with only optional items between them (`\\s*[:]?\\s*`, `(.+?)\\s*`): polynomial backtracking."""
    alphabet = list(dict.fromkeys(BASE_ALPHABET + _alphabet_and_words(pattern)[0]))
    flags = pattern.flags

    def walk(items: list) -> bool:
        for i, (op, av) in enumerate(items):
            if op in REPEATS and av[1] > UNBOUNDED_AT:
                mine = _first_chars(list(av[2]), alphabet, flags)
                for op2, av2 in items[i + 1:]:
                    if op2 in REPEATS and av2[1] > UNBOUNDED_AT and mine & _first_chars(list(av2[2]), alphabet, flags):
                        return True
                    if not (op2 in REPEATS and av2[0] == 0):
                        break
            subs = ([list(av[2])] if op in REPEATS else [list(av[-1])] if op == sre_constants.SUBPATTERN
                    else [list(b) for b in av[1]] if op == sre_constants.BRANCH else [])
            if any(walk(sub) for sub in subs):
                return True
        return False

    return walk(_parse(pattern))


def _alphabet_and_words(pattern: re.Pattern) -> tuple[list[str], list[str]]:
    chars: list[str] = list(BASE_ALPHABET)
    words: list[str] = []
    category = {sre_constants.CATEGORY_DIGIT: "1", sre_constants.CATEGORY_SPACE: " ",
                sre_constants.CATEGORY_WORD: "a", sre_constants.CATEGORY_NOT_DIGIT: "a",
                sre_constants.CATEGORY_NOT_SPACE: "a", sre_constants.CATEGORY_NOT_WORD: "!"}

    def walk(items: list) -> None:
        run: list[str] = []
        for op, av in items:
            if op == sre_constants.LITERAL:
                chars.append(chr(av))
                run.append(chr(av))
                continue
            if len(run) >= 2:
                words.append("".join(run))
            run = []
            if op == sre_constants.IN:
                for kind, value in av:
                    if kind == sre_constants.LITERAL:
                        chars.append(chr(value))
                    elif kind == sre_constants.RANGE:
                        chars.extend([chr(value[0]), chr(value[1])])
                    elif kind == sre_constants.CATEGORY and value in category:
                        chars.append(category[value])
            elif op in REPEATS:
                walk(list(av[2]))
            elif op == sre_constants.SUBPATTERN:
                walk(list(av[-1]))
            elif op == sre_constants.BRANCH:
                for branch in av[1]:
                    walk(list(branch))
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(list(av[1]))
        if len(run) >= 2:
            words.append("".join(run))

    walk(_parse(pattern))
    return list(dict.fromkeys(chars)), list(dict.fromkeys(words))


def attack_strings(pattern: re.Pattern, size: int, pairs: int = 40) -> Iterator[tuple[str, str]]:
    """(label, text) pumps of about `size` characters built from the pattern's own pieces."""
    chars, words = _alphabet_and_words(pattern)
    for c in chars:
        for tail in TAILS:
            yield f"{c!r}*n+{tail!r}", c * size + tail
    for word in words[:40]:
        for tail in TAILS:
            yield f"{word!r}*n+{tail!r}", (word * (size // len(word) + 1))[:size] + tail
    for a, b in itertools.islice(itertools.combinations(chars[:40], 2), pairs):
        for tail in ("!", "\x00"):
            yield f"({a + b!r})*n+{tail!r}", (a + b) * (size // 2) + tail
    for seed in SEEDS + words[:20]:
        for c in PUMPED:
            for tail in ("!", "b", "\x00"):
                yield f"{seed!r}+{c!r}*n+{tail!r}", seed + c * size + tail
