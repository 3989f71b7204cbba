"""Stage 1b of news_threats: threats reported (or quoted) as the speaker's own future action.

The lexicon knows threatening words; articles mostly report a threat as a plain action:
"threatened to close its airspace", "vowed to send warships", "warned that it would close the pit
unless ...", "told parliament that the gates would be shut if ...", '"my officers will start
towing the boats away"'. In every QUOTE the quote stage wrote, the candidates are the
to-infinitive a threat cue governs ("threatened to X") and the verbs under a future modal (will,
would, shall, 'll), with the verbs coordinated with them. A candidate is a threat when

* its cue is "threaten" (whatever is threatened is a threat), or
* a negated "hesitate" frames it ("said it would not hesitate to use force": the harm is the
  threat, as under a threat cue), or
* its action is a harm (a row of resources/patterns/threat_modes.jsonl gives it a mode), nothing
  negates it, the speaker's own side acts (the infinitive's understood subject; in reported speech
  a pronoun, a possessive subject "its gunners", or a word of `own_side_nouns`; in a direct quote
  "we", "I", "our army"; the target itself with `target_subject_verbs`, "protesters would face
  arrest"; a passive, "will be fired upon"), and it is conditional (if/unless), under a threat cue
  (warn, vow, ultimatum) or said in a direct quote.

THREAT covers the action from its verb (a passive keeps its "be", "start towing" its aspect verb)
with its objects and phrases, not the condition, a coordinated clause or a time adverbial;
CONDITION is the if/unless clause without its mark; the mode comes from the action (`modes`).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import FIRST_PERSON, TokenRange, has_child, hashes, phrase_head, token_arrays, trim
from annotator.nlp.threats.conditions import if_clause
from annotator.nlp.threats.context import TARGET_LABELS, QuoteRef, ThreatContext
from annotator.nlp.threats.evidence import ADVERBIAL_PREPS, THREAT_MODALS, WORDS
from annotator.nlp.threats.modes import lemma, mode_of
from annotator.nlp.threats.records import Threat

OWN_SIDE_NOUNS = wordset(WORDS, "own_side_nouns")
THREATEN_CUES = wordset(WORDS, "threaten_cues")
ASPECT_VERBS = wordset(WORDS, "aspect_verbs")
TARGET_SUBJECT_VERBS = wordset(WORDS, "target_subject_verbs")
NEGATED_CUES = wordset(WORDS, "negated_cues")

ACTOR_PRONOUNS = frozenset({"we", "i", "it", "they", "he", "she"})
OWN_POSSESSIVES = frozenset({"its", "our", "my", "their", "his", "her"})
FIRST_POSSESSIVES = frozenset({"our", "my"})
AUX_DEPS = frozenset({"aux"})
NEG_DEPS = frozenset({"neg"})
SUBJECT_DEPS = ("nsubj", "nsubjpass")
CUT_DEPS = frozenset({"advcl", "mark", "punct", "cc", "conj", "parataxis", "dep", "nsubj", "nsubjpass", "aux", "neg"})
VERBAL_POS = ("VERB", "AUX")
OWNER_POS = ("NOUN", "PROPN")  # "the federation's accounts"; a pronoun ("its") may be the speaker's own
ROW = {"id": "reported", "kind": "reported"}


def reported_threats(t: ThreatContext) -> list[Threat]:
    """The threats of every QUOTE's future actions (see the module docstring); needs a parse."""
    if not t.parsed:
        return []
    out = []
    for ref, span in t.quotes:
        cue = t.cue_of.get(ref.index, "")
        for verb, infinitive in _candidates(t, span, cue):
            found = _threat(t, ref, cue, verb, infinitive)
            if found is not None:
                out.append(found)
    return out


def _candidates(t: ThreatContext, span: Span, cue: str) -> list[tuple[Token, bool]]:
    """(verb, is the cue's infinitive) of the actions in one quote, in text order."""
    doc = t.doc
    out: list[tuple[Token, bool]] = []
    head = phrase_head(doc, span.start, span.end)
    if _threat_cue(t, cue) and head.pos_ == "VERB" and any(
        g.dep_ == "aux" and g.lower_ == "to" and g.i < span.start for g in head.lefts
    ):
        out.append((head, True))  # "threatened to close ...": the quote starts after "to"
    for i in _modal_heads(t):
        if span.start <= i < span.end:
            tok = doc[i]
            if tok.pos_ in VERBAL_POS and not _copula(tok):
                out.append((tok, False))
    for verb, inf in list(out):
        out.extend(
            (c, inf) for c in verb.rights if c.dep_ == "conj" and c.pos_ == "VERB" and span.start <= c.i < span.end
        )
    return out


def _modal_heads(t: ThreatContext) -> list[int]:
    """The verbs with a future or obligation modal among their auxiliaries, in text order (from
    the LOWER/DEP/HEAD arrays, once per document)."""
    if t.modal_heads is None:
        arrays = token_arrays(t.doc)
        modals, aux = hashes(t.doc, THREAT_MODALS), hashes(t.doc, AUX_DEPS)
        t.modal_heads = sorted(
            {arrays["head"][i] for i, low in enumerate(arrays["lower"]) if low in modals and arrays["dep"][i] in aux}
        )
    return t.modal_heads


def _threat_cue(t: ThreatContext, cue: str) -> bool:
    """Whether a cue ("warned", "issued an ultimatum") holds a threat cue word."""
    return any(w in t.cue_words for w in cue.split())


def _copula(tok: Token) -> bool:
    """'will be on your hands': a form of "be" as the clause's verb says no action."""
    return tok.pos_ == "AUX" and lemma(tok) == "be"


def _threat(t: ThreatContext, ref: QuoteRef, cue: str, verb: Token, infinitive: bool) -> Threat | None:
    """The threat one candidate makes, or None."""
    main = _main_verb(verb)
    resolve = _not_hesitating(verb, main)
    if has_child(main, NEG_DEPS) or (has_child(verb, NEG_DEPS) and not resolve):
        return None  # "we will not attack"
    cond = if_clause(t, verb) or (if_clause(t, main) if main is not verb else None)
    span = action_span(t.doc, main, main) if resolve else action_span(t.doc, verb, main)
    mode = mode_of(main, list(t.doc[span.start : span.end]))
    if cue not in THREATEN_CUES:
        if mode is None:
            return None  # no harm: "their fields will dry out", "the road would be finished"
        if (
            not infinitive
            and lemma(main) not in TARGET_SUBJECT_VERBS
            and not _actor_fits(t, verb, main, ref, cond, cue)
        ):
            return None  # a third party acts ("prices would rise"); a passive needs a threat's frame
        framed = resolve or _threat_cue(t, cue)
        if cond is None and not framed and ref.kind != "direct" and not _aimed_at_someone(t, span, ref):
            return None  # a plan reported, no threat: "said troops would be deployed"
    row = dict(ROW, mode=mode or "")
    return Threat(span, row, main, verb, ref, cond, "reported")


def _aimed_at_someone(t: ThreatContext, span: TokenRange, ref: QuoteRef) -> bool:
    """'said the government would ask the courts to freeze the federation's accounts': a harm
    aimed at a named party (not the speaker's own), or at what a party owns, is a threat even
    without a condition."""
    speaker = t.ann.spans[ref.speaker].text if ref.speaker is not None else ""
    if any(
        e.label_ in TARGET_LABELS and e.text not in speaker and e.text not in t.own_side
        for e in t.ctx.ents.within(span.start, span.end)
    ):
        return True
    return any(
        w.dep_ == "poss" and w.pos_ in OWNER_POS and w.text not in speaker and w.text not in t.own_side
        for w in t.doc[span.start : span.end]
    )


def _main_verb(verb: Token) -> Token:
    """The action of an aspect verb ("will start towing the boats away": towing) or of a negated
    "hesitate" ("would not hesitate to use force": use)."""
    if lemma(verb) in ASPECT_VERBS or (lemma(verb) in NEGATED_CUES and has_child(verb, NEG_DEPS)):
        x = next((c for c in verb.rights if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if x is not None:
            return x
    return verb


def _not_hesitating(verb: Token, main: Token) -> bool:
    """'would not hesitate to use force': the negation is on the resolve, not on the action."""
    return main is not verb and lemma(verb) in NEGATED_CUES and has_child(verb, NEG_DEPS)


def _actor_fits(t: ThreatContext, verb: Token, main: Token, ref: QuoteRef, cond, cue: str) -> bool:
    """Whether the one acting may be the threatener: the speaker's own side; a passive under a
    threat's frame (a condition, a threat cue, a direct quote); with a condition, anyone who does
    something to something ("the dockers would block the terminal if ...", not "the gates would
    close if ...")."""
    if any(c.dep_ == "auxpass" for c in main.children):
        return cond is not None or _threat_cue(t, cue) or ref.kind == "direct"
    if _own_side(t, verb, ref):
        return True
    return cond is not None and ref.kind != "direct" and any(c.dep_ in ("dobj", "prep") for c in main.rights)


def _own_side(t: ThreatContext, verb: Token, ref: QuoteRef) -> bool:
    """Whether the clause's subject is the speaker's side (see the module docstring)."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None:
        return False
    words = {w.lower_ for w in subj.subtree}
    if ref.kind == "direct":
        return subj.lower_ in FIRST_PERSON or bool(words & FIRST_POSSESSIVES)
    return (
        subj.lower_ in ACTOR_PRONOUNS
        or bool({w.lower_ for w in subj.lefts} & OWN_POSSESSIVES)
        or subj.lower_ in OWN_SIDE_NOUNS
        or lemma(subj) in OWN_SIDE_NOUNS
    )


def action_span(doc: Doc, verb: Token, main: Token) -> TokenRange:
    """The threatened action: from the verb (a passive's "be") to the end of its objects and
    phrases, without conditions, coordinated clauses and time adverbials."""
    start = verb.i
    for c in main.lefts:
        if c.dep_ == "auxpass" and c.lower_ in ("be", "been"):
            start = min(start, c.i)
    end = _reach(verb, main) + 1
    return TokenRange(*trim(doc, start, end))


def _purpose(c: Token) -> bool:
    """'send warships to escort its fishing fleet': a purpose infinitive belongs to the action."""
    return c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.lefts) and not any(
        g.dep_ == "mark" for g in c.lefts
    )


def _reach(tok: Token, main: Token, depth: int = 0) -> int:
    """The last token of `tok`'s action phrase (an aspect verb's complement counts in full)."""
    last = tok.i
    for c in tok.rights:
        if c.dep_ in CUT_DEPS and not _purpose(c) or (c.dep_ == "prep" and c.lower_ in ADVERBIAL_PREPS):
            continue
        if c.i == main.i and depth < 2:
            last = max(last, _reach(c, main, depth + 1))
        else:
            last = max(last, c.right_edge.i)
    return last
