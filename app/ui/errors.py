"""UIError and how fixable errors reach the person using the app (gr.Error, Chinese, no traceback)."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable


class UIError(Exception):
    """Shown as gr.Error in the browser, or as `错误：…` with exit code 2 by `serve`."""


def user_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is for the agent (Chinese, fixable) — every layer's user error."""
    from app.feedback import FeedbackError
    from app.settings import SettingsError
    from graph.errors import GraphError
    from knowledge.errors import KnowledgeError
    from models.errors import ModelError
    from tools.errors import ToolsError

    return (GraphError, KnowledgeError, ModelError, ToolsError, UIError, SettingsError, FeedbackError)


def shown_error(message: str, title: str = "操作未完成"):
    """A gr.Error for the person in front of the app: Chinese message, no server-side traceback."""
    import gradio as gr

    return gr.Error(message, title=title, print_exception=False)


def errors_shown(fn: Callable[..., Any], title: str = "操作未完成") -> Callable[..., Any]:
    """Wrap a handler so user errors become gr.Error; generator functions stay generators (Gradio streams those)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def streamed(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except user_errors() as exc:
                raise shown_error(str(exc), title) from None

        return streamed

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except user_errors() as exc:
            raise shown_error(str(exc), title) from None

    return wrapped
