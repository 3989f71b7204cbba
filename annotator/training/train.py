"""`train(store, options, progress, cancelled) -> TrainResult`: a pipeline from accepted labels.

Steps: read the labelled documents (plain data; the store is then closed), decide which labels
have enough examples (`corpus.plan_labels`; refuse with what is needed otherwise), split by
document into train and dev, write spaCy DocBins, generate the config (`config.build_config`),
`init_nlp` + `spacy.training.loop.train` (spaCy's own loop: checkpoints, best model on dev),
then add the news rule components and the learned/rule merger to the best checkpoint and write
it to ``options.out`` as a normal spaCy pipeline folder. Finally both the base and the trained
pipeline are scored per label on the dev documents.

Cancel (`cancelled()` returning True, or Ctrl+C) stops spaCy's loop; the best checkpoint so far
becomes the model. Cancelled before the first checkpoint, ``options.out`` is left as it was.
Results are plain data, so a GUI worker can send them across threads.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.training import corpus
from annotator.training.config import auto_schedule, build_config, finished_config, inspect_base
from annotator.training.evaluate import compare
from annotator.training.leftovers import remove_dead_runs, training_folder_prefix
from annotator.training.options import TrainOptions, TrainResult
from annotator.training.progress import Progress, Run, TrainingCancelled, registered

TRUSTED_PRECISION = 0.7  # dev precision a learned label needs before its spans are suggested


class TrainingRefused(ValueError):
    """Not enough labels (or documents) to train; the message says what is needed."""


def _read(store_or_path, doc_ids) -> tuple[list[corpus.LabelledDocument], object, str]:
    store, owned = corpus.open_store(store_or_path)
    try:
        return corpus.read_documents(store, doc_ids), store.schema, Path(store.path).stem
    finally:
        if owned:
            store.close()


def check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} is a file; --out needs a folder for the trained pipeline")
    if out.is_dir() and any(out.iterdir()) and not (out / "config.cfg").is_file():
        raise ValueError(f"{out} is a folder with other files in it, not a spaCy pipeline; "
                         "choose a new or empty folder (an earlier trained model is replaced)")


def _split(docs, options: TrainOptions):
    if options.dev_doc_ids is not None:
        dev_ids = set(options.dev_doc_ids)
        return [d for d in docs if d.doc_id not in dev_ids], [d for d in docs if d.doc_id in dev_ids]
    return corpus.split(docs, options.dev_fraction, options.seed)


def prepare(docs, schema, options: TrainOptions) -> tuple[corpus.Readiness, list, list]:
    """The label plan and the train/dev split, or `TrainingRefused` naming what is missing."""
    ready = corpus.plan_labels(schema, docs, options.labels, options.min_spans, options.min_docs)
    if ready.refused:
        raise TrainingRefused("too few accepted labels to train:\n  " + "\n  ".join(ready.refused))
    if not ready.plan.labels:
        needs = "\n  ".join(ready.skipped) or "no accepted labels at all"
        raise TrainingRefused(f"no label has enough accepted examples to train:\n  {needs}")
    train_docs, dev_docs = _split(docs, options)
    if not train_docs:
        raise TrainingRefused(f"{len(docs)} labelled document(s): need at least one to train on "
                              "besides the dev documents")
    return ready, train_docs, dev_docs


def train(store_or_path, options: TrainOptions, progress: Progress | None = None,
          cancelled: Callable[[], bool] | None = None) -> TrainResult:
    """Train from the project's accepted labels; see the module docstring."""
    from annotator.nlp.models import BLANK, default_pipeline_name, load_pipeline

    started = time.perf_counter()
    out = Path(options.out)
    check_out_dir(out)
    remove_dead_runs(out)  # what killed runs into `out` left (training/leftovers.py)
    docs, schema, project = _read(store_or_path, options.doc_ids)
    ready, train_docs, dev_docs = prepare(docs, schema, options)
    plan = ready.plan
    base_name = options.base or default_pipeline_name() or BLANK
    base_nlp = load_pipeline(base_name)
    base = inspect_base(base_name, base_nlp) if base_name != BLANK else inspect_base(BLANK, _blank())
    result = TrainResult(None, base=base_name, ner_labels=sorted(plan.ner),
                         span_labels=sorted(plan.spans), skipped=list(ready.skipped),
                         train_docs=len(train_docs), dev_docs=len(dev_docs),
                         train_words=sum(d.words for d in train_docs))
    if not dev_docs:
        result.notes.append("no dev documents (--dev-fraction 0): scores are on the training "
                            "documents and flatter the model")
    if any(not d.complete for d in train_docs):
        result.notes.append(f"{sum(not d.complete for d in train_docs)} training document(s) not "
                            "marked done: their unlabelled text counted as no span for "
                            + (", ".join(sorted(plan.spans)) or "the span labels"))
    schedule = auto_schedule(result.train_words, options.max_steps, options.seed, options.eval_frequency)
    result.max_steps = schedule.max_steps
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=training_folder_prefix(out, os.getpid()), dir=out.parent))
    try:
        conversion = corpus.Conversion()
        paths = (corpus.write_docbin(corpus.to_spacy_docs(base_nlp, train_docs, plan, conversion),
                                     work / "train.spacy"),
                 corpus.write_docbin(corpus.to_spacy_docs(base_nlp, dev_docs or train_docs, plan,
                                                          corpus.Conversion()), work / "dev.spacy"))
        result.notes.extend(conversion.notes())
        run = Run(total=schedule.max_steps, progress=progress, cancelled=cancelled or (lambda: False))
        with registered(run) as run_id:
            best = _run_spacy(build_config(base, plan, paths, schedule, run_id), work, result)
        result.steps, result.history = min(run.step, schedule.max_steps), run.history
        if best is None:
            result.notes.append(f"cancelled before the first checkpoint: {out} left as it was")
            return result
        result.trusted_labels = trusted(run.best(), plan)
        untrusted = sorted(plan.spans - set(result.trusted_labels))
        if untrusted:
            result.notes.append(f"{', '.join(untrusted)}: dev precision below {TRUSTED_PRECISION}, so "
                                "the model only scores the rules' spans of these labels (adds none)")
        meta = _meta(project, base_name, result)
        result.origin = finish(best, out, meta, plan.spans_key, result.trusted_labels)
        result.model_dir = str(out)
        if not result.cancelled:
            trained_nlp = load_pipeline(str(out))
            result.scores = compare(base_nlp, trained_nlp, schema, dev_docs or train_docs, plan.labels)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        result.seconds = time.perf_counter() - started
    return result


def _blank():
    import spacy

    return spacy.blank("en")


def _run_spacy(config, work: Path, result: TrainResult) -> Path | None:
    """spaCy's own initialisation and loop; the best checkpoint's folder (None: none written)."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from thinc.api import use_ops

    output = work / "output"
    output.mkdir()
    quiet = io.StringIO()
    # numpy's BLAS for the matrix products: 3-5x faster than thinc's default (blis) on the
    # workstations we tried, which halves the training time.
    with use_ops("numpy", use_blis=False):
        nlp = init_nlp(config)
        if "ner" in nlp.pipe_names:
            ner = nlp.get_pipe("ner")
            for label in result.ner_labels:  # a schema label the base NER never had
                if label not in ner.labels:
                    ner.add_label(label)
        try:
            spacy_train(nlp, output, stdout=quiet, stderr=quiet)
        except TrainingCancelled:
            result.cancelled = True
        except KeyboardInterrupt:
            result.cancelled = result.interrupted = True
    best = output / "model-best"
    return best if (best / "config.cfg").is_file() else None


def _meta(project: str, base_name: str, result: TrainResult) -> dict:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", project).strip("_").lower() or "project"
    return {
        "name": f"trained_{slug}",
        "version": time.strftime("%Y%m%d.%H%M%S"),
        "description": f"Trained by News Annotator from the accepted labels of {project} "
                       f"on {Path(base_name).name}",
        "news_training": {"base": base_name, "ner_labels": result.ner_labels,
                          "span_labels": result.span_labels, "trusted_labels": result.trusted_labels,
                          "train_docs": result.train_docs,
                          "dev_docs": result.dev_docs, "cancelled": result.cancelled},
    }


def trusted(best: dict | None, plan: corpus.LabelPlan) -> list[str]:
    """Span labels whose learned spans were precise on the dev documents at the kept checkpoint:
    only these may be added or win over a rule's label (an undertrained model scores junk high)."""
    per_type = ((best or {}).get("per_type") or {}).get(f"spans_{plan.spans_key}_per_type") or {}
    return sorted(lab for lab in plan.spans
                  if per_type.get(lab, {}).get("p", 0.0) >= TRUSTED_PRECISION and per_type[lab].get("r", 0.0) > 0)


def finish(checkpoint: Path, out: Path, meta: dict, spans_key: str, trusted_labels: list[str]) -> str:
    """The checkpoint plus the news components, written to `out` (replacing an earlier model
    only once the new one is complete); returns the model's suggestion origin."""
    import spacy
    from spacy.util import load_config

    from annotator.nlp.models import add_news_components, model_origin

    nlp = spacy.load(checkpoint)
    add_news_components(nlp)
    if "spancat" in nlp.pipe_names:
        nlp.add_pipe("news_learned_spans", before="news_same_as",
                     config={"spans_key": spans_key, "spancat": "spancat", "trusted": trusted_labels})
    nlp.meta.update(meta)
    tmp = out.with_name(f".{out.name}.new-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        nlp.to_disk(tmp)
        finished_config(load_config(tmp / "config.cfg")).to_disk(tmp / "config.cfg")
        _replace(out, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return model_origin(nlp)


def _replace(out: Path, new: Path) -> None:
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def label_counts(store_or_path, labels: Sequence[str] = ()) -> corpus.Readiness:
    """What training would use now (for a dialog before starting): counts per label and what
    is missing, without training."""
    docs, schema, _ = _read(store_or_path, None)
    return corpus.plan_labels(schema, docs, labels)
