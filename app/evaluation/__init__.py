"""Evaluation harness: scripted conversation tests and metrics over labelled sets.

- `scenario`: the YAML conversation-script format (pydantic, extra="forbid").
- `expectations`: checks of one turn's TurnResult JSON against a turn's expectations.
- `drivers`: run turns in-process (a wired Copilot) or against a server (gradio_client).
- `runner`: run scenarios, collect per-expectation results, render the report.
- `metrics`/`report`/`baseline`: metrics over labelled JSONL sets, Markdown + PNG report,
  comparison with a saved baseline run.
- `golden`: `run_golden(copilot, kb)` for the knowledge tab's "check before publish".
- `feedback_export`: thumbs-down feedback -> JSONL evaluation items.

Run with `smart-copilot eval ...`; tested under tests/eval/.
"""
