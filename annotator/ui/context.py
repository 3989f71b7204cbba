"""What commands (ui/commands.py) and job result handlers (ui/jobs.py) act on.

One small object with the window's services, built once by the window, so a command's slot or
a job's handler is a plain function of it: `lambda c: c.review.accept_selected()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.settings import Settings
    from annotator.ui.backups import Backups
    from annotator.ui.feedback import Feedback
    from annotator.ui.main_window import MainWindow
    from annotator.ui.models import ModelController
    from annotator.ui.projects import ProjectFiles
    from annotator.ui.review import Review
    from annotator.ui.session import Session
    from annotator.ui.tasks import TaskRunner


@dataclass(frozen=True, kw_only=True)
class Ctx:
    window: MainWindow  # views, docks, and the project/document wiring
    session: Session  # the open project and document; user intents -> Store
    review: Review  # labelling, accept/reject, stepping, link mode in the article
    runner: TaskRunner  # background jobs
    models: ModelController  # which spaCy pipeline
    backups: Backups
    files: ProjectFiles  # new/open/recent project, annotator name
    feedback: Feedback  # status-bar messages, error boxes
    prefs: Settings
