"""Fixtures of the graph tests: a fake knowledge service, contexts, copilots, a tiny runbook.

Node tests use `FakeKnowledge` (fixed passages); end-to-end tests use the real
KnowledgeService on the demo KB (`demo_knowledge`, lexical + hash embedder: fast).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from graph.config import GraphSettings
from graph.context import GraphContext
from graph.service import Copilot
from models.llm.extractive import ExtractiveLLM
from tests.graph.fakes import FakeKnowledge

REPO = Path(__file__).resolve().parents[2]
DEMO_EVAL = REPO / "tests" / "data" / "demo_eval"
CORPORA = REPO / "../shared/corpora"


@pytest.fixture
def fake_kb() -> FakeKnowledge:
    return FakeKnowledge()


def make_context(knowledge, llm=None, **settings) -> GraphContext:
    return GraphContext(llm=llm or ExtractiveLLM(), knowledge=knowledge, settings=GraphSettings(**settings),
                        default_kb="demo")


@pytest.fixture
def context(fake_kb) -> GraphContext:
    return make_context(fake_kb)


@pytest.fixture
def copilot(context) -> Copilot:
    return Copilot(context)


@pytest.fixture(scope="session")
def demo_knowledge(tmp_path_factory):
    """The real KnowledgeService with the demo KB ingested (lexical index, hash embedder)."""
    from knowledge.config import KnowledgeSettings
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    if not DEMO_DIR.is_dir():
        pytest.skip(f"demo KB not found at {DEMO_DIR}")
    embedder = create_embedder(EmbedderSettings(backend="hash"))
    service = KnowledgeService(KnowledgeSettings(dense="sync"), tmp_path_factory.mktemp("demo-kb"), embedder)
    service.ingest([DEMO_DIR], kb="demo")
    yield service
    service.close()


@pytest.fixture(scope="session")
def keyword_demo(tmp_path_factory):
    """The demo base, keyword index only (the answers the benchmarks measure in --dense off)."""
    from knowledge.config import KnowledgeSettings
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder

    if not DEMO_DIR.is_dir():
        pytest.skip(f"demo KB not found at {DEMO_DIR}")
    service = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path_factory.mktemp("kw-demo") / "data",
                               HashEmbedder(dim=32))
    service.ingest([DEMO_DIR], kb="demo")
    yield service
    service.close()


def ask_turns(knowledge, session: str, *messages: str) -> dict:
    """The messages as turns of one conversation on the demo base; the last turn's JSON result."""
    copilot = Copilot(make_context(knowledge))
    result: dict = {}
    for message in messages:
        result = copilot.ask(message, session, kb="demo").to_json()
    return result


def asker(knowledge, prefix: str):
    """One full turn per message, each in a fresh session, as a JSON result (module fixtures use it)."""
    copilot = Copilot(make_context(knowledge))
    counter = iter(range(1000))
    return lambda message: copilot.ask(message, f"{prefix}-{next(counter)}", kb="demo").to_json()


def corpora_pages_kb(tmp_path_factory, pages: list[str], kb: str):
    """A keyword-only KnowledgeService over some pages of the shared corpora (read at test time, never
    copied into the project); skips when they are absent. A generator: use it as a fixture body."""
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    if not all((CORPORA / p).is_file() for p in pages):
        pytest.skip(f"shared corpora not found at {CORPORA}")
    service = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path_factory.mktemp(kb),
                               create_embedder(EmbedderSettings(backend="hash")))
    service.ingest([CORPORA / p for p in pages], kb=kb)
    yield service
    service.close()


def corpora_asker(tmp_path_factory, pages: list[str], kb: str):
    """`corpora_pages_kb` behind a one-off asker: each call asks in a fresh session and returns the
    answer text. A generator: use it as a fixture body."""
    from graph.service import Copilot

    for service in corpora_pages_kb(tmp_path_factory, pages, kb):
        copilot = Copilot(make_context(service))
        counter = iter(range(100))
        yield lambda message: copilot.ask(message, f"{kb}-{next(counter)}", kb=kb).to_json()["answer"]


def page_chunks(source: str, title: str, sections: list[tuple[list[str], str]]) -> list[dict]:
    """A built document page as the chunks the knowledge layer returns: one per (heading path, text)."""
    return [{"chunk_id": f"c{i}", "source": source, "title": title, "kind": "doc", "heading_path": path,
             "text": text} for i, (path, text) in enumerate(sections)]


def read_jsonl(path: Path) -> list[dict]:
    import json

    if not path.is_file():
        pytest.skip(f"evaluation data not found: {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


RUNBOOK_YAML = textwrap.dedent("""\
    id: disk-cleanup
    title: 磁盘空间满排查
    description: 询问挂载点，给出清理建议。
    triggers:
      keywords: [磁盘满了, 磁盘空间满, 空间不足]
      examples: [磁盘满了怎么办, 帮我排查磁盘空间满]
      intents: [disk]
    slots:
      mount:
        prompt: 哪个挂载点满了？
        type: text
    steps:
      - id: ask_mount
        kind: ask
        slot: mount
      - id: advise_clean
        kind: advise
        title: 清理建议
        text: 请清理 {{slots.mount}} 下的旧日志。
    """)


@pytest.fixture
def runbook_engine(tmp_path, fake_kb):
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "disk-cleanup.yaml").write_text(RUNBOOK_YAML, encoding="utf-8")
    registry = build_registry(ToolSettings(), tmp_path / "tools-data", knowledge=fake_kb)
    return RunbookEngine(load_runbooks(folder), registry, knowledge=fake_kb)
