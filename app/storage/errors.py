"""StorageError: a store cannot be reached or used; the message (Chinese) names the server and the setting."""


class StorageError(Exception):
    """PostgreSQL or the Chroma server is unreachable or refused us; shown to the user, exit code 2."""
