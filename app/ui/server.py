"""Serve the app: access rules, queue limits, /healthz, share link with a local fallback.

`launch_app` refuses a share link or a non-loopback host without auth (UIError), sets
the queue so one slow request cannot starve the others (chat turns share one pool of
`app.concurrency_limit` slots, uploads have their own single slot, the waiting line is
bounded by `app.queue_max_size`), launches without blocking and reports whether the share
tunnel came up. `serve` then blocks on `blocks.block_thread()`.

GET /healthz (JSON, no login) is part of the web app from its first moment: it answers
503 `{"status": "starting"}` until `launch()` has returned (queue running, share link
tried), then 200 `{"status": "ok", ...}` — never a 404 a load balancer would read as a
wrong URL. Before the app exists, `app/ui/startup.py` answers the same on the port.
Every call also re-checks the stores of the data directory present at start (app.datadir):
one damaged, emptied or gone makes it 503 with the problems.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

from app.datadir import present_stores, runtime_problems
from app.settings import Settings
from app.ui.access import check_access
from app.ui.assets import launch_assets
from app.ui.status_tab import health


@dataclass
class Served:
    """A running server."""

    app: Any
    local_url: str
    share_url: str | None
    share_requested: bool

    @property
    def share_failed(self) -> bool:
        return self.share_requested and not self.share_url


def healthz_route(copilot: Any, ready: threading.Event, problems: Callable[[], list[str]] | None = None) -> Any:
    """GET /healthz: "starting" (503) until `ready` is set, then the app's health (app/ui/status_tab.py)."""
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    def healthz(request: Any) -> JSONResponse:
        payload, code = health(copilot, starting=not ready.is_set(), problems=problems)
        return JSONResponse(payload, status_code=code)

    return Route("/healthz", healthz, methods=["GET"], include_in_schema=False)


def launch_app(blocks: Any, settings: Settings, *, host: str | None = None, port: int | None = None,
               share: bool | None = None, auth: Callable[[str, str], bool] | None = None,
               quiet: bool = True) -> Served:
    """Queue, launch (non-blocking), mount /healthz; raises UIError on unsafe access settings."""
    app_settings = settings.app
    host = host or app_settings.host
    share = app_settings.share if share is None else share
    check_access(host, share, auth)
    blocks.queue(default_concurrency_limit=app_settings.concurrency_limit, max_size=app_settings.queue_max_size)
    ready = threading.Event()
    expected = present_stores(settings.data_dir)  # every store there at start must stay readable

    def problems() -> list[str]:
        return runtime_problems(settings.data_dir, expected)

    app, local_url, share_url = blocks.launch(
        server_name=host, server_port=port if port is not None else app_settings.port, share=share, auth=auth,
        auth_message="Smart Copilot 排障助手：请使用分配给你的账号登录。" if auth else None,
        prevent_thread_lock=True, quiet=quiet, show_error=False, max_threads=app_settings.max_threads,
        max_file_size=f"{app_settings.max_upload_mb:g}mb", footer_links=["api", "settings"],
        app_kwargs={"routes": [healthz_route(blocks.services.copilot, ready, problems)]},  # before the port opens
        **launch_assets(),
    )
    ready.set()
    return Served(app=app, local_url=local_url, share_url=share_url, share_requested=bool(share))
