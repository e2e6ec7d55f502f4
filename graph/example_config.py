"""A sample resource under the sentence it illustrates: not what a why / what question asks (issue 12).

Pages explain a behaviour in a sentence, then show a whole manifest ("然而，这下面的规则将不工作，因为它们在
`Path` 中使用了正则表达式…" before a 25-line Ingress; "…如何使用 UID `1337` 在 Pod 级别或容器级别运行："
before a Deployment). The sentence is the answer; the manifest is the page's illustration, and the user
has their own (often the very one the question describes). Given whole, it runs the answer past the
length a person reads and pushes the page's next sentences out.

`without_examples`: in an answer to a cause, symptom or meaning question (not a how-to, not a value,
nor a command asked), a long block that declares a resource — YAML / JSON / XML, or a heredoc applying
one (`declares`) — goes when a sentence of the same page, not a lead-in ending in "：", stays before or
after it to say what it shows ("在这个示例中，DestinationRule 的 `db-tls` 被明确为 TLS，但是没有设置 CA
证书文件。"); a lead-in alone ("在 Deployment 中设置：") makes the block the answer. The lead-in goes with
the block when it only announces it ("当您的集群中包含以下 DestinationRule 时："), or ends with "。" when it
says something itself. A block of a procedure or fix section ("配置步骤", "如何修复") is what to do and
stays; so do commands, short snippets and every block of a how-to answer.
`without_printed_lines`: a block of prompted commands ("$ curl …") keeps the commands, not the lines
they print under them in the same block (graph/sample_output.py finds output in a block of its own).
Hooked in graph/nodes/verify.py where the answer's units are final; tested in tests/graph/test_example_config.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_sections import says_what_to_do
from graph.question_type import asks_command

EXPLAINED = ("cause", "symptom", "define")
"""Question types answered by what a page says, not by what it shows."""
EXAMPLE_LINES = 8
"""Lines a block's body must run to before it is a sample, not a snippet the answer quotes."""
_DATA_FENCE = re.compile(r"^\s*(```|~~~)\s*(ya?ml|json|xml|toml|ini|properties)\s*$", re.I)
_HEREDOC = re.compile(r"<<-?\s*['\"]?[A-Z]+['\"]?\s*$", re.M)
_KEY_LINE = re.compile(r"^\s*(-\s+)?[\w.\-/\"']+\s*:(\s|$)")
_ANNOUNCES = re.compile(r"(以下|下面|如下|下列|这样)")
_COLON = re.compile(r"[：:]\s*$")


def declares(text: str) -> bool:
    """A long code block that declares a resource rather than runs a command: fenced as data, a
    heredoc feeding one to a command, or mostly "key: value" lines; EXAMPLE_LINES lines at least."""
    lines = text.strip("\n").split("\n")
    body = [line for line in lines[1:-1] if line.strip()]
    if len(body) < EXAMPLE_LINES:
        return False
    if _DATA_FENCE.match(lines[0]) or _HEREDOC.search(text):
        return True
    return sum(1 for line in body if _KEY_LINE.match(line)) * 2 >= len(body)


def _prose(unit: Mapping[str, Any]) -> bool:
    return unit.get("block") in (None, "sentence", "leadin") and bool((unit.get("text") or "").strip())


def _to_do(passage: Mapping[str, Any]) -> bool:
    """The passage is a procedure or a fix: a resource it shows is what to write (a CORS rules file)."""
    meta = passage.get("meta") or {}
    return bool(meta.get("procedure") or meta.get("added") == "solution") \
        or says_what_to_do([str(h) for h in passage.get("heading_path") or []])


def _pages(cites: Sequence[int], passages: Sequence[Mapping[str, Any]]) -> set[str]:
    return {str(passages[n - 1].get("source") or "") for n in cites if 0 < n <= len(passages)} - {""}


def without_examples(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]], qtype: str | None,
                     question: str) -> list[dict]:
    """`units` without the sample resources of an explained answer (see the module docstring); `passages`
    are those the units' citation numbers count from 1."""
    out = list(units)  # the unit objects themselves (verify's without_emptied_steps knows them by identity)
    if qtype not in EXPLAINED or asks_command(question):
        return [u if isinstance(u, dict) else dict(u) for u in out]
    drop: set[int] = set()
    for i, unit in enumerate(out):
        if unit.get("block") != "code" or not declares(unit.get("text") or ""):
            continue
        cites = unit.get("cites") or []
        if any(0 < n <= len(passages) and _to_do(passages[n - 1]) for n in cites):
            continue
        page = _pages(cites, passages)
        own = [k for k in range(len(out)) if k != i and k not in drop and _prose(out[k])
               and (out[k].get("cites") == cites or bool(page & _pages(out[k].get("cites") or [], passages)))]
        lead = i - 1 if i - 1 in own and out[i - 1].get("cites") == cites and _COLON.search(out[i - 1]["text"]) else None
        if not [k for k in own if not _COLON.search(out[k]["text"])]:
            continue  # no sentence of the page says what it shows, only lead-ins: the block is the answer
        drop.add(i)
        if lead is not None and _ANNOUNCES.search(out[lead]["text"]):
            drop.add(lead)
        elif lead is not None:
            out[lead] = {**out[lead], "text": _COLON.sub("。", out[lead]["text"]), "block": "sentence"}
    return [u if isinstance(u, dict) else dict(u) for i, u in enumerate(out) if i not in drop]


_PROMPT = re.compile(r"^\s*\$\s")
_HEREDOC_AT = re.compile(r"<<-?\s*['\"]?([A-Za-z_]+)['\"]?\s*$")


def without_printed(text: str) -> str:
    """A block of prompted commands ("$ curl … | istioctl proxy-config clusters --file -") without the
    lines they print under them: what the user sees once they run it, not what to type. The command's
    continuation lines ("\\") and the heredoc it feeds stay; a block not opened by a prompt is unchanged."""
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0].lstrip().startswith(("```", "~~~")) or not _PROMPT.match(lines[1]):
        return text
    kept, until, going = [lines[0]], "", False
    for line in lines[1:-1]:
        if until:  # inside a heredoc: input, not output
            kept.append(line)
            until = "" if line.strip() == until else until
            continue
        if _PROMPT.match(line) or going:
            kept.append(line)
            going = line.rstrip().endswith("\\")
            heredoc = _HEREDOC_AT.search(line)
            until = heredoc.group(1) if heredoc else ""
    kept.append(lines[-1])
    return "\n".join(kept)


def without_printed_lines(units: Sequence[Mapping[str, Any]]) -> list[dict]:
    """`units` with each prompted command block left without what it prints (`without_printed`)."""
    out = []
    for u in units:
        text = without_printed(u.get("text") or "") if u.get("block") == "code" else ""
        out.append({**u, "text": text} if text and text != u.get("text") else u if isinstance(u, dict) else dict(u))
    return out
