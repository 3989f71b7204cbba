"""The named results the quote stages hand on: a cue, a speaker, a direct quote, reported speech.

Kept apart from the stages that make them, so every stage can read every result without importing
another stage (no import cycles), and a new stage starts from these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass
class Cue:
    """A speech cue: tokens [start, end), its lexicon row, and whether a quote took it as its own
    cue (a used cue's clause is no reported speech without a parse)."""

    start: int
    end: int
    row: dict[str, Any]
    used: bool = False
    word: str = ""  # the cue's (first) word, lower case

    @property
    def content(self) -> str:
        """Where its content is: ``clause`` (default), ``object``, ``sentence``, ``after`` or
        ``noun`` (a speech noun's that-clause: "Sorell's statement that ...")."""
        return self.row.get("content", "clause")

    @property
    def speech_act(self) -> str | None:
        """The QUOTE.speech_act value the cue gives (per word for speech nouns: a "warning" is a
        threat)."""
        return self.row.get("acts", {}).get(self.word) or self.row.get("speech_act")

    @property
    def verb(self) -> int:
        """The token of the saying verb ("quoted" in "was quoted as saying"): the first by default."""
        return self.start + self.row.get("verb", 0)

    @property
    def content_verb(self) -> int:
        """The token whose complement is the content ("saying" in "was quoted as saying")."""
        k = self.row.get("content_verb", self.row.get("verb", 0))
        return self.start + k if k >= 0 else self.end + k

    @property
    def passive(self) -> str:
        """For a passive attribution, where its speaker is: ``subject`` ("X was quoted as saying")
        or ``agent`` ("it was announced by X"); "" for an active cue."""
        return self.row.get("passive", "")


class Speaker(NamedTuple):
    """The speaker span [start, end) and its whole noun phrase [np_start, np_end)."""

    start: int
    end: int
    np_start: int
    np_end: int


@dataclass
class Quote:
    """A direct quote in tokens, and what attribution decided about it (filled in by later
    stages: the cue, the speaker, the kind, and how the speaker was found)."""

    start: int  # content tokens [start, end)
    end: int
    open_i: int  # token of the opening mark
    close_i: int  # token of the closing mark (or end)
    single: bool = False
    group: int = -1
    cue: Cue | None = None
    speaker: Speaker | None = None
    kind: str = "direct"
    how: str = ""  # which rule attributed it (for debugging rules)
    scare: bool = False  # a scare-quoted term ('so-called "peace corridor"'): nobody's words


class Reported(NamedTuple):
    """One reported-speech QUOTE: tokens [start, end), its cue and speaker, and its kind
    (``indirect``, or ``partial`` when a quoted fragment sits inside)."""

    start: int
    end: int
    cue: Cue
    speaker: Speaker
    kind: str
