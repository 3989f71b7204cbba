"""Stage 1 of news_threats: candidate threats from the lexicon (resources/patterns/threats.jsonl).

Every non-cue row that matches is a candidate; so is whatever a ``"complement": "any"`` cue
("threaten") governs, in the lexicon or not: the verb of "threatened to walk out of the talks",
the noun of "threatened them with a fine" (moded by the row's ``mode`` / ``modes`` per noun).
Cue rows (threaten, warn, vow) give the words later stages look for above a candidate.
"""

from __future__ import annotations

from spacy.tokens import Doc

from annotator.nlp.lexicons import Match, PatternSet, load_jsonl, wordset
from annotator.nlp.syntax import subject_of

INANIMATE_THREATENERS = wordset("threat_words.jsonl", "inanimate_threateners")

DEFAULT_COMPLEMENT_MODE = "restrict"
COMPLEMENT_NOUN_POS = ("NOUN", "PROPN")


class ThreatLexicon:
    """The threat lexicon compiled once per pipeline, and its cue words."""

    def __init__(self, vocab, patterns: str = "threats.jsonl"):
        rows = load_jsonl(patterns)
        self.patterns = PatternSet(vocab, rows)
        cue_words: set[str] = set()
        for r in rows:
            if r.get("kind") == "cue":
                for tok in r["pattern"]:
                    cue_words.update(tok.get("LOWER", {}).get("IN", []))
        self.cue_words = frozenset(cue_words)

    def candidates(self, doc: Doc, parsed: bool) -> list[Match]:
        """Candidate threats in lexicon order: the matches of non-cue rows (narrowed to their
        ``span`` slice), then, with a parse, the complements of "any" cues."""
        found = self.patterns(doc)
        matches = [m for m in found if m.row.get("kind") != "cue"]
        if parsed:
            matches.extend(_complements(doc, found, matches))
        return [m.sliced() for m in matches]


def _complements(doc: Doc, found: list[Match], matches: list[Match]) -> list[Match]:
    """Whatever a ``"complement": "any"`` cue governs and no match covers: its xcomp verb, its
    "with" noun."""
    covered = {i for m in matches for i in range(m.start, m.end)}
    out = []
    for m in found:
        if m.row.get("complement") != "any":
            continue
        mode = m.row.get("mode", DEFAULT_COMPLEMENT_MODE)
        subj = subject_of(doc[m.start])
        if subj is not None and subj.lower_ in INANIMATE_THREATENERS:
            continue  # "the fire threatened to spread"
        for c in doc[m.start].children:
            if c.dep_ == "xcomp" and c.pos_ == "VERB" and c.i not in covered:
                out.append(Match(c.i, c.i + 1, {"kind": "verb", "mode": mode, "id": "threaten to"}))
            elif c.dep_ == "prep" and c.lower_ == "with":
                for n in c.children:
                    if n.dep_ == "pobj" and n.pos_ in COMPLEMENT_NOUN_POS and n.i not in covered:
                        noun_mode = m.row.get("modes", {}).get(n.lower_, mode)
                        out.append(Match(n.i, n.i + 1, {"kind": "noun", "mode": noun_mode, "id": "threaten with"}))
    return out

