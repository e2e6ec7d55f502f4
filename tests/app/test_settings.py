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
