"""Use cases the CLI and the UI share: import, export, pre-annotation. Pure Python, no Qt."""
