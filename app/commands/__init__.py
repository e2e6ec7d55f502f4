"""CLI command modules; each defines `register(subparsers)` and is discovered by app.cli."""
