"""Composition root of Smart Copilot: settings, wiring, CLI and the Gradio UI.

Nothing else in the project imports `app`. Run `smart-copilot --help` (or
`python -m app --help`); tests live in `tests/`.
"""

__version__ = "0.1.0"
