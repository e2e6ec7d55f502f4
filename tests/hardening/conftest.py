"""Fixtures of the fault and abuse suite: the knowledge tests' service factory (hash embedder, temp dir)."""

from tests.knowledge.conftest import make_service  # noqa: F401  (a fixture, used by name)
