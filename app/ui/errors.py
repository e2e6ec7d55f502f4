"""UIError: a problem the person using the app (or `serve`) can fix; the message is Chinese."""


class UIError(Exception):
    """Shown as gr.Error in the browser, or as `错误：…` with exit code 2 by `serve`."""


def shown_error(message: str, title: str = "操作未完成"):
    """A gr.Error for the person in front of the app: Chinese message, no server-side traceback."""
    import gradio as gr

    return gr.Error(message, title=title, print_exception=False)
