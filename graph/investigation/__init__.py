"""The model-driven investigation's logic, shared by its nodes (graph/nodes/investigate.py).

`prompting` builds what the model sees (tools, plan, passages), `checks` validates each
proposed call and words each result for the model, `loop` runs one model turn, one batch
of calls and the agent's approval decision under the budgets, and `handoff` writes the
cited conclusion and the Markdown hand-off summary. Tests: `pytest tests/graph/test_investigate.py`.
"""
