"""The shipped seed data: Self-Instruct seed tasks, the general-instruction sample and
the refusal/routing seeds (models/finetune/seeds/), validated into pydantic models."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from models.errors import ModelError
from models.finetune.records import Record, read_records


class SeedTask(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: Literal["classification", "generation"]
    instruction: str
    input: str = ""
    output: str

    def to_record(self) -> Record:
        lang = "en" if self.instruction[:1].isascii() else "zh"
        return Record(
            instruction=self.instruction, output=self.output, input=self.input,
            generator="seed", source=f"seed:{self.id}", lang=lang,
        )


class RefusalSeeds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refusal: str
    refusal_en: str
    greeting: str
    domain_check: str
    off_domain: list[str]
    greetings: list[str]


def _seed_file(name: str) -> Path:
    return Path(str(resources.files("models.finetune").joinpath("seeds", name)))


def _load_yaml(path: Path) -> object:
    if not path.is_file():
        raise ModelError(f"种子文件不存在：{path}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ModelError(f"种子文件 {path} 不是合法的 YAML：{exc}") from None


def _invalid(path: Path, exc: ValidationError) -> ModelError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return ModelError(f"种子文件 {path} 的字段 {where} 无效：{first['msg']}")


def load_seed_tasks(path: str | Path | None = None) -> list[SeedTask]:
    """Seed tasks (the shipped instructions.yaml by default)."""
    path = Path(path) if path else _seed_file("instructions.yaml")
    data = _load_yaml(path)
    if not isinstance(data, list):
        raise ModelError(f"种子文件 {path} 的顶层必须是任务列表")
    try:
        tasks = [SeedTask.model_validate(item) for item in data]
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        raise ModelError(f"种子文件 {path} 中有重复的任务 id")
    return tasks


def load_refusal_seeds(path: str | Path | None = None) -> RefusalSeeds:
    path = Path(path) if path else _seed_file("refusal.yaml")
    try:
        return RefusalSeeds.model_validate(_load_yaml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from None


def general_sample_path() -> Path:
    """The small original general-instruction sample shipped for tests and demos."""
    return _seed_file("general_sample.jsonl")


def load_general_sample() -> list[Record]:
    return read_records(general_sample_path())
