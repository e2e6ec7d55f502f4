"""A tiny Qwen2-style model with two LoRA adapters, built once per test session."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.fixtures.tiny_lm import build_tiny_adapter, build_tiny_model


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("models") / "tiny-qwen2")


@pytest.fixture(scope="session")
def tiny_adapters_dir(tiny_model_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("adapters")
    build_tiny_adapter(tiny_model_dir, out, "ecs", seed=1, domain="云服务器")
    build_tiny_adapter(tiny_model_dir, out, "db", seed=2, domain="云数据库", rank=8)
    return out


@pytest.fixture(scope="session")
def tiny_llm(tiny_model_dir, tiny_adapters_dir):
    from models.llm.adapters import scan_adapters
    from models.llm.transformers_backend import TransformersLLM

    return TransformersLLM.load(tiny_model_dir, scan_adapters(tiny_adapters_dir))


@pytest.fixture(scope="session")
def tiny_base_llm(tiny_model_dir):
    from models.llm.transformers_backend import TransformersLLM

    return TransformersLLM.load(tiny_model_dir)


def copy_adapters(source: Path, target: Path, **base_models: str) -> Path:
    """Copy an adapter directory; `name="base"` rewrites that adapter's meta.json base_model."""
    shutil.copytree(source, target)
    for name, base in base_models.items():
        meta_path = target / name / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["base_model"] = base
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return target
