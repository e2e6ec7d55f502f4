"""EvalError: a scenario file, dataset or baseline the user gave is unusable (Chinese message)."""


class EvalError(Exception):
    """A user-fixable evaluation problem; the message names the file and the field."""
