"""Composition root: settings -> a ready `graph.service.Copilot` with every backend built.

Opens the stores of `storage.mode` (app.storage.build: SQLite files under data_dir, or
PostgreSQL + a Chroma server), then builds the embedder, KnowledgeService (ingesting the
bundled demo KB into "demo" when no knowledge base exists yet), the LLM backend, the
adapter router, the tool registry, the runbook engine and the checkpointer. Nothing is
built at import; `build_copilot` is the one place it happens.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from app.settings import Settings
from app.storage.build import Stores, open_knowledge_backend, open_stores
from graph.context import GraphContext
from graph.service import Copilot

log = logging.getLogger(__name__)
DEMO_KB = "demo"


def package_version() -> str:
    try:
        return version("smart-copilot")
    except PackageNotFoundError:
        return "0+unknown"


def build_knowledge(settings: Settings, embedder=None, background: bool = True, backend: Any = None):
    """The KnowledgeService, with the demo KB ingested on first start.

    `background` False (one-shot command-line runs): no embedding thread is started, as it
    would die with the process; the caller decides (see app/cli_vectors.py).
    `backend`: the server-mode knowledge backend of already opened stores; without one, server
    mode opens its own (closed with the service) and embedded mode uses data_dir/kb.
    """
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    embedder = embedder or create_embedder(settings.models.embedder)
    if backend is None:
        backend = open_knowledge_backend(settings)
    service = KnowledgeService(settings.knowledge, settings.data_dir, embedder, background=background, backend=backend)
    if not service.kb_names() and DEMO_DIR.is_dir():
        log.info("no knowledge base yet: ingesting the bundled demo KB from %s", DEMO_DIR)
        service.ingest([DEMO_DIR], kb=DEMO_KB)
    else:
        service.resume_dense()  # check vectors against the store, finish what a previous run left pending
    return service, embedder


def build_copilot(settings: Settings, embedder=None, background: bool = True,
                  vectors_required: bool = True) -> Copilot:
    """Everything the graph needs, built once; user-fixable problems raise the layer's error.

    `embedder` replaces the configured one (tests pass a fake that makes background work observable).
    `background` False: a one-shot command-line run (no background embedding thread).
    `vectors_required` False (`ask`): a Chroma server that does not answer leaves the turn to keywords,
    with a notice in the reply, instead of failing the start.
    """
    from models.llm.decoding import options_from_settings
    from models.llm.registry import create_llm
    from models.router import AdapterRouter
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    stores: Stores = open_stores(settings.storage, data_dir, audit_enabled=settings.tools.audit,
                                 max_candidates=settings.knowledge.lexical_max_candidates,
                                 vectors_required=vectors_required)
    try:
        knowledge, embedder = build_knowledge(settings, embedder, background=background,
                                              backend=stores.knowledge_backend)
    except BaseException:
        stores.close()
        raise
    llm = create_llm(settings.models, data_dir)
    registry = build_registry(settings.tools, data_dir, knowledge=knowledge, audit=stores.audit)
    extra_runbooks = [settings.tools.runbooks_dir] if settings.tools.runbooks_dir else []
    engine = RunbookEngine(load_runbooks(extra_dirs=extra_runbooks), registry, knowledge=knowledge)
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
    info = {"data_dir": str(data_dir.resolve()), "version": package_version(), "storage": stores.describe,
            "runbooks": [r["id"] for r in engine.list()], "tools": [s["name"] for s in registry.specs()]}
    return Copilot(context, stores.checkpointer, sessions=stores.sessions, info=info, stores=stores)


def studio_graph():
    """For `langgraph dev` / LangGraph Studio (langgraph.json): the turn graph with this
    installation's backends as its default context; the server brings its own checkpointer."""
    from app.settings import load_settings
    from graph.builder import build_graph

    copilot = build_copilot(load_settings())
    return build_graph(default_context=copilot.context)
