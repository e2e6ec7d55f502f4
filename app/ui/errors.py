"""UIError: a problem the person using the app (or `serve`) can fix; the message is Chinese."""


class UIError(Exception):
    """Shown as gr.Error in the browser, or as `错误：…` with exit code 2 by `serve`."""
