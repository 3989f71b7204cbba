"""Stage 5a of news_quotes: the content clause of a speech cue (what was said, reported).

`content_of` tries, in order: "according to X, <sentence>"; the cue's clausal complement ('He said
Pakistan had agreed ...'; before a trailing cue: '..., the minister announced'); a parenthetical
cue ('The army, the ministry said, is ready ...'); a clause before ", <speaker> <cue>" parsed as a
conjunct; a gerund ("denied losing ..."); for ``after`` cues everything after ("called on X to
Y"); an object with an infinitive ("warned the army not to ..."); for ``object`` cues the object
phrase ("accused X of Y"); and the fallbacks for common misparses (a that-clause hung on a channel
noun, a subject parsed as an object). Without a parse: "<speaker> said (that) <content>." or
"<content>, <speaker> said.". The result is raw: `reported` trims it.
"""

from __future__ import annotations

from spacy.tokens import Token

from annotator.nlp.context import DocContext
from annotator.nlp.lexicons import wordset
from annotator.nlp.quotes.cues import WORDS
from annotator.nlp.quotes.nouns import noun_content
from annotator.nlp.quotes.records import Cue, Speaker
from annotator.nlp.syntax import SENT_END, TokenRange, is_finite

NOT_CONTENT_START = wordset(WORDS, "not_content_start")
CHANNEL_NOUNS = wordset(WORDS, "channel_nouns")

VERBAL_POS = ("VERB", "AUX")
OBJECT_DEPS = ("dobj", "dative")
OBJECT_PHRASE_DEPS = ("dobj", "prep", "dative", "xcomp", "attr", "oprd")
COMPLEMENT_DEPS = ("xcomp", "ccomp")
INFINITIVE_DEPS = ("xcomp", "advcl")
NOT_AFTER_DEPS = ("conj", "cc", "punct")
TRAILING_CUE_DEPS = ("conj", "ROOT", "parataxis")
MISPARSED_CLAUSE_DEPS = ("conj", "ccomp", "dep")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
CONTENT_STOPS = ('"', "“", "”", ":", ".", ";")  # no parse: "said on Wednesday that" stops here
NO_CONTENT_AFTER = ('"', "“", ":", ",")  # no parse: 'said: "..."' is a direct quote, not reported
THAT_CLAUSE_STOPS = ('"', "“", ":", ";")
MIN_AFTER_TOKENS = 3
THAT_WINDOW = 12  # tokens between cue and a "that" hung elsewhere
FLAT_THAT_WINDOW = 7


def content_of(ctx: DocContext, cue: Cue, spk: Speaker) -> TokenRange | None:
    """The raw content range of `cue` said by `spk`, or None when the cue reports nothing."""
    if cue.content == "sentence":  # according to X, ...
        return _according_content(ctx, cue, spk)
    if cue.content == "noun":  # Sorell's statement that ...
        return noun_content(ctx, cue.start)
    if cue.content == "colon":  # issued an ultimatum: the troops would ...
        return _after_colon(ctx, cue)
    if ctx.parsed:
        if cue.row.get("infinitive"):
            found = _infinitive(ctx.doc[cue.verb], cue)
            if found is not None:
                return found
        return _parsed_content(ctx, cue, spk)
    if cue.passive == "agent":
        return _flat_that_clause(ctx, spk.np_end)
    return _flat_content(ctx, cue, spk)


def _according_content(ctx: DocContext, cue: Cue, spk: Speaker) -> TokenRange | None:
    """'According to X, <content>' or '<content>, according to X'."""
    s_start, s_end = ctx.sents.bounds(cue.start)
    if spk.np_start > cue.start and spk.np_end < s_end and ctx.doc[spk.np_end].text == ",":
        return TokenRange(spk.np_end + 1, s_end)
    if cue.start > s_start:
        return TokenRange(s_start, cue.start)
    return None


def _parsed_content(ctx: DocContext, cue: Cue, spk: Speaker) -> TokenRange | None:
    """The rules of the module docstring for a parsed doc, in order."""
    doc = ctx.doc
    tok = doc[cue.content_verb]
    s_start, s_end = ctx.sents.bounds(cue.start)
    ccomp = next((c for c in tok.children if c.dep_ == "ccomp" and c.pos_ in VERBAL_POS), None)
    if ccomp is not None:
        return _complement_clause(ctx, cue, spk, ccomp)
    found = _parataxis_content(ctx, tok, cue, spk) or _trailing_cue_content(ctx, tok, cue, spk) or _gerund(tok, cue)
    if found is not None:
        return found
    if cue.content == "after":  # "called on both sides to exercise restraint"
        right = max(
            [doc[cue.end - 1].right_edge.i]
            + [ch.right_edge.i for ch in tok.rights if ch.i >= cue.end and ch.dep_ not in NOT_AFTER_DEPS]
        ) + 1
        return TokenRange(cue.end, min(right, s_end)) if right - cue.end >= MIN_AFTER_TOKENS else None
    found = _object_infinitive(tok, cue)
    if found is not None:
        return found
    if cue.content == "object":
        objs = [ch for ch in tok.rights if ch.dep_ in OBJECT_PHRASE_DEPS]
        if any(ch.dep_ == "dobj" for ch in objs):
            return TokenRange(objs[0].left_edge.i, max(ch.right_edge.i for ch in objs) + 1)
    if cue.content == "clause":
        return _misparsed_clause(ctx, tok, cue, s_end)
    return _that_clause(ctx, cue, s_end)


def _complement_clause(ctx: DocContext, cue: Cue, spk: Speaker, child: Token) -> TokenRange | None:
    """The cue's ccomp: 'He said Pakistan had agreed ...' or, before the cue, '..., the minister
    announced' (up to the speaker; with a subject the parser set apart)."""
    doc = ctx.doc
    s_start, _ = ctx.sents.bounds(cue.start)
    left, right = child.left_edge.i, child.right_edge.i + 1
    if (
        doc[left].lower_ == "that"
        and left - 1 > cue.start
        and doc[left - 1].pos_ == "NOUN"
        and doc[left - 1].dep_ not in OBJECT_DEPS
        and doc[left - 1].lower_ not in CHANNEL_NOUNS
    ):
        # "commented on the narrative that ...": the noun's content ("told the crowd that", "said in a
        # statement that" are fine)
        return None
    if child.i < cue.start:  # "..., the minister announced"
        right = min(right, spk.np_start)
        if left > s_start and not any(t.pos_ in VERBAL_POS for t in doc[s_start:left]):
            left = s_start  # "Militants armed with ... stormed ..., the military said": a subject parsed apart
    return TokenRange(left, right)


def _parataxis_content(ctx: DocContext, tok: Token, cue: Cue, spk: Speaker) -> TokenRange | None:
    """A cue parsed as parataxis: '<content>, he said' (the head before the cue) or 'The army,
    the defence ministry said, is ready to ...' (the whole sentence around the cue)."""
    if tok.dep_ != "parataxis":
        return None
    s_start, s_end = ctx.sents.bounds(cue.start)
    head = tok.head
    if head.i < cue.start and spk.np_start > head.i:
        return TokenRange(head.left_edge.i, spk.np_start)
    first = min(spk.np_start, cue.start)
    if head.i > cue.start and first > s_start:
        doc = ctx.doc
        if doc[first - 1].text == "," and cue.end < s_end and doc[tok.right_edge.i].text == ",":
            return TokenRange(head.left_edge.i, head.right_edge.i + 1)
    return None


def _trailing_cue_content(ctx: DocContext, tok: Token, cue: Cue, spk: Speaker) -> TokenRange | None:
    """'Two guards died ..., the regional governor, Emil Strand, told state television.' parsed as
    a conjunct: what comes before ", <speaker> <cue>" is the content when it holds a clause and
    the cue has nothing but adjuncts and objects after it."""
    doc = ctx.doc
    s_start, _ = ctx.sents.bounds(cue.start)
    first = min(spk.np_start, cue.start)
    if first <= s_start + 2 or doc[first - 1].text != "," or tok.dep_ not in TRAILING_CUE_DEPS:
        return None
    if any(ch.dep_ in COMPLEMENT_DEPS for ch in tok.rights):
        return None
    if cue.content == "object" and any(ch.dep_ == "dobj" for ch in tok.rights):
        return None  # "..., Petrovic accused the party of ...": the object is what was said
    after = doc[cue.end : tok.right_edge.i + 1]
    if any(t.pos_ in VERBAL_POS and is_finite(t) for t in after):
        return None  # more is said after the cue
    content = doc[s_start : first - 1]
    if content[0].tag_ in ("VBG", "VBN") or not any(t.pos_ in VERBAL_POS and is_finite(t) for t in content):
        return None  # "Speaking outside the hospital, Petrovic ...": a participle, no clause
    return TokenRange(s_start, first - 1)


def _infinitive(tok: Token, cue: Cue) -> TokenRange | None:
    """'threatened (on Tuesday) to close the gates ...', 'vowed to arrest ...': the to-infinitive
    after the cue, without "to" (the parser hangs it as xcomp or, after an adjunct, advcl)."""
    for ch in tok.rights:
        if ch.dep_ in INFINITIVE_DEPS and ch.pos_ in VERBAL_POS and ch.i > cue.start:
            to = [g for g in ch.lefts if g.dep_ == "aux" and g.lower_ == "to"]
            if to:
                start = min([ch.i] + [g.left_edge.i for g in ch.lefts if g.i > to[-1].i])
                return TokenRange(start, ch.right_edge.i + 1)
    return None


def _after_colon(ctx: DocContext, cue: Cue) -> TokenRange | None:
    """'issued an ultimatum: <content>': the rest of the sentence after a colon right after the cue."""
    doc = ctx.doc
    _, s_end = ctx.sents.bounds(cue.start)
    j = cue.end
    if j < s_end and doc[j].text == ":" and not (j + 1 < s_end and doc[j + 1].text in ('"', "“")):
        return TokenRange(j + 1, s_end) if s_end - j > MIN_AFTER_TOKENS else None
    return None


def _flat_that_clause(ctx: DocContext, after: int) -> TokenRange | None:
    """No parse: the clause after the first "that" following token `after`, to the sentence end."""
    doc = ctx.doc
    _, s_end = ctx.sents.bounds(after)
    for k in range(after, min(s_end, after + FLAT_THAT_WINDOW)):
        if doc[k].lower_ == "that" and s_end - (k + 1) >= MIN_AFTER_TOKENS:
            return TokenRange(k + 1, s_end)
    return None


def _gerund(tok: Token, cue: Cue) -> TokenRange | None:
    """'denied losing any fighters': a gerund complement after the cue."""
    for ch in tok.rights:
        if ch.dep_ == "xcomp" and ch.tag_ == "VBG" and ch.i > cue.start:
            return TokenRange(ch.left_edge.i, ch.right_edge.i + 1)
    return None


def _object_infinitive(tok: Token, cue: Cue) -> TokenRange | None:
    """'warned the army not to attempt a rescue': an object and a to-infinitive after it."""
    obj = next((ch for ch in tok.rights if ch.dep_ in OBJECT_DEPS and ch.i > cue.start), None)
    after = obj.i if obj is not None else cue.start
    to_verb = next((ch for ch in tok.rights if ch.dep_ in COMPLEMENT_DEPS and ch.i > after), None)
    if obj is not None and to_verb is not None and any(g.dep_ == "aux" and g.lower_ == "to" for g in to_verb.children):
        return TokenRange(obj.left_edge.i, to_verb.right_edge.i + 1)
    return None


def _that_clause(ctx: DocContext, cue: Cue, s_end: int) -> TokenRange | None:
    """'warned in a radio message that any violation would ...': a that-clause the parser hung on
    the channel noun. Only prepositional phrases, adverbs and dates may stand between cue and
    "that"."""
    doc = ctx.doc
    for j in range(cue.end, min(s_end, cue.end + THAT_WINDOW)):
        t = doc[j]
        if t.lower_ == "that":
            v = t.head
            if t.dep_ == "mark" and v.i > j and v.pos_ in VERBAL_POS and is_finite(v):
                return TokenRange(j, v.right_edge.i + 1)
            return None
        if t.pos_ in VERBAL_POS or t.text in THAT_CLAUSE_STOPS or t.text in SENT_END:
            return None
    return None


def _misparsed_clause(ctx: DocContext, tok: Token, cue: Cue, s_end: int) -> TokenRange | None:
    """The complement clause of "said" when the parser took its subject for an object: 'said
    three civilians, including a child, were killed' (civilians = dobj, killed = conj)."""
    found = _that_clause(ctx, cue, s_end)
    if found is not None:
        return found
    d = next((ch for ch in tok.rights if ch.dep_ == "dobj"), None)
    if d is None or d.left_edge.i != cue.end or d.pos_ not in ("NOUN", "PROPN", "NUM", "PRON"):
        return None
    for ch in tok.rights:
        if ch.i <= d.i or ch.dep_ not in MISPARSED_CLAUSE_DEPS or ch.pos_ not in VERBAL_POS:
            continue
        if any(x.dep_ == "cc" and d.i < x.i < ch.i for x in tok.children):
            return None  # "told reporters and left": two verbs of one subject
        if any(x.dep_ in SUBJECT_DEPS for x in ch.children) or not is_finite(ch):
            return None
        return TokenRange(cue.end, min(s_end, ch.right_edge.i + 1))
    return None


def _flat_content(ctx: DocContext, cue: Cue, spk: Speaker) -> TokenRange | None:
    """No parse: "<speaker> said (that) <content>." or "<content>, <speaker> said." (a cue a
    direct quote already took reports nothing more)."""
    if cue.used:
        return None
    doc = ctx.doc
    s_start, s_end = ctx.sents.bounds(cue.start)
    if spk.np_end <= cue.start:
        j = cue.end
        if cue.row.get("infinitive") and j < s_end and doc[j].lower_ == "to":
            return TokenRange(j + 1, s_end) if s_end - j > MIN_AFTER_TOKENS else None  # "vowed to ..."
        for k in range(j, min(s_end, j + FLAT_THAT_WINDOW)):  # "said on Wednesday that ..."
            if doc[k].lower_ == "that":
                j = k + 1
                break
            if doc[k].text in CONTENT_STOPS:
                break
        if j < s_end and (doc[j].text in NO_CONTENT_AFTER or doc[j].lower_ in NOT_CONTENT_START):
            return None
        if s_end - j >= MIN_AFTER_TOKENS:
            return TokenRange(j, s_end)
    if spk.np_start > s_start and doc[spk.np_start - 1].text == ",":
        return TokenRange(s_start, spk.np_start - 1)
    return None
