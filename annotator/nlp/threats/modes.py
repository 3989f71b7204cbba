"""THREAT.mode from the threatened action, not from the verb that reports it.

"threatened to close its airspace" is restrict, "vowed to send warships" violence, "warned that
her ministers would resign" relations: the action's verb and the words it governs decide, by the
first row of resources/patterns/threat_modes.jsonl that fits (a verb lemma, and one of the row's
objects among the action's words when the row names objects). A threat no row fits has no mode.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from annotator.nlp.lexicons import load_jsonl

MODES_FILE = "threat_modes.jsonl"
NOT_FOUND = None
OWNER_DEPS = frozenset({"poss", "case"})  # "freeze the federation's accounts": restrict, not relations


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """(mode, verbs, objects) per row, read once."""
    return tuple(
        (str(r.get("mode", "")), frozenset(r.get("verbs", ())), frozenset(r.get("objects", ())))
        for r in load_jsonl(MODES_FILE)
    )


def lemma(tok: Token) -> str:
    """The token's lemma in lower case, or its lower-case form without a lemmatizer."""
    return (tok.lemma_ or tok.lower_).lower()


def mode_of(verb: Token, words: list[Token]) -> str | None:
    """The mode of the action headed by `verb` whose words are `words` (the threat span); "" for
    a threat with no mode (a court case), None when no row fits the action at all."""
    forms = {lemma(verb), verb.lower_}  # the word as written too: the lemmatizer reads "fined" as "fin"
    words = [w for w in words if w.i != verb.i and w.dep_ not in OWNER_DEPS]  # what is hit, not its owner
    found = {lemma(w) for w in words} | {w.lower_ for w in words}
    for mode, verbs, objects in _rows():
        if forms & verbs and (not objects or objects & found):
            return mode
    return NOT_FOUND
