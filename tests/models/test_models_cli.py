"""`smart-copilot models check` and `models list-adapters` through the real CLI entry point."""

from __future__ import annotations

import json
import shutil

import yaml

from app.cli import main
from tests.models.conftest import copy_adapters


def write_config(tmp_path, models: dict) -> str:
    path = tmp_path / "settings.yaml"
    path.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data"), "models": models}), encoding="utf-8")
    return str(path)


def test_check_default_is_extractive(tmp_path, capsys):
    assert main(["--config", write_config(tmp_path, {}), "models", "check", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["llm"]["backend"] == "extractive" and out["llm"]["description"] == "抽取式模式（未配置生成模型）"
    assert out["tools"]["supported"] is False


def test_check_reports_tool_support_and_the_investigation_adapter(tmp_path, capsys, tiny_model_dir, tiny_adapters_dir):
    shutil.copytree(tiny_adapters_dir, tmp_path / "data" / "adapters")
    models = {"llm": {"backend": "transformers", "model_path": str(tiny_model_dir)}, "router": {"agent": "db"}}
    assert main(["--config", write_config(tmp_path, models), "models", "check"]) == 0
    text = capsys.readouterr().out
    assert "工具调用：支持（builtin）" in text and "内置的 Hermes/Qwen2.5 格式" in text and "排查（调用工具）使用：db" in text
    models["llm"]["tool_calling"] = "off"
    assert main(["--config", write_config(tmp_path, models), "models", "check", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tools"] == {"supported": False, "format": "none", "reason": out["tools"]["reason"]}
    assert "tool_calling: off" in out["tools"]["reason"]


def test_check_transformers_with_router_fallback(tmp_path, capsys, tiny_model_dir, tiny_adapters_dir):
    shutil.copytree(tiny_adapters_dir, tmp_path / "data" / "adapters")
    models = {
        "llm": {"backend": "transformers", "model_path": str(tiny_model_dir)},
        "router": {"rules": {"云服务器": "ecs", "对象存储": "oss"}},
    }
    assert main(["--config", write_config(tmp_path, models), "models", "check"]) == 0
    text = capsys.readouterr().out
    assert "db、ecs" in text and "云服务器 -> ecs" in text and "对象存储 -> 基座模型" in text and "not available" in text


def test_check_reports_user_error_with_exit_code_2(tmp_path, capsys):
    models = {"llm": {"backend": "transformers", "model_path": str(tmp_path / "missing")}}
    assert main(["--config", write_config(tmp_path, models), "models", "check"]) == 2
    assert "models.llm.model_path" in capsys.readouterr().err


def test_list_adapters_flags_wrong_base(tmp_path, capsys, tiny_model_dir, tiny_adapters_dir):
    adapters = copy_adapters(tiny_adapters_dir, tmp_path / "adapters", db="other-base")
    config = write_config(tmp_path, {"llm": {"model_path": str(tiny_model_dir)}})
    assert main(["--config", config, "models", "list-adapters", "--dir", str(adapters), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {a["name"]: a["matches_base"] for a in out["adapters"]} == {"db": False, "ecs": True}
    assert main(["--config", config, "models", "list-adapters"]) == 0
    assert "0 个" in capsys.readouterr().out
