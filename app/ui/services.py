"""What the web app's handlers share: the Copilot, settings, feedback store, upload staging.

Built once by `build_app`; handlers close over it. `user_of(request)` is the one place
that decides whose conversations a browser session sees: the login name when auth is
on, else "local" (a single-user app on loopback).
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.service import Copilot

from app.feedback import FeedbackStore
from app.settings import Settings
from app.ui.conversation_service import Conversations
from app.ui.conversation_store import ConversationStore

LOCAL_USER = "local"


@dataclass
class UIServices:
    copilot: Copilot
    """The conversation graph as a service (ask, stream, resume, history, sessions, waiting, status)."""
    settings: Settings
    feedback: FeedbackStore
    staging_dir: Path
    """Uploads wait here (one folder per staged upload) until the agent publishes them."""
    conversations: Conversations
    """Past conversations: listing, search, stored turn results, titles, trash."""
    staged: dict[str, dict] = field(default_factory=dict)
    """Staged uploads by id: {"user","kb","dir","files","flags"}."""

    @property
    def knowledge(self) -> Any:
        """knowledge.service.KnowledgeService behind the Copilot (the app uses more of it than the graph's port)."""
        return self.copilot.context.knowledge


def user_of(request: Any) -> str:
    """The login name of the request (auth on), else the single local user."""
    name = getattr(request, "username", None) if request is not None else None
    return str(name) if name else LOCAL_USER


def new_session_id() -> str:
    return uuid.uuid4().hex[:12]


def build_services(copilot: Copilot, settings: Settings) -> UIServices:
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = data_dir / "uploads"
    if staging.is_dir():  # staged uploads live in memory; folders left by a previous run are orphans
        shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, exist_ok=True)
    conversations = Conversations(copilot, ConversationStore(data_dir / "conversations.sqlite"),
                                  settings.app.trash_days)
    conversations.purge()  # conversations deleted longer ago than app.trash_days
    return UIServices(copilot=copilot, settings=settings, feedback=FeedbackStore(data_dir / "feedback.sqlite"),
                      staging_dir=staging, conversations=conversations)
