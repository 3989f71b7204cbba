"""spaCy layer: pipeline discovery and loading, news components, Doc -> suggestions.

Importing this package registers the news components with spaCy (see `components`). No Qt here.
"""

from annotator.nlp import components  # noqa: F401  (registers the factories)
from annotator.nlp.docdata import SPANS_KEY
from annotator.nlp.models import (
    NO_MODEL_NOTICE,
    PipelineInfo,
    default_pipeline_name,
    discover_pipelines,
    load_pipeline,
    model_origin,
)
from annotator.nlp.suggestions import SuggestedRelation, SuggestedSpan, doc_to_suggestions

__all__ = [
    "NO_MODEL_NOTICE",
    "SPANS_KEY",
    "PipelineInfo",
    "SuggestedRelation",
    "SuggestedSpan",
    "default_pipeline_name",
    "discover_pipelines",
    "doc_to_suggestions",
    "load_pipeline",
    "model_origin",
]
