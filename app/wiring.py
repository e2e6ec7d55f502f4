"""Composition root: settings -> a ready `graph.service.Copilot` with every backend built.

Builds the embedder, KnowledgeService (ingesting the bundled demo KB into "demo" when no
knowledge base exists yet), the LLM backend, the adapter router, the tool registry, the
runbook engine and the SQLite checkpointer (data_dir/conversations.sqlite). Nothing is
built at import; `build_copilot` is the one place it happens.
"""

from __future__ import annotations

import logging
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from app.settings import Settings
from graph.context import GraphContext
from graph.service import Copilot
from graph.sessions import SessionIndex

log = logging.getLogger(__name__)
DEMO_KB = "demo"


def package_version() -> str:
    try:
        return version("smart-copilot")
    except PackageNotFoundError:
        return "0+unknown"


def build_knowledge(settings: Settings, embedder=None, background: bool = True):
    """The KnowledgeService, with the demo KB ingested on first start.

    `background` False (one-shot command-line runs): no embedding thread is started, as it
    would die with the process; the caller decides (see app/cli_vectors.py).
    """
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    embedder = embedder or create_embedder(settings.models.embedder)
    service = KnowledgeService(settings.knowledge, settings.data_dir, embedder, background=background)
    if not service.kb_names() and DEMO_DIR.is_dir():
        log.info("no knowledge base yet: ingesting the bundled demo KB from %s", DEMO_DIR)
        service.ingest([DEMO_DIR], kb=DEMO_KB)
    else:
        service.resume_dense()  # check vectors against the store, finish what a previous run left pending
    return service, embedder


def build_checkpointer(data_dir: Path):
    """LangGraph's SQLite checkpointer on data_dir/conversations.sqlite (WAL, shared across threads)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = data_dir / "conversations.sqlite"
    conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    return SqliteSaver(conn), path


def build_copilot(settings: Settings, embedder=None, background: bool = True) -> Copilot:
    """Everything the graph needs, built once; user-fixable problems raise the layer's error.

    `embedder` replaces the configured one (tests pass a fake that makes background work observable).
    `background` False: a one-shot command-line run (no background embedding thread).
    """
    from models.llm.decoding import options_from_settings
    from models.llm.registry import create_llm
    from models.router import AdapterRouter
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    knowledge, embedder = build_knowledge(settings, embedder, background=background)
    llm = create_llm(settings.models, data_dir)
    registry = build_registry(settings.tools, data_dir, knowledge=knowledge)
    extra_runbooks = [settings.tools.runbooks_dir] if settings.tools.runbooks_dir else []
    engine = RunbookEngine(load_runbooks(extra_dirs=extra_runbooks), registry, knowledge=knowledge)
    checkpointer, conversations = build_checkpointer(data_dir)
    context = GraphContext(
        llm=llm,
        knowledge=knowledge,
        embedder=embedder,
        router=AdapterRouter.for_backend(settings.models, llm),
        runbooks=engine,
        tools=registry,
        settings=settings.graph,
        decoding=options_from_settings(settings.models.llm),
        default_kb=settings.knowledge.default_kb,
    )
    info = {"data_dir": str(data_dir.resolve()), "version": package_version(),
            "runbooks": [r["id"] for r in engine.list()], "tools": [s["name"] for s in registry.specs()]}
    return Copilot(context, checkpointer, sessions=SessionIndex(conversations), info=info)


def studio_graph():
    """For `langgraph dev` / LangGraph Studio (langgraph.json): the turn graph with this
    installation's backends as its default context; the server brings its own checkpointer."""
    from app.settings import load_settings
    from graph.builder import build_graph

    copilot = build_copilot(load_settings())
    return build_graph(default_context=copilot.context)
