"""Snapshot of the graph's Mermaid drawing: any change in nodes or edges shows up in review.

After an intended change, regenerate: `python -c "from graph.builder import mermaid;
open('tests/graph/graph.mmd','w').write(mermaid())"` and commit the diff.
"""

from __future__ import annotations

from pathlib import Path

from graph.builder import mermaid

SNAPSHOT = Path(__file__).with_name("graph.mmd")


def test_mermaid_drawing_matches_the_snapshot():
    assert mermaid() == SNAPSHOT.read_text(encoding="utf-8")


def test_drawing_has_every_stage_of_the_data_flow():
    drawing = mermaid()
    for node in ("guard", "split", "rewrite", "route", "retrieve", "select", "answer", "verify",
                 "runbook", "general", "refuse", "compose", "runbook_wait", "investigate_start", "investigate_model",
                 "investigate_tools", "investigate_approval", "investigate_finish", "investigate_fallback",
                 "investigate_runbook", "investigate_wait"):
        assert f"({node})" in drawing, node
