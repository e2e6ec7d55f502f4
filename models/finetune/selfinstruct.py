"""Self-Instruct: grow the shipped seed tasks into new ones with a generative backend.

Each round samples a task type (in the seed set's proportions) and shows a few example
tasks of that type (seeds plus ones generated so far). Generation tasks are written
input-first (instruction, input, output); classification tasks output-first (the labels,
then one input per label), which keeps inputs from leaning toward one label. A new
instruction too similar to an existing one (MinHash, character 3-grams) is discarded,
as is output that cannot be parsed.
"""

from __future__ import annotations

import random
from typing import Callable

from models.errors import ModelError
from models.finetune.minhash import NearDuplicateIndex
from models.finetune.prompts import load_prompts
from models.finetune.records import Record
from models.finetune.seeds import SeedTask
from models.finetune.textparse import pairs, parse_fields
from models.llm.base import ChatMessage, GenerationOptions, LLMBackend

LABELS = {
    "指令": "instruction", "instruction": "instruction", "任务": "instruction",
    "输入": "input", "input": "input",
    "输出": "output", "output": "output",
    "类别": "label", "标签": "label", "label": "label", "class": "label",
}
NO_INPUT = {"无", "无。", "（无）", "none", "n/a", ""}


def format_example(task: SeedTask) -> str:
    if task.type == "classification":
        return f"指令：{task.instruction}\n类别：{task.output}\n输入：{task.input or '无'}"
    return f"指令：{task.instruction}\n输入：{task.input or '无'}\n输出：{task.output}"


def parse_task(reply: str, task_type: str) -> tuple[str, list[tuple[str, str]]]:
    """(instruction, [(input, output), ...]) read from a reply; empty when unusable."""
    fields = parse_fields(reply, LABELS)
    instruction = next((v for k, v in fields if k == "instruction" and v), "")
    if not instruction:
        return "", []
    if task_type == "classification":
        examples = [(text, label) for label, text in pairs(fields, "label", "input") if text.strip() not in NO_INPUT]
        return instruction, examples
    values = dict((k, v) for k, v in reversed(fields))  # first occurrence wins
    output = values.get("output", "")
    given = values.get("input", "")
    return (instruction, [("" if given.strip().lower() in NO_INPUT else given, output)]) if output else ("", [])


def self_instruct(
    seeds: list[SeedTask],
    llm: LLMBackend,
    n: int,
    seed: int = 0,
    examples_per_prompt: int = 3,
    similarity: float = 0.7,
    max_rounds: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Record]:
    """About `n` new records (a classification task may add several at once)."""
    if not getattr(llm, "generative", False):
        raise ModelError("Self-Instruct 需要生成模型：请在设置中配置 models.llm.backend（例如 transformers 或 openai）")
    if not seeds:
        raise ModelError("Self-Instruct 需要至少一条种子任务")
    prompts = load_prompts("selfinstruct")
    rng = random.Random(seed)
    options = GenerationOptions(max_tokens=512, temperature=0.8, top_p=0.95)
    pool = list(seeds)
    index = NearDuplicateIndex(similarity, seed=seed)
    for task in seeds:
        index.add(f"seed:{task.id}", task.instruction)
    records: list[Record] = []
    rounds = 0
    max_rounds = max_rounds or n * 3
    while len(records) < n and rounds < max_rounds:
        rounds += 1
        task_type = rng.choice([t.type for t in seeds])
        same = [t for t in pool if t.type == task_type]
        shown = rng.sample(same, min(examples_per_prompt, len(same)))
        user = prompts[task_type].format(examples="\n\n".join(format_example(t) for t in shown))
        reply = llm.chat([ChatMessage("system", prompts["system"]), ChatMessage("user", user)], options)
        instruction, examples = parse_task(reply, task_type)
        if not examples or index.add(f"gen:{rounds}", instruction) is not None:
            continue
        source = "selfinstruct:" + ",".join(t.id for t in shown)
        for given, output in examples:
            records.append(Record(instruction=instruction, input=given, output=output, generator="selfinstruct", source=source))
        pool.append(SeedTask(id=f"gen-{rounds}", type=task_type, instruction=instruction, input=examples[0][0], output=examples[0][1]))
        if progress:
            progress(min(len(records), n), n)
    return records
