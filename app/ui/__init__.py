"""The Gradio web app for support agents: `build_app(copilot, settings)` and `launch_app(...)`."""

from __future__ import annotations

from typing import Any


def build_app(copilot: Any, settings: Any):
    from app.ui.app import build_app as build

    return build(copilot, settings)


def launch_app(*args: Any, **kwargs: Any):
    from app.ui.server import launch_app as launch

    return launch(*args, **kwargs)
