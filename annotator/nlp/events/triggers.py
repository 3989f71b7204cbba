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
from annotator.nlp.syntax import hashes

WORDS = "event_words.jsonl"
PROTEST_ACTORS = wordset(WORDS, "protest_actors")
STRIKE_WORDS = wordset(WORDS, "strike_words")
JOINT_SUBJECTS = wordset(WORDS, "joint_subjects")

# a threatened act is no event (yet): triggers of these types inside a THREAT span are skipped
# ("or face expulsion", "vowed to attack police stations"); talks or a truce named in a threat are
# still mentions of a real event ("the truce is dead")
MENTION_TYPES = frozenset({"TALKS", "AGREEMENT_CEASEFIRE", "AGREE", "THREATEN", "STATEMENT"})
# inside a CONDITION only concrete violent or coercive incidents are events ("if a single miner was
# *arrested*"), not what the threatener demands ("unless the troops pull back")
INCIDENT_TYPES = frozenset({"ATTACK", "ARMED_CLASH", "CASUALTIES", "ARREST", "COERCE", "SANCTION", "CRIME", "MOBILIZE"})
CEASEFIRE_WORDS = wordset(WORDS, "ceasefire_words")
LABOUR_WORDS = wordset(WORDS, "labour_words")
AGREEMENT_IDS = ("agreement",)
DEFINITE = ("the", "this", "that")
CLAUSE_ACL_DEPS = ("acl", "relcl")
OUTCOME_CHILD_DEPS = ("nsubj", "compound", "poss", "prep")
MODIFIER_DEPS = ("compound", "amod")
PARTICIPLE_TAGS = ("VBN", "VBD", "JJ")
PEOPLE_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj")
OBJECT_DEPS = ("dobj", "nsubjpass")
COMPLEMENT_DEPS = ("dobj", "ccomp", "xcomp", "attr")
PLURAL_TAGS = ("NNS", "NNPS")
NEAR_REACH = 5
PARTY_LABELS = ("PERSON", "ORG", "GPE", "NORP")


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
    """"or face expulsion": an act inside a THREAT is threatened, not done (a talks or truce
    mention inside one still names a real event: "the truce is dead")."""
    return etype not in MENTION_TYPES and all(ec.in_threat[i] for i in range(m.start, m.end))


def _demanded(ec: EventContext, m: Match, etype: str) -> bool:
    """"unless the troops pull back": inside a CONDITION only a concrete violent or coercive
    incident is an event of its own (and a truce or talks it names: "if the rebels broke the truce")."""
    return etype not in INCIDENT_TYPES | MENTION_TYPES and all(ec.in_condition[i] for i in range(m.start, m.end))


def _a_speech_cue(ec: EventContext, m: Match, etype: str) -> bool:
    """"condemned the attack as ...", "rejected the claim that ...": a speech verb with reported
    content is the QUOTE's cue; without content ("rejected the demand") it is an event."""
    return any(ec.in_cue[i] for i in range(m.start, m.end))


def _missing_context(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``near``: one of its words must stand within a few tokens in the same sentence ("a
    convoy carrying food", "the withdrawal of troops")."""
    words = m.row.get("near")
    if not words:
        return False
    s, e = ec.ctx.sents.bounds(m.start)
    doc = ec.doc
    window = doc[max(s, m.start - NEAR_REACH) : min(e, m.end + NEAR_REACH)]
    return not any(t.lower_ in words for t in window if not (m.start <= t.i < m.end))


def _wrong_subject(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``subjects``: "the tunnel collapsed" is an accident, "the coalition collapsed" is not."""
    words = m.row.get("subjects")
    if not words:
        return False
    tok = ec.doc[m.start]
    if not ec.parsed:
        return not (m.start > 0 and ec.doc[m.start - 1].lower_ in words)
    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    subj += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    if tok.dep_ == "compound":
        subj.append(tok.head)
    subj += [c for c in tok.children if c.dep_ == "compound"]  # "the tunnel collapse"
    return not any(x.lower_ in words or x.lemma_.lower() in words for x in subj)


def _excluded_object(ec: EventContext, m: Match, etype: str) -> bool:
    """A row's ``not_objects``: "dismissed the minister" is no rejection."""
    words = m.row.get("not_objects")
    return bool(ec.parsed and words) and any(
        c.dep_ in OBJECT_DEPS and c.lower_ in words for c in ec.doc[m.start].children
    )


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
        c.dep_ in OBJECT_DEPS
        and (c.lower_ in objects or any(g.dep_ == "conj" and g.lower_ in objects for g in c.children))
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
    _demanded,
    _a_speech_cue,
    _excluded_compound,
    _the_wounded,
    _transitive_use,
    _wrong_object,
    _excluded_object,
    _missing_context,
    _wrong_subject,
    _one_side,
)


def is_trigger(ec: EventContext, m: Match, etype: str) -> bool:
    """Whether the (sliced) match names an event: none of `NOT_AN_EVENT` applies."""
    return not any(rule(ec, m, etype) for rule in NOT_AN_EVENT)


def joint_subject(tok: Token) -> bool:
    """Whether a verb like "agree" or "meet" has two sides: conjoined or plural subjects ("Veldoria
    and Kabarra agreed", "the two sides agreed to meet"), or a "with" partner."""
    t = tok
    if any(c.dep_ == "dobj" and c.ent_type_ in PARTY_LABELS for c in tok.children):
        return True  # "agreed to meet Vesk": the other side is the object
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
        # after "an airstrike" the attack; a first strike in an article about unions is a walkout
        if ec.strike_sense:
            etype = ec.strike_sense[-1][1]
        elif _labour_article(ec):
            etype = "PROTEST"
    elif etype == "ARMED_CLASH" and _protest_context(ec, m.start):
        etype = "PROTEST"
    elif m.row.get("id") in AGREEMENT_IDS and _ceasefire_agreement(ec, m):
        etype = "AGREEMENT_CEASEFIRE"
    if low in STRIKE_WORDS or low.endswith("strike") or low.endswith("strikes"):
        ec.strike_sense.append((m.start, etype))
    return etype


def _ceasefire_agreement(ec: EventContext, m: Match) -> bool:
    """"a ceasefire agreement", "the peace deal", or "the accord" after the article's truce: the
    agreement is the ceasefire (AGREEMENT_CEASEFIRE), else an agreement of another kind (AGREE)."""
    tok = ec.doc[m.start]
    kids = list(tok.children) if ec.parsed else [ec.doc[j] for j in range(max(0, m.start - 2), m.start)]
    if any(c.lower_ in CEASEFIRE_WORDS for c in kids):
        return True
    modified = ec.parsed and any(c.dep_ in MODIFIER_DEPS for c in kids)
    definite = m.start > 0 and ec.doc[m.start - 1].lower_ in DEFINITE
    return 0 <= ec.ceasefire_at < m.start and definite and not modified


def _labour_article(ec: EventContext) -> bool:
    """Whether the article is about unions, workers and pay (its "strike" is a walkout)."""
    if ec.labour is None:
        words = hashes(ec.doc, LABOUR_WORDS)
        ec.labour = any(low in words for low in ec.ctx.lowers)
    return ec.labour


def _protest_context(ec: EventContext, i: int) -> bool:
    """Whether the sentence of token i is about protesters ("clashes" there are a riot)."""
    s, e = ec.ctx.sents.bounds(i)
    return any(t.lower_ in PROTEST_ACTORS for t in ec.doc[s:e])
