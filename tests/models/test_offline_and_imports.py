"""Nothing heavy at import, and the hub libraries are forced offline before loading."""

from __future__ import annotations

import subprocess
import sys

from models.hub import OFFLINE_ENV, ensure_offline

LIGHT_MODULES = [
    "models.llm.registry",
    "models.llm.transformers_backend",
    "models.llm.openai_backend",
    "models.llm.lora",
    "models.router",
    "app.commands.models",
]


def test_importing_the_model_layer_loads_no_ml_library():
    code = (
        f"import sys; import {', '.join(LIGHT_MODULES)}; "
        "print(','.join(m for m in ('torch', 'transformers', 'peft') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_ensure_offline_sets_hub_env_and_keeps_explicit_values(monkeypatch):
    for name in OFFLINE_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    ensure_offline()
    import os

    assert os.environ["TRANSFORMERS_OFFLINE"] == "1" and os.environ["HF_DATASETS_OFFLINE"] == "1"
    assert os.environ["HF_HUB_OFFLINE"] == "0"


def test_reading_settings_loads_no_backend_library():
    """The backends' settings classes live in their modules; reading settings must stay cheap."""
    code = ("import sys; import app.settings; "
            "print(','.join(m for m in ('httpx', 'torch', 'transformers', 'peft') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
