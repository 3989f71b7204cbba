"""What a training run is asked (TrainOptions) and what it answers (TrainResult).

Kept apart from train.py, which imports spaCy: the window reads a result from the training
process (training/isolated.py) without loading spaCy into its own process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.training import corpus
from annotator.training.evaluate import LabelScores


@dataclass(frozen=True)
class TrainOptions:
    out: Path | str
    labels: tuple[str, ...] = ()  # empty: every label with enough accepted spans
    base: str | None = None  # package or folder; None: the default pipeline
    dev_fraction: float = 0.2
    max_steps: int | None = None  # None: about 10 passes over the data, 50..600 steps
    eval_frequency: int | None = None
    seed: int = 0
    min_spans: int = corpus.MIN_SPANS
    min_docs: int = corpus.MIN_DOCS
    doc_ids: tuple[int, ...] | None = None  # only these documents (None: all)
    dev_doc_ids: tuple[int, ...] | None = None  # fixed dev documents instead of a random split


@dataclass
class TrainResult:
    model_dir: str | None  # None when cancelled before any checkpoint
    origin: str = ""  # the `origin` its suggestions get in the store
    base: str = ""
    ner_labels: list[str] = field(default_factory=list)
    span_labels: list[str] = field(default_factory=list)
    trusted_labels: list[str] = field(default_factory=list)  # span labels the model may add
    skipped: list[str] = field(default_factory=list)  # labels left out, with what they need
    train_docs: int = 0
    dev_docs: int = 0
    train_words: int = 0
    steps: int = 0
    max_steps: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    interrupted: bool = False  # Ctrl+C (the CLI exits 130)
    scores: list[LabelScores] = field(default_factory=list)  # base vs trained on dev documents
    history: list[dict] = field(default_factory=list)  # dev scores at each evaluation
    notes: list[str] = field(default_factory=list)
