"""The named result the threat stages hand on: an accepted threat.

Kept apart from the stages that make it (the lexicon judge, reported speech, ultimatums), so each
of them builds `Threat`s and the merging and writing stages read them without importing a stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Token

from annotator.nlp.syntax import TokenRange
from annotator.nlp.threats.context import QuoteRef


@dataclass
class Threat:
    """An accepted threat: its token range, lexicon row (``mode``, ``id``, ...), head and acting
    verb, the quote it is said in, its condition, the kind of rule that found it (a lexicon
    ``kind``, ``reported`` or ``ultimatum``) and, when that rule knows it, the threatened party."""

    span: TokenRange
    row: dict[str, Any]
    head: Token
    verb: Token | None
    quote: QuoteRef | None
    cond: TokenRange | None
    kind: str
    target: Token | None = None
