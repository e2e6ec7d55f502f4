"""Startup checks: each broken setup is one clear Chinese message naming the setting to fix."""

from __future__ import annotations

import shutil

import pytest

from models.config import ModelSettings
from models.errors import ModelError
from models.llm.registry import adapter_names, create_llm
from tests.models.conftest import copy_adapters


def settings(**llm) -> ModelSettings:
    adapters = llm.pop("adapters", {})
    return ModelSettings.model_validate({"llm": {"backend": "transformers", **llm}, "adapters": adapters})


def check_fails(tmp_path, setting: str, **llm) -> str:
    with pytest.raises(ModelError) as err:
        create_llm(settings(**llm), tmp_path)
    assert setting in str(err.value)
    return str(err.value)


def test_model_path_not_set(tmp_path):
    check_fails(tmp_path, "models.llm.model_path")


def test_missing_model_directory_says_no_download(tmp_path):
    message = check_fails(tmp_path, "models.llm.model_path", model_path=str(tmp_path / "nowhere"))
    assert "不存在" in message and "下载" in message


def test_broken_model_directories(tmp_path, tiny_model_dir):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "config.json" in check_fails(tmp_path, "models.llm.model_path", model_path=str(empty))
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    assert "无法解析" in check_fails(tmp_path, "models.llm.model_path", model_path=str(broken))
    no_weights = tmp_path / "no-weights"
    shutil.copytree(tiny_model_dir, no_weights)
    (no_weights / "model.safetensors").unlink()
    assert "权重" in check_fails(tmp_path, "models.llm.model_path", model_path=str(no_weights))
    bad_weights = tmp_path / "bad-weights"
    shutil.copytree(tiny_model_dir, bad_weights)
    (bad_weights / "model.safetensors").write_bytes(b"garbage")
    assert "无法加载" in check_fails(tmp_path, "models.llm.model_path", model_path=str(bad_weights))


def test_cuda_requested_without_gpu(tmp_path, tiny_model_dir):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a CUDA GPU is present")
    check_fails(tmp_path, "models.llm.device", model_path=str(tiny_model_dir), device="cuda")


def test_adapter_for_another_base_model_is_refused(tmp_path, tiny_model_dir, tiny_adapters_dir):
    adapters = copy_adapters(tiny_adapters_dir, tmp_path / "adapters", db="Qwen/Qwen2.5-7B-Instruct")
    message = check_fails(tmp_path, "models.adapters.dir", model_path=str(tiny_model_dir), adapters={"dir": str(adapters)})
    assert "db" in message and "Qwen2.5-7B-Instruct" in message and "ecs" not in message


def test_adapter_without_meta_or_weights(tmp_path, tiny_model_dir, tiny_adapters_dir):
    adapters = copy_adapters(tiny_adapters_dir, tmp_path / "adapters")
    (adapters / "ecs" / "meta.json").unlink()
    assert "meta.json" in check_fails(
        tmp_path, "models.adapters.dir", model_path=str(tiny_model_dir), adapters={"dir": str(adapters)}
    )
    missing = tmp_path / "missing-adapters"
    assert "不存在" in check_fails(
        tmp_path, "models.adapters.dir", model_path=str(tiny_model_dir), adapters={"dir": str(missing)}
    )


def test_default_adapter_dir_under_data_dir(tmp_path, tiny_model_dir, tiny_adapters_dir):
    data_dir = tmp_path / "data"
    shutil.copytree(tiny_adapters_dir, data_dir / "adapters")
    llm = create_llm(settings(model_path=str(tiny_model_dir)), data_dir)
    assert adapter_names(llm) == ["db", "ecs"]
    assert create_llm(settings(model_path=str(tiny_model_dir)), tmp_path / "elsewhere").describe()["adapters"] == []


def test_base_model_id_matches_hub_style_names(tmp_path, tiny_model_dir, tiny_adapters_dir):
    adapters = copy_adapters(tiny_adapters_dir, tmp_path / "adapters", ecs="local/tiny-qwen2", db="local/tiny-qwen2")
    llm = create_llm(settings(model_path=str(tiny_model_dir), adapters={"dir": str(adapters)}), tmp_path)
    assert llm.describe()["adapters"] == ["db", "ecs"]
