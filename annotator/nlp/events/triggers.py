"""Stage 1 of news_events: which lexicon matches are event triggers, and of which type.

Each rule in `NOT_AN_EVENT` is one reason a match names no event of its own; they are tried in
order and the first that applies drops the match. `event_type` then settles the type from the
article: a "strike" keeps the sense of the article's previous strike, and clashes in a sentence
about protesters are a PROTEST.
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.events.context import DEFAULT_TYPE, EventContext
from annotator.nlp.lexicons import Match, wordset

WORDS = "event_words.jsonl"
PROTEST_ACTORS = wordset(WORDS, "protest_actors")
STRIKE_WORDS = wordset(WORDS, "strike_words")
JOINT_SUBJECTS = wordset(WORDS, "joint_subjects")

# a threatened act is no event (yet): triggers of these types inside a THREAT span are skipped
# ("or face expulsion", "vowed to attack police stations"); talks or a truce named in a threat are
# still mentions of a real event ("the truce is dead")
ACTION_TYPES = frozenset({"ATTACK", "ARMED_CLASH", "ARREST", "CASUALTIES", "OTHER", "PROTEST"})
CLAUSE_ACL_DEPS = ("acl", "relcl")
OUTCOME_CHILD_DEPS = ("nsubj", "compound", "poss", "prep")
MODIFIER_DEPS = ("compound", "amod")
PARTICIPLE_TAGS = ("VBN", "VBD", "JJ")
PEOPLE_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj")
OBJECT_DEPS = ("dobj", "nsubjpass")
COMPLEMENT_DEPS = ("dobj", "ccomp", "xcomp", "attr")
PLURAL_TAGS = ("NNS", "NNPS")


def _one_token_misuse(ec: EventContext, m: Match, etype: str) -> bool:
    """"ceasefire talks" (one event, named by its head), "riot police" (none), "the ceasefire,
    agreed in March" (the same event as its noun), "said in a statement" (a quote's channel)."""
    if not ec.parsed or m.end - m.start != 1:
        return False
    tok = ec.doc[m.start]
    if tok.dep_ == "compound" and tok.head.i > m.start:
        return True
    if tok.pos_ == "VERB" and tok.dep_ in CLAUSE_ACL_DEPS and ec.trigger_type.get(tok.head.i) == etype:
        return True
    return etype == "STATEMENT" and tok.head.lower_ == "in"


def _inside_name(ec: EventContext, m: Match, etype: str) -> bool:
    """"Peace" in a name, "Doha Agreement" as an ORG (but "Kidnappings" opening a sentence is no
    PERSON)."""
    ents = ec.ctx.ents
    ent = next((ents.at(i) for i in range(m.start, m.end) if ents.at(i) is not None), None)
    return ent is not None and ent.label_ != "EVENT" and not (
        ent.start == m.start and ent.end == m.end == m.start + 1 and ec.ctx.sents.bounds(m.start)[0] == m.start
    )


def _outcome_of_another(ec: EventContext, m: Match, etype: str) -> bool:
    """"talks collapse", "the collapse of the talks": the outcome (failure) of another trigger."""
    if not (ec.parsed and m.row.get("outcome")):
        return False
    tt = ec.trigger_type
    return any(
        c.i in tt or (c.dep_ == "prep" and c.lower_ == "of" and any(g.i in tt for g in c.children))
        for c in ec.doc[m.start].children
        if c.dep_ in OUTCOME_CHILD_DEPS
    )


def _threatened(ec: EventContext, m: Match, etype: str) -> bool:
    """"or face expulsion": an act inside a THREAT is threatened, not done."""
    return etype in ACTION_TYPES and all(ec.in_threat[i] for i in range(m.start, m.end))


def _excluded_compound(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``not_compounds``: "a cabinet meeting" is one body meeting, no talks between sides."""
    words = m.row.get("not_compounds")
    return bool(ec.parsed and words) and any(
        c.dep_ in MODIFIER_DEPS and c.lower_ in words for c in ec.doc[m.start].children
    )


def _the_wounded(ec: EventContext, m: Match, etype: str) -> bool:
    """"the wounded were treated": the people, not the event."""
    if not (ec.parsed and etype == "CASUALTIES" and m.end - m.start == 1 and m.start > 0):
        return False
    tok = ec.doc[m.start]
    return ec.doc[m.start - 1].lower_ == "the" and tok.tag_ in PARTICIPLE_TAGS and tok.dep_ in PEOPLE_DEPS


def _transitive_use(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``intransitive``: "the study demonstrated that ..." is no demonstration."""
    return bool(ec.parsed and m.row.get("intransitive")) and any(
        c.dep_ in COMPLEMENT_DEPS for c in ec.doc[m.start].children
    )


def _wrong_object(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``objects``: "seized two engineers" is an abduction, "seized weapons" is not."""
    objects = m.row.get("objects")
    if not (ec.parsed and objects):
        return False
    return not any(
        c.dep_ in OBJECT_DEPS and (c.lower_ in objects or any(g.dep_ == "conj" and g.lower_ in objects for g in c.children))
        for c in ec.doc[m.start].children
    )


def _one_side(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``subject: "joint"``: "Norland had agreed to participate" -- one side agreeing is
    no agreement."""
    return ec.parsed and m.row.get("subject") == "joint" and not joint_subject(ec.doc[m.start])


NOT_AN_EVENT = (
    _one_token_misuse,
    _inside_name,
    _outcome_of_another,
    _threatened,
    _excluded_compound,
    _the_wounded,
    _transitive_use,
    _wrong_object,
    _one_side,
)


def is_trigger(ec: EventContext, m: Match, etype: str) -> bool:
    """Whether the (sliced) match names an event: none of `NOT_AN_EVENT` applies."""
    return not any(rule(ec, m, etype) for rule in NOT_AN_EVENT)


def joint_subject(tok: Token) -> bool:
    """Whether a verb like "agree" or "meet" has two sides: conjoined or plural subjects ("Veldoria
    and Kabarra agreed", "the two sides agreed to meet"), or a "with" partner."""
    t = tok
    for _ in range(4):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                return True
            if c.dep_ in ("nsubj", "nsubjpass"):
                if any(g.dep_ == "conj" for g in c.children) or c.tag_ in PLURAL_TAGS or c.lower_ in JOINT_SUBJECTS:
                    return True
                before = c.left_edge.i - 1
                # "Veldoria and Kabarra agreed", the first name parsed apart
                return before >= 0 and tok.doc[before].lower_ in ("and", "&")
        if t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
            t = t.head
        else:
            return False
    return False


def event_type(ec: EventContext, m: Match) -> str:
    """The match's type, settled by the article (strike sense, protest context); remembers the
    sense of this strike for the next one."""
    doc = ec.doc
    etype = m.row.get("type", DEFAULT_TYPE)
    low = doc[m.end - 1].lower_
    if low in STRIKE_WORDS and m.end - m.start == 1 and m.row.get("id") == "attack":
        # one sense per article: "the strike" after "a national strike" is the walkout,
        # after "an airstrike" the attack
        if ec.strike_sense:
            etype = ec.strike_sense[-1][1]
    elif etype == "ARMED_CLASH" and _protest_context(ec, m.start):
        etype = "PROTEST"
    if low in STRIKE_WORDS or low.endswith("strike") or low.endswith("strikes"):
        ec.strike_sense.append((m.start, etype))
    return etype


def _protest_context(ec: EventContext, i: int) -> bool:
    """Whether the sentence of token i is about protesters ("clashes" there are a riot)."""
    s, e = ec.ctx.sents.bounds(i)
    return any(t.lower_ in PROTEST_ACTORS for t in ec.doc[s:e])
