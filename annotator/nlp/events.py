"""The "news_events" component: event triggers with PARTICIPANT, PLACE and TIME links.

Triggers come from resources/patterns/events.jsonl (each row names an EVENT ``type`` of the
schema). Arguments are entities of the same sentence reached through the parse: compounds and
"between/with/by" phrases of a noun trigger, subject and object of a verb trigger (or of the verb
a noun trigger is the object of: "Pakistan engaged in the peace process"), places after
"in/at/inside/along/near", dates under the trigger or its verb. Without a parse, entities next to
the trigger in the same sentence are used.

Attributes: ``modality`` (negated "without an agreement", hypothetical inside an if-clause or
"any/another attack", future under "will", generic for bare plurals under non-finite verbs,
else asserted) and ``outcome`` (failure when the trigger "collapsed/failed/ended without").

No event: a trigger inside a THREAT (a threatened act has not happened: "or face expulsion"), a
compound modifier ("riot police", "ceasefire talks" is one event named by its head), the outcome
word of another event ("talks collapse", "the collapse of the deal"), "the wounded" as people,
and rows narrowed by ``subject: "joint"``, ``objects``, ``not_compounds`` or ``intransitive``.
Types follow the article: a "strike" keeps the sense of the article's previous strike (walkout or
attack), and clashes in a sentence about protesters are a PROTEST.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.lexicons import PatternSet, load_jsonl
from annotator.nlp.syntax import (
    COND_MARKS,
    FUTURE_MODALS,
    Ents,
    Sentences,
    governing_verb,
    is_parsed,
    phrase_head,
)

PARTICIPANT_LABELS = ("PERSON", "ORG", "GPE", "NORP")
PLACE_LABELS = ("GPE", "LOC", "FAC")
PLACE_PREPS = frozenset({"in", "at", "inside", "along", "near", "across", "on", "outside", "over"})
PARTY_PREPS = frozenset({"between", "with", "by", "among", "from", "of", "against"})
FAIL_WORDS = frozenset({"collapse", "collapsed", "collapses", "fail", "failed", "fails", "deadlocked", "stalled", "ended", "broke"})
HYPOTHETICAL_DETS = frozenset({"any", "another"})
TREND_NOUNS = frozenset({"rise", "increase", "surge", "wave", "spate", "series", "spike", "fall", "decline", "drop"})
HOLDER_VERBS = frozenset(
    {"engage", "participate", "join", "hold", "launch", "carry", "attend", "conduct", "agree", "sign", "negotiate", "stage", "reach"}
)
# a threatened act is no event (yet): triggers of these types inside a THREAT span are skipped
# ("or face expulsion", "vowed to attack police stations"); talks or a truce named in a threat are
# still mentions of a real event ("the truce is dead")
ACTION_TYPES = frozenset({"ATTACK", "ARMED_CLASH", "ARREST", "CASUALTIES", "OTHER", "PROTEST"})
# "clashes" between protesters and police are a riot (ACLED: Protests / Riots), not an armed clash
PROTEST_ACTORS = frozenset(
    {"demonstrators", "protesters", "protestors", "rioters", "marchers", "strikers", "demonstrator", "protester"}
)
STRIKE_WORDS = frozenset({"strike", "strikes", "striking"})
JOINT_SUBJECTS = frozenset({"both", "sides", "parties", "two", "they", "we", "leaders", "delegations", "countries", "neighbours", "neighbors", "rivals", "governments"})


class EventFinder:
    def __init__(self, vocab, patterns: str = "events.jsonl"):
        self.patterns = PatternSet(vocab, load_jsonl(patterns))

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        matches = self.patterns(doc)
        if not matches:
            return doc
        ann = NewsAnnotations(doc)
        parsed = is_parsed(doc)
        sents = Sentences(doc)
        ents = Ents(doc).spans
        ent_at: dict[int, Span] = {}
        for e in ents:
            for i in range(e.start, e.end):
                ent_at[i] = e
        conditions = [s for _, s in ann.of_label("CONDITION")]
        cond_heads = _cond_heads(doc) if parsed else set()
        in_threat = bytearray(len(doc))
        for _, span in ann.of_label("THREAT"):
            for i in range(span.start, span.end):
                in_threat[i] = 1
        taken: set[int] = set()
        trigger_type: dict[int, str] = {}
        for s0, e0, row in matches:
            for i in range(s0, e0):
                trigger_type.setdefault(i, row.get("type", "OTHER"))
        strike_sense: list[tuple[int, str]] = []  # (token, type) of earlier "strike" mentions
        for start, end, row in matches:
            if row.get("span"):
                start, end = _slice(start, end, row["span"])
            if any(i in taken for i in range(start, end)):
                continue
            etype = row.get("type", "OTHER")
            if parsed and end - start == 1:
                tok = doc[start]
                if tok.dep_ == "compound" and tok.head.i > start:
                    continue  # "ceasefire talks": one event, named by its head; "riot police": none
                if tok.pos_ == "VERB" and tok.dep_ in ("acl", "relcl") and trigger_type.get(tok.head.i) == etype:
                    continue  # "the ceasefire, agreed in March": the same event as its noun
                if etype == "STATEMENT" and tok.head.lower_ == "in":
                    continue  # "said in a statement": the channel of a quote, not an event
            ent = next((ent_at[i] for i in range(start, end) if i in ent_at), None)
            if ent is not None and ent.label_ != "EVENT" and not (
                ent.start == start and ent.end == end == start + 1 and sents.bounds(start)[0] == start
            ):
                continue  # "Peace" in a name, "Doha Agreement" as an ORG (but "Kidnappings" opening a sentence is no PERSON)
            if parsed and row.get("outcome") and any(
                c.i in trigger_type or (c.dep_ == "prep" and c.lower_ == "of" and any(g.i in trigger_type for g in c.children))
                for c in doc[start].children
                if c.dep_ in ("nsubj", "compound", "poss", "prep")
            ):
                continue  # "talks collapse": the outcome of the talks (outcome=failure), no event of its own
            if etype in ACTION_TYPES and all(in_threat[i] for i in range(start, end)):
                continue  # "or face expulsion": threatened, not done
            if parsed and row.get("not_compounds") and any(
                c.dep_ in ("compound", "amod") and c.lower_ in row["not_compounds"] for c in doc[start].children
            ):
                continue  # "a cabinet meeting": one body meeting, no talks between sides
            if parsed and etype == "CASUALTIES" and end - start == 1 and start > 0 and doc[start - 1].lower_ == "the" and doc[start].tag_ in ("VBN", "VBD", "JJ") and doc[start].dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
                continue  # "the wounded were treated": the people, not the event
            if parsed and row.get("intransitive") and any(
                c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in doc[start].children
            ):
                continue  # "the study demonstrated that ...": no demonstration
            if parsed and row.get("objects") and not _has_object(doc[start], row["objects"]):
                continue  # "seized two engineers" is an abduction, "seized weapons" is not
            if parsed and row.get("subject") == "joint" and not _joint_subject(doc[start]):
                continue  # "Norland had agreed to participate": one side agreeing is no agreement
            low = doc[end - 1].lower_
            if low in STRIKE_WORDS and end - start == 1 and row.get("id") == "attack":
                # one sense per article: "the strike" after "a national strike" is the walkout,
                # after "an airstrike" the attack
                if strike_sense:
                    etype = strike_sense[-1][1]
            elif etype == "ARMED_CLASH" and _protest_context(doc, sents.bounds(start)):
                etype = "PROTEST"
            if low in STRIKE_WORDS or low.endswith("strike") or low.endswith("strikes"):
                strike_sense.append((start, etype))
            taken.update(range(start, end))
            head = phrase_head(doc, start, end) if parsed else doc[start]
            s, e = start, end
            if parsed:  # "peace talks", "suicide bombing", "terror attack"
                for c in reversed(list(head.lefts)):
                    if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN") and c.i == s - 1 and c.i not in taken and not c.ent_type_:
                        s = c.i
                        taken.add(c.i)
            attrs: dict[str, Any] = {"type": etype}
            attrs["modality"] = _modality(doc, head, parsed, conditions, cond_heads)
            outcome = row.get("outcome") or _outcome(doc, head, parsed)
            if outcome:
                attrs["outcome"] = outcome
            ei = ann.add(s, e, "EVENT", attrs)
            sent = sents.bounds(head.i)
            if parsed:
                args = _args_parsed(doc, head, sent, ent_at)
            else:
                args = _args_flat(doc, s, e, sent, ents)
            for role, ent in args:
                ann.relate(ei, ann.add(ent.start, ent.end, ent.label_ if ent.label_ != "FAC" else "LOC"), role)
        ann.commit()
        return doc


def _joint_subject(tok: Token) -> bool:
    """Whether a verb like "agree" or "meet" has two sides: conjoined or plural subjects ("Veldoria
    and Kabarra agreed", "the two sides agreed to meet"), or a "with" partner."""
    t = tok
    for _ in range(4):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                return True
            if c.dep_ in ("nsubj", "nsubjpass"):
                if any(g.dep_ == "conj" for g in c.children) or c.tag_ in ("NNS", "NNPS") or c.lower_ in JOINT_SUBJECTS:
                    return True
                before = c.left_edge.i - 1
                # "Veldoria and Kabarra agreed", the first name parsed apart
                return before >= 0 and tok.doc[before].lower_ in ("and", "&")
        if t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
            t = t.head
        else:
            return False
    return False


def _has_object(tok: Token, objects) -> bool:
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass") and (c.lower_ in objects or any(g.dep_ == "conj" and g.lower_ in objects for g in c.children)):
            return True
    return False


def _protest_context(doc: Doc, sent: tuple[int, int]) -> bool:
    return any(t.lower_ in PROTEST_ACTORS for t in doc[sent[0] : sent[1]])


def _slice(start: int, end: int, sl) -> tuple[int, int]:
    a, b = sl
    s = start + a if a >= 0 else end + a
    e = end + b if b <= 0 else start + b
    return s, e


def _cond_heads(doc: Doc) -> set[int]:
    """Indices of the verbs that carry an "if"/"unless" mark (found from the LOWER array, so only
    those few tokens are built)."""
    strings = doc.vocab.strings
    marks = {strings[w] for w in COND_MARKS}
    out = set()
    for i, low in enumerate(doc.to_array([LOWER]).tolist()):
        if low in marks:
            t = doc[i]
            if t.dep_ == "mark":
                out.add(t.head.i)
    return out


def _modality(doc: Doc, head: Token, parsed: bool, conditions: list[Span], cond_heads: set[int] | None = None) -> str:
    if any(c.start <= head.i < c.end for c in conditions):
        return "hypothetical"
    if not parsed:
        prev = [t.lower_ for t in doc[max(0, head.i - 3) : head.i]]
        if "without" in prev or "no" in prev:
            return "negated"
        if any(w in prev for w in HYPOTHETICAL_DETS):
            return "hypothetical"
        if any(w in FUTURE_MODALS for w in prev):
            return "future"
        return "asserted"
    kids = [(c.dep_, c.lower_) for c in head.children]
    if head.head.lower_ == "without" or any(d in ("det", "neg") and w in ("no", "not", "never") for d, w in kids):
        return "negated"
    if any(d == "det" and w in HYPOTHETICAL_DETS for d, w in kids):
        return "hypothetical"
    if cond_heads is None:
        cond_heads = _cond_heads(doc)
    if cond_heads:
        t = head
        for _ in range(6):
            if t.i in cond_heads:
                return "hypothetical"
            if t.head.i == t.i:
                break
            t = t.head
    verb = governing_verb(head)
    if verb is not None:
        vkids = kids if verb.i == head.i else [(c.dep_, c.lower_) for c in verb.children]
        if head.pos_ == "VERB" and any(d == "neg" for d, _ in vkids):
            return "negated"
        if any(d == "aux" and w in FUTURE_MODALS for d, w in vkids):
            return "future"
        if head.tag_ == "NNS":
            if not any(d in ("det", "poss", "nummod") for d, _ in kids) and verb.tag_ in ("VB", "VBG"):
                return "generic"
            if (
                head.head.pos_ == "ADP"
                and head.head.head.lower_ in TREND_NOUNS
                and not any(d in ("det", "poss") for d, _ in kids)
            ):
                return "generic"
    return "asserted"


def _outcome(doc: Doc, head: Token, parsed: bool) -> str | None:
    if parsed:
        h = head.head
        if head.dep_ in ("nsubj", "compound") and h.lower_ in FAIL_WORDS:
            if h.lower_ != "ended" or any(c.lower_ == "without" for c in h.children):
                return "failure"
        if head.dep_ == "pobj" and h.lower_ == "of" and h.head.lower_ in ("collapse", "failure", "breakdown"):
            return "failure"
        if head.dep_ == "nsubj" and h.lower_ in ("resulted", "produced", "succeeded"):
            return "success"
        return None
    nxt = [t.lower_ for t in doc[head.i + 1 : head.i + 3]]
    if any(w in FAIL_WORDS for w in nxt):
        return "failure"
    return None


def _ent_of(tok: Token, ent_at: dict[int, Span]) -> Span | None:
    return ent_at.get(tok.i)


def _args_parsed(doc: Doc, head: Token, sent: tuple[int, int], ent_at) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    seen: set[tuple[int, int]] = set()

    def add(role: str, tok: Token) -> None:
        ent = _ent_of(tok, ent_at)
        if ent is None or not (sent[0] <= ent.start < sent[1]):
            return
        label = ent.label_
        if role == "PLACE" and label not in PLACE_LABELS:
            return
        if role == "TIME" and label != "DATE":
            return
        if role == "PARTICIPANT" and label not in PARTICIPANT_LABELS:
            return
        key = (ent.start, ent.end)
        if key in seen:
            return
        seen.add(key)
        out.append((role, ent))
        # conjuncts: "between Pakistan and Afghanistan"
        for c in ent.root.children:
            if c.dep_ == "conj":
                add(role, c)

    def walk_preps(tok: Token, depth: int = 0) -> None:
        for c in tok.children:
            if c.dep_ == "prep":
                low = c.lower_
                for g in c.children:
                    if g.dep_ != "pobj":
                        continue
                    ent = _ent_of(g, ent_at)
                    if ent is not None and ent.label_ == "DATE":
                        add("TIME", g)
                    elif low in PLACE_PREPS and ent is not None and ent.label_ in PLACE_LABELS:
                        add("PLACE", g)
                    elif low in PARTY_PREPS:
                        add("PARTICIPANT", g)
                    if depth < 1:
                        walk_preps(g, depth + 1)
            elif c.dep_ in ("npadvmod", "tmod") or (c.dep_ == "pobj"):
                ent = _ent_of(c, ent_at)
                if ent is not None and ent.label_ == "DATE":
                    add("TIME", c)
            elif c.dep_ in ("acl", "relcl") and depth < 1:  # "the talks, held in Istanbul"
                walk_preps(c, depth + 1)

    # the trigger itself: compounds ("Pakistan-Afghanistan peace talks"), possessives, PPs
    for c in head.children:
        if c.dep_ in ("compound", "poss", "nmod", "amod"):
            ent = _ent_of(c, ent_at)
            if ent is not None:
                if ent.label_ in PARTICIPANT_LABELS:
                    add("PARTICIPANT", c)
                elif ent.label_ == "DATE":
                    add("TIME", c)
                # compounds of compounds: "Pakistan - Afghanistan"
                for g in c.children:
                    if g.dep_ in ("compound", "conj"):
                        add("PARTICIPANT", g)
    walk_preps(head)
    if head.pos_ == "VERB":
        for c in head.children:
            if c.dep_ in ("nsubj", "dobj", "agent"):
                add("PARTICIPANT", c)
    else:
        verb = head.head
        if verb.pos_ == "ADP":
            verb = verb.head
        if verb.i != head.i and verb.pos_ == "VERB":
            if head.dep_ in ("nsubj", "nsubjpass"):  # "talks were held in Doha", "talks collapse in Istanbul"
                walk_preps(verb)
            elif verb.lemma_ in HOLDER_VERBS or verb.head.lemma_ in HOLDER_VERBS:
                v = verb if verb.lemma_ in HOLDER_VERBS else verb.head
                for c in v.children:
                    if c.dep_ == "nsubj":
                        add("PARTICIPANT", c)
    return out


def _args_flat(doc: Doc, s: int, e: int, sent: tuple[int, int], ents: list[Span]) -> list[tuple[str, Span]]:
    out = []
    for ent in ents:
        if not (sent[0] <= ent.start < sent[1]):
            continue
        prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if ent.label_ == "DATE":
            out.append(("TIME", ent))
        elif ent.label_ in PLACE_LABELS and prev in PLACE_PREPS and ent.start >= e and ent.start - e <= 6:
            out.append(("PLACE", ent))
        elif ent.label_ in PARTICIPANT_LABELS and (
            (ent.end <= s and s - ent.end <= 2) or (ent.start >= e and prev in PARTY_PREPS and ent.start - e <= 4)
        ):
            out.append(("PARTICIPANT", ent))
    return out


@Language.factory("news_events", default_config={"patterns": "events.jsonl"})
def make_news_events(nlp: Language, name: str, patterns: str) -> EventFinder:
    return EventFinder(nlp.vocab, patterns=patterns)
