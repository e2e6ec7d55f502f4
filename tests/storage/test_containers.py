"""Static checks of the container files (no Docker engine here): compose.yaml, Dockerfile, nginx, settings.

What can be checked without running containers is: every file compose mounts from the
repository exists, the app's settings files validate, health checks probe /healthz, the
Dockerfile runs the README's set-up command and bakes in no weights, and the proxy's
upstreams are compose services.
"""

from __future__ import annotations

import re

import yaml

from app.settings import load_settings
from tests.conftest import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
USER_PROVIDED = {"./deploy/users.txt", "./deploy/models", "./deploy/models/adapters"}  # README: made before start


def test_every_mounted_repository_file_exists():
    for name, service in SERVICES.items():
        for volume in service.get("volumes") or []:
            source = volume.split(":", 1)[0]
            if source.startswith("./") and source not in USER_PROVIDED:
                assert (REPO_ROOT / source).exists(), f"{name} mounts missing {source}"


def test_app_settings_files_validate(monkeypatch):
    for name in ("server.yaml", "gpu.yaml"):
        settings = load_settings(REPO_ROOT / "deploy" / name, env={})
        assert settings.storage.mode == "server" and settings.storage.chroma.host == "chroma"
        assert settings.storage.postgres.url.startswith("postgresql://copilot@postgres:5432/")
    gpu = load_settings(REPO_ROOT / "deploy" / "gpu.yaml", env={})
    assert gpu.models.llm.backend == "openai" and "vllm:8000" in str(getattr(gpu.models.llm, "base_url"))


def test_services_and_profiles():
    assert {"app", "postgres", "chroma"} <= {n for n, s in SERVICES.items() if not s.get("profiles")}
    assert SERVICES["vllm"]["profiles"] == ["gpu"] and SERVICES["app2"]["profiles"] == ["replicas"]
    vllm = " ".join(SERVICES["vllm"]["command"])
    assert all(flag in vllm for flag in ("--enable-lora", "--lora-modules", "--enable-auto-tool-choice", "--tool-call-parser"))
    assert SERVICES["chroma"]["command"][:2] == ["chroma", "run"]
    for name in ("app", "app2"):
        assert "/healthz" in " ".join(SERVICES[name]["healthcheck"]["test"])
        assert SERVICES[name]["environment"]["SMART_COPILOT__APP__AUTH_FILE"]  # 0.0.0.0 requires a login


def test_dockerfile_runs_the_readme_setup_and_serves_healthz():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    setup = re.search(r"^(python3 -m venv \.venv && \.venv/bin/pip install [^\n]+?)\s*$", readme, re.M)
    assert setup, "README lost its set-up command"
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert f"RUN {setup.group(1)}" in dockerfile
    assert "/healthz" in dockerfile and "HEALTHCHECK" in dockerfile
    assert not re.search(r"huggingface-cli|snapshot_download|\.safetensors|wget |curl -[a-zA-Z]*O", dockerfile)
    ignored = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"data", "deploy/models", ".venv"} <= set(ignored)


def test_proxy_upstreams_are_the_app_replicas():
    conf = (REPO_ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstreams = re.findall(r"server (\w+):7860", conf)
    assert upstreams == ["app", "app2"] and "proxy_buffering off" in conf
