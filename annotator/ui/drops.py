"""Files dropped on the window: imported, except the open project's own files, which are refused
without being opened (reading them by path would drop the project's locks:
services/project_files.py)."""

from __future__ import annotations

from pathlib import Path

from annotator.services.project_files import is_project_file


def accept_files(event) -> None:
    """Take a drag that carries at least one local file."""
    if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
        event.acceptProposedAction()


def dropped(event, project: Path | None) -> tuple[list[str], str]:
    """(paths to import, the refusal to show or ""): the project's own files are left out."""
    paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
    if paths:
        event.acceptProposedAction()
    own = [p for p in paths if project and is_project_file(p, project)]
    refusal = "\n".join(f"{p}: this is the open project's own database, not articles: not imported"
                        for p in own)
    return [p for p in paths if p not in own], refusal
