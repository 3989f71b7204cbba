"""Stage 1c of news_threats: ultimatums, a demand with a deadline and a consequence after "or".

* "gave striking miners 48 hours to lift their blockade or *be removed by force*", "gave the
  council until Friday to give his group a seat, or else "*no truck will pass Kellin*"", "X has
  until Friday to ... or ...", "an ultimatum to ... or ...": THREAT is the consequence after "or"
  ("or else"), up to the end of the sentence or of the quotation it opens; CONDITION is
  "<deadline> to <demand>"; SOURCE the giver, TARGET whom the deadline is given;
* a direct quote that orders and threatens ('"Pay up or *the trains stop*"'): THREAT is the
  clause after "or", CONDITION the order before it.

A consequence with a subject of its own ("the trains stop") has no mode: what happens to whom is
not one of the PLOVER modes; a bare verb phrase ("lose their fishing licences") takes its mode
from the action (`modes`).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from annotator.nlp.lexicons import wordset
from annotator.nlp.syntax import SENT_END, TokenRange, hashes, phrase_head, trim
from annotator.nlp.threats.context import ThreatContext
from annotator.nlp.threats.evidence import WORDS
from annotator.nlp.threats.modes import mode_of
from annotator.nlp.threats.records import Threat

GIVE_WORDS = wordset(WORDS, "ultimatum_give")
ORDER_WORDS = wordset(WORDS, "ultimatum_order")
ULTIMATUM_NOUNS = wordset(WORDS, "ultimatum_nouns")
DEADLINE_UNITS = wordset(WORDS, "deadline_units")

HAVE_WORDS = frozenset({"has", "have", "had"})
OR_WORDS = ("or", "otherwise")
SKIP_AFTER_OR = ("else", ",", '"', "“", "'", "‘", "then")
CLOSING_MARKS = ('"', "”", "’")
OPENING_MARKS = ('"', "“", "‘")
CLAUSE_BREAKS = (",", ";", "—", "–")
OBJECT_DEPS = ("dative", "dobj")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
DEADLINE_REACH = 8  # tokens from "gave" to the deadline
MIN_TOKENS = 2
ROW = {"id": "ultimatum", "kind": "ultimatum", "type": "conditional"}


def ultimatum_threats(t: ThreatContext) -> list[Threat]:
    """The threats of the document's ultimatums (see the module docstring)."""
    out = []
    doc = t.doc
    triggers = hashes(doc, GIVE_WORDS | ULTIMATUM_NOUNS | HAVE_WORDS | ORDER_WORDS)
    for i, low in enumerate(t.ctx.lowers):
        if low in triggers:
            found = _deadline_ultimatum(t, doc[i])
            if found is not None:
                out.append(found)
    for ref, span in t.quotes:
        if ref.kind == "direct":
            found = _ordered_or(t, ref, span)
            if found is not None:
                out.append(found)
    return out


def _deadline_ultimatum(t: ThreatContext, trigger: Token) -> Threat | None:
    """'gave X <deadline> to <demand> or <consequence>' from the trigger word."""
    doc = t.doc
    i = trigger.i
    s_start, s_end = t.ctx.sents.bounds(i)
    noun = trigger.lower_ in ULTIMATUM_NOUNS
    order = trigger.lower_ in ORDER_WORDS  # "told protesters to leave by dawn or be arrested": no deadline needed
    if trigger.lower_ in HAVE_WORDS and not (i + 1 < s_end and doc[i + 1].lower_ == "until"):
        return None
    deadline = None if order else i + 1 if trigger.lower_ in HAVE_WORDS else _deadline(t, i, s_end)
    if deadline is None and not (noun or order):
        return None
    to = next((k for k in range(deadline or i + 1, s_end - 1) if doc[k].lower_ == "to" and _verbish(doc[k + 1])), None)
    if to is None:
        return None
    orr = next((k for k in range(to + 2, s_end) if doc[k].lower_ in OR_WORDS), None)
    if orr is None:
        return None
    span = _consequence(t, orr, s_end)
    if span is None:
        return None
    cond_start = deadline if deadline is not None else to + 1
    cond = TokenRange(*trim(doc, cond_start, orr))
    target = _given_to(t, trigger, deadline) if not noun else None
    verb = trigger if (trigger.lower_ in GIVE_WORDS or order) and not noun else None
    found = _make(t, span, cond if cond.end - cond.start >= MIN_TOKENS else None, verb, target)
    if order and not found.row["mode"]:
        return None  # "told the court to free him or keep him": an order's alternative needs a harm
    return found


def _deadline(t: ThreatContext, i: int, s_end: int) -> int | None:
    """The first token of the deadline after the giving verb: "until ...", "48 hours", a date."""
    doc = t.doc
    for k in range(i + 1, min(s_end, i + 1 + DEADLINE_REACH)):
        tok = doc[k]
        if tok.lower_ == "until":
            return k
        if tok.like_num and k + 1 < s_end and doc[k + 1].lower_ in DEADLINE_UNITS:
            return k
        if tok.lower_ in ("a", "an", "one") and k + 1 < s_end and doc[k + 1].lower_ in DEADLINE_UNITS:
            return k
        ent = t.ctx.ents.at(k)
        if ent is not None and ent.label_ in ("DATE", "TIME") and ent.start == k:
            return k
        if tok.lower_ == "to" or tok.text in SENT_END:
            return None
    return None


def _verbish(tok: Token) -> bool:
    """A verb after "to" (without a tagger: anything but a determiner or a name)."""
    if tok.pos_:
        return tok.pos_ in ("VERB", "AUX")
    return tok.is_lower and tok.is_alpha and tok.lower_ not in ("the", "a", "an")


def _consequence(t: ThreatContext, orr: int, s_end: int) -> TokenRange | None:
    """What follows "or" ("or else", a quotation mark), up to the end of the sentence or of the
    quotation it opens."""
    doc = t.doc
    c = orr + 1
    quoted = False
    while c < s_end and (doc[c].lower_ in SKIP_AFTER_OR or doc[c].is_space):
        quoted = quoted or doc[c].text in OPENING_MARKS
        c += 1
    end = c
    while end < s_end and not (end > c and doc[end].text in CLOSING_MARKS) and doc[end].text not in SENT_END:
        if not quoted and doc[end].text in CLAUSE_BREAKS:
            break  # 'or face expulsion, after security services detained ...': the rest is the story
        end += 1
    s, e = trim(doc, c, end)
    return TokenRange(s, e) if e - s >= MIN_TOKENS else None


def _given_to(t: ThreatContext, give: Token, deadline: int | None) -> Token | None:
    """Whom the deadline is given: the verb's object before the deadline ("gave Karsk until ..."),
    or the subject of "X has until ..."."""
    if not t.parsed:
        return None
    if give.lower_ in HAVE_WORDS:
        return next((c for c in give.children if c.dep_ in SUBJECT_DEPS), None)
    limit = deadline if deadline is not None else len(t.doc)
    return next((c for c in give.children if c.dep_ in OBJECT_DEPS and c.i < limit), None)


def _ordered_or(t: ThreatContext, ref, span: Span) -> Threat | None:
    """'"Pay up or the trains stop"', '"Free him, or ..."': an order, "or", a consequence."""
    doc = t.doc
    first = doc[span.start]
    if not (first.tag_ == "VB" or (not first.tag_ and first.is_title and span.start == 0)):
        return None
    orr = next((k for k in range(span.start + 1, span.end - 1) if doc[k].lower_ in OR_WORDS), None)
    if orr is None:
        return None
    found = _consequence(t, orr, span.end)
    if found is None:
        return None
    cond = TokenRange(*trim(doc, span.start, orr))
    return _make(t, found, cond if cond.end > cond.start else None, None, None)


def _make(t: ThreatContext, span: TokenRange, cond, verb: Token | None, target: Token | None) -> Threat:
    """The Threat of a consequence; a clause with its own subject has no mode."""
    doc = t.doc
    head = phrase_head(doc, span.start, span.end) if t.parsed else doc[span.start]
    own_subject = t.parsed and any(c.dep_ in SUBJECT_DEPS and span.start <= c.i for c in head.children)
    mode = "" if own_subject else (mode_of(head, list(doc[span.start : span.end])) or "")
    row = dict(ROW, mode=mode)
    return Threat(span, row, head, verb, t.quote_at[head.i], cond, "ultimatum", target)
