"""Stage 3 of news_quotes: the speaker span of a cue, a headline label or a governing verb.

A speaker is the person's name when its noun phrase holds one ("Amara Velko" in "Norland's Defence
Minister Amara Velko", "Idris Malon" in "Its spokesman, Idris Malon,"), else the noun phrase; the
whole phrase is kept beside it for the role and affiliation attributes. The cue's subject is found
through the parse (inherited along "said ... but added", past a long parenthetical, after a
relative clause the parser hung elsewhere, inverted "said Asif"), or without a parse from the
pronoun or title-case words next to the cue.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from annotator.nlp.context import DocContext
from annotator.nlp.lexicons import wordset
from annotator.nlp.quotes.cues import WORDS
from annotator.nlp.quotes.nouns import noun_speaker
from annotator.nlp.quotes.records import Cue, Quote, Speaker
from annotator.nlp.syntax import (
    ALL_PRONOUNS,
    FINITE_TAGS,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    SPEAKER_PRONOUNS,
    TokenRange,
    ancestors_upto,
    noun_phrase,
    phrase_head,
    shape_phrase,
    subject_of,
)

WHEN_WORDS = wordset(WORDS, "when_words")
DATE_LEAD_WORDS = wordset(WORDS, "date_lead_words")
ADVERBS_BEFORE_CUE = wordset(WORDS, "adverbs_before_cue")
CHANNEL_NOUNS = wordset(WORDS, "channel_nouns")
NOT_SPEAKER_WORDS = wordset(WORDS, "not_speaker_words")
GREETINGS = tuple(sorted(wordset(WORDS, "greetings")))
GREETING_STARTS = frozenset(g.split()[0] for g in GREETINGS)

NAME_LABELS = ("PERSON", "ORG", "NORP", "GPE")
INVERTED_SUBJECT_DEPS = ("dobj", "nsubj", "attr")  # "said Asif", parsed as an object
NOMINAL_POS = ("PROPN", "NOUN", "PRON")
QUANTIFIER_POS = ("NUM", "DET", "ADJ")  # "one of the organisers, Mira Dolan,"
SOURCE_PREPS = ("from", "by", "of")  # "a statement from the army's press office"
MAX_LABEL_TOKENS = 8  # 'Minister to miners:' is a label; a longer clause is not
MAX_FRAGMENT_TOKENS = 12
ARTICLES = ("the", "a", "an")


class SpeakerFinder:
    """Speaker look-ups over one document; a cue's speaker is looked up once."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self._of_cue: dict[int, Speaker | None] = {}  # id(cue) -> speaker

    def of_cue(self, cue: Cue) -> Speaker | None:
        """The speaker of `cue`: the same for every quote the cue may introduce."""
        key = id(cue)
        if key not in self._of_cue:
            found = self._cue_phrase(cue)
            self._of_cue[key] = None if found is None else self.named(found.start, found.end)
        return self._of_cue[key]

    def named(self, s: int, e: int) -> Speaker:
        """The name inside (or in apposition to) the phrase [s, e), with the phrase around it."""
        ctx, doc = self.ctx, self.ctx.doc
        np_e = e
        head = doc[e - 1]
        name = ctx.ents.at(head.i)
        if name is not None and (name.label_ not in NAME_LABELS or name.start < s or name.end > e):
            name = None
        if ctx.parsed:
            appos = self._apposed_name(head)
            if appos is not None:
                name = appos
                np_e = max(np_e, name.end)
        if name is None and head.lower_ in ctx.titles and ctx.parsed:
            name = self._name_after_title(head)  # "Chairman of the Harbour Board Ivo Rask MP, said"
            if name is not None:
                np_e = name.end
        if name is None:
            name = self._name_right_after(s, e)  # "the opposition Civic Union argued"
            if name is not None:
                np_e = name.end
        if name is not None:
            return Speaker(name.start, name.end, s, np_e)
        return Speaker(s, e, s, e)

    def _name_after_title(self, head: Token) -> Span | None:
        """A role noun whose holder is named after its "of" phrase ("Chairman of the Harbour Board
        Ivo Rask MP", the name hung on the board): the last person named there, unless it is a
        possessor, a preposition's object ("a spokesman for Ivo Rask") or inside a clause."""
        doc = self.ctx.doc
        for x in reversed(self.ctx.ents.within(head.i + 1, head.right_edge.i + 1)):
            if x.label_ != "PERSON" or x.root.dep_ == "pobj":
                continue
            if x.end < len(doc) and doc[x.end].lower_ in ("'s", "'", "’s"):
                continue
            if _hung_under(x.root, head):
                return x
        return None

    def _name_right_after(self, s: int, e: int) -> Span | None:
        """A named group or person right after a common noun, no comma between ("the opposition
        Civic Union", parsed as two subjects): the name is the speaker."""
        doc = self.ctx.doc
        if e >= len(doc) or doc[e - 1].pos_ not in ("NOUN",) or doc[e - 1].ent_type_:
            return None
        name = self.ctx.ents.at(e)
        if name is None or name.start != e or name.label_ not in ("ORG", "PERSON", "NORP"):
            return None
        return name

    def _apposed_name(self, head: Token) -> Span | None:
        """'Its spokesman, Idris Malon,': the first apposition that names a person."""
        ents, doc = self.ctx.ents, self.ctx.doc
        for child in head.rights:
            if child.dep_ != "appos":
                continue
            x = ents.at(child.i)
            if x is not None and x.label_ == "PERSON":
                return x
            if child.pos_ == "PROPN" and (head.lower_ in self.ctx.titles or x is not None):
                return x if x is not None else doc[child.left_edge.i : child.i + 1]
        return None

    # --- the phrase a cue names ------------------------------------------------------------------
    def _cue_phrase(self, cue: Cue) -> TokenRange | None:
        """The token range of the cue's speaker phrase, before looking for a name in it (never in
        the dateline: "KORVEL, Vastria (Baltwire) –" files the story, it says nothing)."""
        found = self._cue_phrase_anywhere(cue)
        dl = self.ctx.dateline
        if found is not None and dl is not None and found.start < dl.end and dl.start < found.end:
            return None
        if found is not None and self._not_a_speaker(found):
            return None
        return found

    def _cue_phrase_anywhere(self, cue: Cue) -> TokenRange | None:
        """The speaker phrase by the kind of cue: "according to X", a speech noun's possessor, a
        passive's agent or subject, an active verb's subject."""
        doc = self.ctx.doc
        if cue.content == "sentence":  # "according to X"
            if cue.end >= len(doc):
                return None
            np = _according_np(doc, cue) if self.ctx.parsed else noun_phrase(doc[cue.end])
            return TokenRange(np.start, np.end) if np is not None and len(np) else None
        if cue.content == "noun":  # "Sorell's statement that ..."
            return noun_speaker(self.ctx, cue.start)
        if cue.passive == "agent":  # "It was announced by the ministry that ..."
            return self._agent(cue)
        if self.ctx.parsed:
            if cue.passive == "subject":  # "The regulator was quoted as saying ..."
                subj = next((c for c in doc[cue.verb].children if c.dep_ == "nsubjpass"), None)
                return None if subj is None else TokenRange(*_span_bounds(noun_phrase(subj)))
            return self._parsed_subject(doc[cue.verb])
        return self._flat_subject(cue)

    def _agent(self, cue: Cue) -> TokenRange | None:
        """The noun phrase after "by" that follows a passive cue."""
        doc = self.ctx.doc
        if cue.end + 1 >= len(doc) or doc[cue.end].lower_ != "by":
            return None
        if self.ctx.parsed:
            agent = next((c for c in doc[cue.verb].children if c.dep_ == "agent"), None)
            obj = None if agent is None else next((g for g in agent.children if g.dep_ == "pobj"), None)
            return None if obj is None else TokenRange(*_span_bounds(noun_phrase(obj)))
        j = cue.end + 1
        end = j
        while end < len(doc) and (doc[end].is_title or (end == j and doc[end].lower_ in ARTICLES)):
            end += 1
        return TokenRange(j, end) if end > j else None

    def _not_a_speaker(self, found: TokenRange) -> bool:
        """A greeting or a thing that says nothing ("Good morning", "Photo", "Update")."""
        doc = self.ctx.doc
        first = doc[found.start].lower_
        if first in NOT_SPEAKER_WORDS:
            return True
        if first not in GREETING_STARTS:
            return False
        words = " ".join(t.lower_ for t in doc[found.start : min(found.end, found.start + 3)]) + " "
        return any(words.startswith(g) for g in GREETINGS)

    def _parsed_subject(self, tok: Token) -> TokenRange | None:
        """The cue's active subject (or its stand-in) as a noun phrase."""
        subj = _second_cue_subject(tok) or subject_of(tok)  # "He said X would ... and vowed to ..."
        if subj is None:
            subj = next((c for c in tok.rights if c.dep_ in INVERTED_SUBJECT_DEPS and c.pos_ == "PROPN"), None)
        root = _comma_cue_subject(tok)
        if root is not None:
            subj = root  # "Its spokesman, Anton Reyes, who spent ... that Meridia funds in Tarvonia, said"
        if subj is None:
            subj = _relative_clause_subject(tok)  # "a man who identified himself as ... said"
        if subj is None:
            return None
        if subj.pos_ not in NOMINAL_POS and subj.lower_ not in ALL_PRONOUNS:
            subj = _nominal_subject(tok) or subj  # "Usdaw general secretary Ann Bell added", two subjects
        if subj.pos_ not in NOMINAL_POS and subj.lower_ not in ALL_PRONOUNS:
            # "one of the organisers, Mira Dolan, told": a number or quantifier with a name or an "of"
            if not (subj.pos_ in QUANTIFIER_POS and any(c.dep_ in ("appos", "prep") for c in subj.children)):
                return None
        np = noun_phrase(subj)
        return TokenRange(np.start, np.end)

    def _flat_subject(self, cue: Cue) -> TokenRange | None:
        """No parse: the pronoun or title-case phrase right before the cue, or right after it."""
        doc, titles = self.ctx.doc, self.ctx.titles
        j = _skip_back_to_subject(self.ctx, cue.start - 1)
        if j >= 0:
            t = doc[j]
            if t.lower_ in SPEAKER_PRONOUNS:
                return TokenRange(j, j + 1)
            if t.is_title or t.lower_ in titles:
                np = shape_phrase(doc, j)
                return TokenRange(np.start, np.end)
        j = cue.end
        if j < len(doc) and doc[j].is_title and doc[j].lower_ not in ALL_PRONOUNS:
            end = j + 1
            while end < len(doc) and doc[end].is_title:
                end += 1
            return TokenRange(j, end)
        if j < len(doc) and doc[j].lower_ in SPEAKER_PRONOUNS:
            return TokenRange(j, j + 1)
        return None

    # --- speakers without a cue ---------------------------------------------------------------
    def colon_speaker(self, q: Quote, lo: int) -> Speaker | None:
        """A headline label before a colon: 'Minister to miners: "..."' (no cue in the label)."""
        ctx, doc = self.ctx, self.ctx.doc
        j = q.open_i - 1
        while j > lo and doc[j].is_space:
            j -= 1
        if j <= lo or doc[j].text != ":":
            return None
        lo = max(lo, ctx.sents.bounds(j)[0])
        before = doc[lo:j]
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ in FINITE_TAGS for t in before):
            return self._clause_subject(lo, j)  # 'Its chief executive, Karl Weiss, was blunt:'
        if len(before) > MAX_LABEL_TOKENS:
            return None  # a long clause is no label
        for ent in ctx.ents.within(lo, j):
            if ent.label_ == "PERSON":
                return self.named(ent.start, ent.end)
        if ctx.parsed:
            root = next((t for t in before if not (lo <= t.head.i < j) or t.head.i == t.i), None)
            if root is None or root.pos_ not in ("NOUN", "PROPN"):
                return None
            np = noun_phrase(root)
            return self.named(np.start, np.end)
        first = next((t for t in before if t.is_title or t.lower_ in ctx.titles), None)
        if first is None:
            return None
        np = shape_phrase(doc, first.i)
        return self.named(np.start, min(np.end, j))

    def _clause_subject(self, lo: int, colon: int) -> Speaker | None:
        """A clause with no cue before a colon ('X was blunt: "..."', 'X had a message: "..."'):
        its subject is the speaker when it names a person or group, is a personal pronoun or is
        headed by a role noun ("the leader")."""
        if not self.ctx.parsed:
            return None
        doc = self.ctx.doc
        root = next((t for t in doc[lo:colon] if t.head.i == t.i or not (lo <= t.head.i < colon)), None)
        if root is None or root.pos_ not in ("VERB", "AUX"):
            return None
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        np = noun_phrase(subj)
        named = self.named(np.start, np.end)
        ent = self.ctx.ents.at(named.start)
        if (ent is not None and ent.label_ in NAME_LABELS) or subj.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return named
        if subj.lower_ in self.ctx.titles:  # 'The party's leader went on: "..."'
            return named
        return None

    def subject_speaker(self, q: Quote) -> Speaker | None:
        """A short fragment under a non-speech verb: that verb's named or pronoun subject ('The
        Front gave the government 72 hours ... or face "war"')."""
        if q.end - q.start > MAX_FRAGMENT_TOKENS:
            return None
        root = phrase_head(self.ctx.doc, q.start, q.end)
        for v in ancestors_upto(root, 6):
            if v.pos_ not in ("VERB", "AUX"):
                continue
            subj = subject_of(v, max_up=4)
            if subj is None:
                return None
            ent = self.ctx.ents.at(subj.i)
            if (ent is not None and ent.label_ in NAME_LABELS) or (
                subj.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS or subj.lower_ in self.ctx.titles
            ) or (_after_or(self.ctx.doc, q) and subj.pos_ in ("NOUN", "PROPN")):
                np = noun_phrase(subj)
                return self.named(np.start, np.end)
            return None
        return None


def _hung_under(tok: Token, head: Token) -> bool:
    """Whether `tok` hangs under `head` through nouns only (no verb of a clause between)."""
    for t in ancestors_upto(tok, 8):
        if t.i == head.i:
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
    return False


def _nominal_subject(tok: Token) -> Token | None:
    """The nominal subject nearest before `tok` (the parser may split one subject phrase in two and
    call a leading acronym it does not know an adjective)."""
    return next((c for c in reversed(list(tok.lefts)) if c.dep_ == "nsubj" and c.pos_ in NOMINAL_POS), None)


def _after_or(doc, q: Quote) -> bool:
    """'gave X until Friday to ..., or else "..."': the quote is an ultimatum's consequence, said by
    whoever gave it (a plural or unnamed subject too: "Rail unions")."""
    j = q.open_i - 1
    while j >= 0 and (doc[j].is_space or doc[j].is_punct):
        j -= 1
    return j >= 0 and doc[j].lower_ in ("or", "else", "otherwise")


def _span_bounds(span: Span) -> tuple[int, int]:
    """A span's token bounds."""
    return span.start, span.end


def _skip_back_to_subject(ctx: DocContext, j: int) -> int:
    """Walk left from token j past adverbs, dates and a comma after a name ("Velko on Tuesday
    warned", "..., Lina Dorsay, said"); the token where the subject should be (or -1)."""
    doc = ctx.doc
    while j >= 0:
        low = doc[j].lower_
        if low in ADVERBS_BEFORE_CUE:
            j -= 1
        elif low in WHEN_WORDS or (doc[j].like_num and j > 0 and doc[j - 1].lower_ in WHEN_WORDS):
            j -= 1
            while j >= 0 and doc[j].lower_ in DATE_LEAD_WORDS:
                j -= 1
        elif low == "," and j > 0 and (doc[j - 1].is_title or doc[j - 1].lower_ in ctx.titles):
            j -= 1
        else:
            break
    return j


def _relative_clause_subject(tok: Token) -> Token | None:
    """A subjectless cue right after a relative clause: the clause's noun is the speaker ("a man
    who identified himself as the group's commander said ...", the parser having hung "a man" on
    an earlier phrase)."""
    doc = tok.doc
    if tok.i == 0 or tok.dep_ not in ("ROOT", "conj", "ccomp"):
        return None
    t = doc[tok.i - 1]
    for _ in range(6):
        if t.dep_ in ("relcl", "acl") and t.right_edge.i == tok.i - 1:
            noun = t.head
            return noun if noun.pos_ in ("NOUN", "PROPN") else None
        if t.head.i == t.i or t.head.i >= tok.i:
            return None
        t = t.head
    return None


def _second_cue_subject(tok: Token) -> Token | None:
    """'He said the road would be finished and vowed to ...', with "vowed" hung on the reported
    clause as its conjunct: the subject of the saying verb above that clause."""
    head = tok.head
    if tok.dep_ != "conj" or head.dep_ != "ccomp" or head.head.pos_ != "VERB" or head.i > tok.i:
        return None
    if not any(c.dep_ == "cc" and head.i < c.i < tok.i for c in head.children):
        return None
    return subject_of(head.head)


def _comma_cue_subject(tok: Token) -> Token | None:
    """A cue after a long parenthetical ("X, who ... in Tarvonia, said") that the parser hung on a
    relative clause: the sentence's nominal root before the comma is the speaker."""
    doc = tok.doc
    if tok.dep_ not in ("relcl", "acl", "ccomp", "advcl") or tok.i == 0:
        return None
    j = tok.i - 1
    while j > 0 and doc[j].is_space:
        j -= 1
    if doc[j].text != ",":
        return None
    root = tok
    for _ in range(12):
        if root.head.i == root.i:
            break
        root = root.head
    if root.pos_ in ("NOUN", "PROPN") and root.i < tok.i and root.dep_ == "ROOT":
        return root
    return None


def _according_np(doc, cue: Cue) -> Span | None:
    """'according to X': X, or the source of a channel ("according to a statement from the army's
    press office": the office speaks)."""
    tok = doc[cue.end - 1]
    np = next((noun_phrase(c) for c in tok.children if c.dep_ == "pobj"), None)
    if np is None:
        return noun_phrase(doc[cue.end]) if cue.end < len(doc) else None
    head = np.root if len(np) else None
    if head is not None and head.lower_ in CHANNEL_NOUNS:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in SOURCE_PREPS:
                source = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if source is not None:
                    return noun_phrase(source)
    return np
