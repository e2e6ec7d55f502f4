"""Settings: YAML file, env overrides, clear errors, masking; `config show` as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.settings import Settings, SettingsError, load_settings, masked


def test_defaults_and_data_dir_env(tmp_path):
    settings = load_settings(env={"SMART_COPILOT__DATA_DIR": str(tmp_path)})
    assert settings.data_dir == tmp_path
    assert settings.models.llm.backend == "extractive"


def test_yaml_then_env_override(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("graph:\n  max_sub_questions: 3\nknowledge:\n  chunk_size: 300\n", encoding="utf-8")
    settings = load_settings(cfg, env={"SMART_COPILOT__GRAPH__MAX_SUB_QUESTIONS": "6"})
    assert settings.graph.max_sub_questions == 6
    assert settings.knowledge.chunk_size == 300


def test_invalid_value_names_key_and_file(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("knowledge:\n  chunk_size: lots\n", encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(cfg, env={})
    assert "knowledge.chunk_size" in str(err.value) and str(cfg) in str(err.value)


def test_unknown_key_and_broken_yaml(tmp_path):
    cfg = tmp_path / "typo.yaml"
    cfg.write_text("knowledge:\n  chunk_sise: 3\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="knowledge.chunk_sise"):
        load_settings(cfg, env={})
    cfg.write_text("knowledge: [unclosed\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="YAML"):
        load_settings(cfg, env={})


def test_env_error_names_variable():
    with pytest.raises(SettingsError, match="SMART_COPILOT__GRAPH__MAX_SUB_QUESTIONS"):
        load_settings(env={"SMART_COPILOT__GRAPH__MAX_SUB_QUESTIONS": "many"})


def test_masked_hides_secrets():
    data = masked(Settings())
    data_with_secret = {"api_key": "sk-123", "api_key_env": "OPENAI_API_KEY"}

    class Fake:
        def model_dump(self, mode):
            return data_with_secret

    out = masked(Fake())  # type: ignore[arg-type]
    assert out == {"api_key": "***", "api_key_env": "OPENAI_API_KEY"}
    assert data["data_dir"]


def test_config_show_cli(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("knowledge:\n  default_kb: ops\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "app", "--config", str(cfg), "config", "show", "--json"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(out.stdout)["knowledge"]["default_kb"] == "ops"
    bad = subprocess.run(
        [sys.executable, "-m", "app", "--config", str(tmp_path / "missing.yaml"), "config", "show"],
        capture_output=True, text=True,
    )
    assert bad.returncode == 2 and "配置文件不存在" in bad.stderr


def test_masked_hides_url_credentials_and_token_params():
    class Fake:
        def model_dump(self, mode):
            return {"restart_webhook": "https://ops:hunter2@hooks.example.com/restart?token=abc&x=1"}

    out = masked(Fake())  # type: ignore[arg-type]
    assert out["restart_webhook"] == "https://ops:***@hooks.example.com/restart?token=***&x=1"


def test_yaml_boolean_words_reach_choice_settings_as_words(tmp_path):
    """YAML 1.1 read `off` as false: SMART_COPILOT__KNOWLEDGE__DENSE=off was rejected (issue 16)."""
    env = {"SMART_COPILOT__KNOWLEDGE__DENSE": "off", "SMART_COPILOT__MODELS__LLM__BACKEND": "openai",
           "SMART_COPILOT__MODELS__LLM__TOOL_CALLING": "on", "SMART_COPILOT__APP__SHARE": "yes"}
    settings = load_settings(env=env)
    assert settings.knowledge.dense == "off" and settings.app.share is True
    assert getattr(settings.models.llm, "tool_calling") == "on"
    cfg = tmp_path / "c.yaml"
    cfg.write_text("knowledge:\n  dense: off\napp:\n  share: no\nmodels:\n  llm:\n    backend: openai\n"
                   "    tool_calling: off\n", encoding="utf-8")
    settings = load_settings(cfg, env={"SMART_COPILOT__APP__SHARE": "on"})
    assert settings.knowledge.dense == "off" and getattr(settings.models.llm, "tool_calling") == "off"
    assert settings.app.share is True
    assert load_settings(cfg, env={}).app.share is False
    assert load_settings(env={"SMART_COPILOT__APP__SHARE": "true"}).app.share is True


@pytest.mark.parametrize("name, value, reason", [
    ("KNOWLEDGE__DENSE", "of", "未知的取值 'of'，是否想用 off？可选：sync, background, off"),
    ("APP__SHARE", "maybe", "应为布尔值（true/false、on/off、yes/no、1/0），收到 'maybe'"),
    ("APP__PORT", "abc", "应为整数，收到 'abc'"),
    ("APP__MAX_UPLOAD_MB", "-1", "应大于 0.0，收到 -1"),
    ("KNOWLEDGE__DENS", "off", "没有这个设置项，是否想写 dense？"),
])
def test_bad_env_value_is_explained_in_chinese(name, value, reason):
    with pytest.raises(SettingsError) as err:
        load_settings(env={f"SMART_COPILOT__{name}": value})
    key = name.lower().replace("__", ".")
    assert str(err.value) == f"设置项 {key} 无效（来源：环境变量 SMART_COPILOT__{name}）：{reason}"


def test_cli_takes_dense_off_and_explains_a_bad_value(tmp_path):
    import os

    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(tmp_path), "SMART_COPILOT__KNOWLEDGE__DENSE": "off"}
    out = subprocess.run([sys.executable, "-m", "app", "config", "show", "--json"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["knowledge"]["dense"] == "off"
    bad = subprocess.run([sys.executable, "-m", "app", "config", "show"], capture_output=True, text=True,
                         env={**env, "SMART_COPILOT__KNOWLEDGE__DENSE": "never"})
    assert bad.returncode == 2 and "未知的取值 'never'" in bad.stderr and "Input should" not in bad.stderr
