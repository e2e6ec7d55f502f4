"""`python -m app` is the same as the `smart-copilot` command."""

from app.cli import main

raise SystemExit(main())
