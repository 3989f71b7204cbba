"""The spaCy training config `annotator train` generates (spaCy's own config system).

On a trained base pipeline (en_core_web_sm and friends) every component is *sourced*: tok2vec,
tagger, parser, attribute_ruler and lemmatizer frozen, the NER fine-tuned from its own weights
when entity labels are trained (frozen otherwise), so a few documents already help. The span
categorizer is new: a small mean-max reducer over the base's frozen tok2vec output (a listener;
tok2vec and tagger are "annotating" so it sees their output while training), candidates from
``news.clause_candidates.v1``. On a blank base a small tok2vec is trained with them.

Defaults keep CPU training to minutes: batches of ~1000 words, at most 400 steps, five
evaluations on the dev documents, the best checkpoint kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.training.corpus import LabelPlan

SOURCEABLE = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")
BLANK_WIDTH = 96


@dataclass(frozen=True)
class BaseInfo:
    """What the base pipeline offers, read from the loaded pipeline."""

    name: str  # package name or folder: what `source` gets
    lang: str = "en"
    components: tuple[str, ...] = ()  # enabled, sourceable, in pipeline order
    tok2vec_width: int | None = None  # output width of its shared tok2vec (None: none)

    @property
    def has(self):
        return set(self.components).__contains__


def inspect_base(name: str, nlp) -> BaseInfo:
    """`nlp`: the base pipeline as `load_pipeline` gives it (disabled components removed)."""
    if "transformer" in nlp.pipe_names:
        raise ValueError(f"{name} is a transformer pipeline; training on it is not supported "
                         "(it needs a GPU to be quick). Use en_core_web_sm, _md or _lg as the base.")
    comps = tuple(n for n in nlp.pipe_names if n in SOURCEABLE)
    width = None
    if "tok2vec" in comps:
        width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    return BaseInfo(name=name, lang=nlp.lang, components=comps, tok2vec_width=width)


@dataclass(frozen=True)
class Schedule:
    max_steps: int = 300
    eval_frequency: int = 50
    patience: int = 150
    batch_words: int = 1000
    dropout: float = 0.1
    learn_rate: float = 0.001
    seed: int = 0


def auto_schedule(train_words: int, max_steps: int | None = None, seed: int = 0,
                  eval_frequency: int | None = None) -> Schedule:
    """About 10 passes over the training words in steps of ~1000 words, at least 60 and at most
    400 steps (500 documents: ~2.5 passes, a few minutes on CPU); five evaluations; stop after
    three without improvement."""
    batch = 1000
    steps = max_steps if max_steps else max(60, min(400, round(10 * train_words / batch)))
    every = eval_frequency or max(5, steps // 4)
    return Schedule(max_steps=steps, eval_frequency=every, patience=3 * every, batch_words=batch,
                    seed=seed)


def _tok2vec(width: int) -> dict:
    return {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                  "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "rows": [5000, 1000, 2500, 2500],
                  "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": 4,
                   "window_size": 1, "maxout_pieces": 3},
    }


def _listener(width: int) -> dict:
    return {"@architectures": "spacy.Tok2VecListener.v1", "width": width, "upstream": "tok2vec"}


def _spancat(plan: LabelPlan, width: int) -> dict:
    return {
        "factory": "spancat",
        "spans_key": plan.spans_key,
        "threshold": 0.5,
        "max_positive": None,
        "model": {
            "@architectures": "spacy.SpanCategorizer.v1",
            "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 64},
            "scorer": {"@layers": "spacy.LinearLogistic.v1", "nO": None, "nI": None},
            "tok2vec": _listener(width),
        },
        "suggester": {"@misc": "news.clause_candidates.v1", "max_ngram": 5, "max_length": 40},
    }


def _ner(width: int) -> dict:
    return {
        "factory": "ner",
        "model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                  "extra_state_tokens": False, "hidden_width": 64, "maxout_pieces": 2,
                  "use_upper": True, "nO": None, "tok2vec": _listener(width)},
    }


def score_weights(plan: LabelPlan) -> dict:
    """Model selection on the trained components only; the frozen ones are not scored."""
    spans = f"spans_{plan.spans_key}"
    weights = {name: None for name in (
        "tag_acc", "pos_acc", "morph_acc", "morph_per_feat", "dep_uas", "dep_las",
        "dep_las_per_type", "sents_p", "sents_r", "sents_f", "lemma_acc", "ents_per_type")}
    weights.update({"ents_f": 1.0 if plan.ner else 0.0, "ents_p": 0.0, "ents_r": 0.0,
                    "speed": 0.0, "spans_sc_f": None, "spans_sc_p": None, "spans_sc_r": None})
    if plan.spans:
        weights.update({f"{spans}_f": 1.0, f"{spans}_p": 0.0, f"{spans}_r": 0.0})
    return weights


def build_config(base: BaseInfo, plan: LabelPlan, corpora: tuple[Path, Path], schedule: Schedule,
                 run_id: str):
    """The training config as a thinc `Config`, ready for `spacy.training.initialize.init_nlp`.
    `corpora`: (train.spacy, dev.spacy); `run_id`: the progress logger's run."""
    from thinc.api import Config

    width = base.tok2vec_width or BLANK_WIDTH
    components: dict[str, dict] = {}
    pipeline: list[str] = []
    frozen: list[str] = []
    if base.tok2vec_width is None:
        components["tok2vec"] = {"factory": "tok2vec", "model": _tok2vec(width)}
        pipeline.append("tok2vec")
    for name in base.components:
        components[name] = {"source": base.name}
        pipeline.append(name)
        if not (name == "ner" and plan.ner):
            frozen.append(name)
    if plan.ner and not base.has("ner"):
        components["ner"] = _ner(width)
        pipeline.append("ner")
    if plan.spans:
        components["spancat"] = _spancat(plan, width)
        pipeline.append("spancat")
    annotating = [n for n in ("tok2vec", "tagger") if n in frozen]
    train_path, dev_path = corpora
    reader = {"@readers": "spacy.Corpus.v1", "gold_preproc": False, "max_length": 0, "limit": 0,
              "augmenter": None}
    init_components = {"spancat": {"labels": sorted(plan.spans)}} if plan.spans else {}
    sourced = bool(base.components)
    return Config({
        "paths": {"train": str(train_path), "dev": str(dev_path), "vectors": None,
                  "init_tok2vec": None},
        "system": {"seed": schedule.seed, "gpu_allocator": None},
        "nlp": {"lang": base.lang, "pipeline": pipeline, "disabled": [], "batch_size": 64,
                "tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}},
        "components": components,
        "corpora": {"train": {**reader, "path": "${paths.train}"},
                    "dev": {**reader, "path": "${paths.dev}"}},
        "training": {
            "seed": schedule.seed, "gpu_allocator": None, "dropout": schedule.dropout,
            "accumulate_gradient": 1, "patience": schedule.patience, "max_epochs": 0,
            "max_steps": schedule.max_steps, "eval_frequency": schedule.eval_frequency,
            "frozen_components": frozen, "annotating_components": annotating,
            "train_corpus": "corpora.train", "dev_corpus": "corpora.dev",
            "before_to_disk": None, "before_update": None,
            "batcher": {"@batchers": "spacy.batch_by_words.v1", "discard_oversize": False,
                        "tolerance": 0.2, "size": schedule.batch_words, "get_length": None},
            "logger": {"@loggers": "news.training_progress.v1", "run": run_id},
            "optimizer": {"@optimizers": "Adam.v1", "beta1": 0.9, "beta2": 0.999,
                          "L2_is_weight_decay": True, "L2": 0.01, "grad_clip": 1.0,
                          "use_averages": True, "eps": 1e-8, "learn_rate": schedule.learn_rate},
            "score_weights": score_weights(plan),
        },
        "initialize": {
            "vectors": None, "init_tok2vec": None, "vocab_data": None, "lookups": None,
            "before_init": ({"@callbacks": "spacy.copy_from_base_model.v1", "tokenizer": base.name,
                             "vocab": base.name} if sourced else None),
            "after_init": None, "components": init_components, "tokenizer": {},
        },
    })


def finished_config(config):
    """The config saved with the trained pipeline: no temporary paths, spaCy's console logger
    (our progress logger belongs to one run), so `spacy train` could take it up again."""
    config["paths"]["train"] = None
    config["paths"]["dev"] = None
    config["training"]["logger"] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}
    return config
