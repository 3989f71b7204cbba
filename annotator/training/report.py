"""Plain-text lines for training and queue results (the CLI prints them; a GUI may show them)."""

from __future__ import annotations

from annotator.training.options import TrainResult
from annotator.training.queue import QueueResult


def _minutes(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


def train_lines(r: TrainResult) -> list[str]:
    lines = []
    learned = []
    if r.ner_labels:
        learned.append("NER " + " ".join(r.ner_labels))
    if r.span_labels:
        learned.append("spans " + " ".join(r.span_labels))
    lines.append(f"trained {'; '.join(learned)} on {r.train_docs} document(s) "
                 f"({r.train_words:,} words), {r.dev_docs} dev document(s), base {r.base}")
    lines.extend(f"skipped {s}" for s in r.skipped)
    state = "cancelled" if r.cancelled else "done"
    lines.append(f"{state} after {r.steps}/{r.max_steps} steps in {_minutes(r.seconds)}")
    if r.model_dir is None:
        lines.extend(r.notes)
        return lines
    lines.append(f"model written to {r.model_dir} (suggestion origin {r.origin})"
                 + (": the best checkpoint before the cancel" if r.cancelled else ""))
    if r.scores:
        lines.append(f"{'label':<10} {'gold':>5}   {'base P   R    F1':<17}  {'trained P   R    F1':<20}")
        for s in r.scores:
            lines.append(f"{s.label:<10} {s.gold:>5}   {s.base.p:.2f} {s.base.r:.2f} {s.base.f:.2f}"
                         f"     {s.trained.p:.2f} {s.trained.r:.2f} {s.trained.f:.2f}")
        lines.append("(exact span matches on the dev documents; base = the default suggestions)")
    lines.extend(f"note: {n}" for n in r.notes)
    return lines


def queue_lines(r: QueueResult) -> list[str]:
    lines = [f"most useful next: {len(r.items)} of {r.considered} unfinished document(s), "
             f"model {r.origin}" + (" (cancelled: partial)" if r.cancelled else "")]
    lines.extend(f"note: {n}" for n in r.notes)
    for rank, item in enumerate(r.items, 1):
        title = item.title if len(item.title) <= 60 else item.title[:57] + "..."
        lines.append(f"{rank:>3}. #{item.doc_id} {title}  [{item.status}, value {item.value:.2f}]")
        lines.append(f"     why: {item.why()}")
    return lines
