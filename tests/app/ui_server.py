"""Launch the real web app for tests: extractive mode, hash embedder, a small slice of the demo KB.

`launch_small_app(root)` ingests a few demo folders (read from knowledge/demo at test time)
into the "demo" knowledge base, wires the Copilot with `app.wiring.build_copilot`, builds
the app with `build_app` and launches it on a free loopback port (non-blocking).
"""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.settings import Settings
from app.ui.auth import LoginThrottle, add_user, build_authenticator

DEMO_PARTS = ("docs/scs", "docs/mysql", "docs/vpc", "faq")
USERS = {"alice": "alice-password", "bob": "bob-password"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    settings: Settings
    blocks: Any
    copilot: Any

    def close(self) -> None:
        self.blocks.close()
        self.copilot.context.knowledge.close()


def small_settings(root: Path, tools: dict | None = None, embedder: str = "hash", dense: str = "sync",
                   models: dict | None = None, **app: Any) -> Settings:
    return Settings.model_validate({
        "data_dir": str(root / "data"),
        "models": {"embedder": {"backend": embedder}, **(models or {})},
        "knowledge": {"dense": dense},  # sync: deterministic scores, vectors are in before ingest returns
        "tools": tools or {},
        "app": {"max_upload_mb": 1, "max_upload_files": 5, **app},
    })


def ingest_small_demo(settings: Settings) -> None:
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    if not all((DEMO_DIR / p).exists() for p in DEMO_PARTS):
        pytest.skip(f"demo KB folders missing under {DEMO_DIR}")
    subset = Path(settings.data_dir).parent / "demo-subset"
    for part in DEMO_PARTS:  # same relative paths as the full demo KB (docs/scs/..., faq/faq.jsonl)
        shutil.copytree(DEMO_DIR / part, subset / part, dirs_exist_ok=True)
    service = KnowledgeService(settings.knowledge, settings.data_dir, create_embedder(settings.models.embedder))
    try:
        service.ingest([subset], kb="demo")
        service.wait_dense()
        service.embed_pending("demo")  # complete even when settings say dense="background"
    finally:
        service.close()


def launch_small_app(root: Path, with_auth: bool = True, ingest: bool = True, tools: dict | None = None,
                     embedder: str = "hash", dense: str = "sync", embedder_instance: Any = None,
                     models: dict | None = None, throttle: LoginThrottle | None = None, **app: Any) -> RunningApp:
    """`throttle`: the login throttle (default: the one `serve` uses)."""
    from app.ui import build_app, launch_app
    from app.wiring import build_copilot

    settings = small_settings(root, tools, embedder, dense, models, **app)
    if ingest:
        ingest_small_demo(settings)
    auth = None
    if with_auth:
        auth_file = root / "users.txt"
        for user, password in USERS.items():
            add_user(auth_file, user, password)
        auth = build_authenticator(None, auth_file, throttle)
    copilot = build_copilot(settings, embedder_instance)
    blocks = build_app(copilot, settings)
    served = launch_app(blocks, settings, host="127.0.0.1", port=free_port(), auth=auth)
    return RunningApp(url=served.local_url, settings=settings, blocks=blocks, copilot=copilot)


def client(url: str, user: str | None = None):
    from gradio_client import Client

    auth = (user, USERS[user]) if user else None
    return Client(url, auth=auth, verbose=False, download_files=False, analytics_enabled=False)
