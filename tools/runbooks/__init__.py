"""YAML runbooks: schema, loader, and the engine that runs them step by step.

    runbooks = load_runbooks()                      # shipped library (tools/runbooks/library)
    engine = RunbookEngine(runbooks, registry, knowledge=ks)
    state = engine.start(rb_id, question, session, user)
    state, outputs = engine.advance(state, reply=None)
"""

from tools.runbooks.engine import RunbookEngine
from tools.runbooks.loader import LIBRARY, check_tools, load_paths, load_runbooks
from tools.runbooks.schema import Runbook
from tools.runbooks.state import Evidence, RunbookOutput, RunbookState

__all__ = ["LIBRARY", "Evidence", "Runbook", "RunbookEngine", "RunbookOutput", "RunbookState", "check_tools",
           "load_paths", "load_runbooks"]
