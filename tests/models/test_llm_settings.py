"""`models.llm` as a union told apart by `backend`: each backend's own keys, the keys users
already write still load, and errors name the key as written (file or env variable)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from app.settings import SettingsError, load_settings
from models.config import LLM_BACKENDS, ModelSettings
from models.llm.extractive import ExtractiveSettings
from models.llm.openai_backend import OpenAISettings
from models.llm.registry import create_llm
from models.llm.transformers_backend import TransformersSettings

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "readme-models.md"


def documented_config(tmp_path: Path) -> Path:
    """The settings block of docs/readme-models.md (every backend's keys, backend: transformers)."""
    block = re.search(r"```yaml\n(models:\n.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "the models guide lists its settings in a yaml block"
    path = tmp_path / "settings.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def test_each_backend_has_its_own_class_in_its_module():
    assert set(LLM_BACKENDS) == {"extractive", "transformers", "openai", "scripted"}
    for name, cls in LLM_BACKENDS.items():
        assert cls.__module__.startswith("models.llm.") and name in cls.__module__
    assert "device" in TransformersSettings.model_fields and "device" not in OpenAISettings.model_fields
    assert "base_url" not in TransformersSettings.model_fields and "scripted_outputs" not in ExtractiveSettings.model_fields


def test_the_documented_file_with_every_key_still_loads(tmp_path):
    config = documented_config(tmp_path)
    llm = load_settings(config, env={}).models.llm
    assert isinstance(llm, TransformersSettings)
    assert (llm.device, llm.dtype, llm.repetition_penalty) == ("auto", "auto", 1.2)
    switched = load_settings(config, env={"SMART_COPILOT__MODELS__LLM__BACKEND": "openai",
                                          "SMART_COPILOT__MODELS__LLM__BASE_URL": "http://127.0.0.1:9/v1",
                                          "SMART_COPILOT__MODELS__LLM__TIMEOUT_S": "30"}).models.llm
    assert isinstance(switched, OpenAISettings) and switched.timeout_s == 30 and switched.base_url.endswith("/v1")
    assert "device" not in switched.model_dump(), "the other backend's keys are not carried"


def test_backend_defaults_to_extractive_and_shared_keys_stay_usable(tmp_path):
    llm = ModelSettings.model_validate({"llm": {"model_path": "/models/qwen", "temperature": 0.3}}).llm
    assert isinstance(llm, ExtractiveSettings) and llm.base_model_name() == "qwen" and llm.temperature == 0.3
    assert type(create_llm(ModelSettings.model_validate({"llm": {"backend": " Extractive "}}), tmp_path)).__name__ == "ExtractiveLLM"
    served = ModelSettings.model_validate({"llm": {"backend": "openai", "model_name": "qwen-served"}}).llm
    assert served.base_model_name() == "qwen-served"


@pytest.mark.parametrize(("models", "env", "expected"), [
    ({"llm": {"backend": "openai", "timeout_s": 0}}, {},
     "设置项 models.llm.timeout_s 无效（来源：配置文件"),
    ({"llm": {"backend": "transformers", "dtype": "int3"}}, {},
     "设置项 models.llm.dtype 无效（来源：配置文件"),
    ({"llm": {"backend": "transformers", "devise": "cpu"}}, {},
     "设置项 models.llm.devise 无效"),
    ({}, {"SMART_COPILOT__MODELS__LLM__BACKEND": "opnai"},
     "设置项 models.llm.backend 无效（来源：环境变量 SMART_COPILOT__MODELS__LLM__BACKEND）：未知的取值 'opnai'，是否想用 openai？"),
    ({"llm": {"backend": "scripted"}}, {"SMART_COPILOT__MODELS__LLM__SCRIPTED_OUTPUTS": "7"},
     "设置项 models.llm.scripted_outputs 无效（来源：环境变量 SMART_COPILOT__MODELS__LLM__SCRIPTED_OUTPUTS）"),
])
def test_errors_name_the_key_users_write(tmp_path, models, env, expected):
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"models": models}), encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(config, env=env)
    assert expected in str(err.value)
