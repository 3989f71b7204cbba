"""Stage 2 of news_quotes: speech cues ("said", "warned", "according to") that really report speech.

The lexicon (resources/patterns/speech_verbs.jsonl) finds the words; the rules here drop the uses
that say nothing: a participle ("militants accused of ..."), a passive ("was accused"), a negation
("did not say"), a question put to someone ("Asked whether ..."), a purpose or a refusal ("marched
to demand", "refused to say") and a protest ("staged a sit-in, demanding ..."). A cue inside a
quote is the quoted speaker's, not the article's.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from spacy.tokens import Token

from annotator.nlp.context import DocContext
from annotator.nlp.lexicons import PatternSet, load_jsonl, wordset
from annotator.nlp.quotes.nouns import noun_speaker, that_after
from annotator.nlp.quotes.records import Cue
from annotator.nlp.syntax import SPEAKER_PRONOUNS, subject_of

WORDS = "speech_words.jsonl"
PROTEST_WORDS = wordset(WORDS, "protest_words")
NOT_SAYING = wordset(WORDS, "not_saying")
SOCIAL_MEDIA = wordset(WORDS, "channel_social_media")
INANIMATE_THREATENERS = wordset("threat_words.jsonl", "inanimate_threateners")
CHANNELS = (
    ("press release", wordset(WORDS, "channel_press_release")),
    ("interview", wordset(WORDS, "channel_interview")),
    ("speech", wordset(WORDS, "channel_speech")),
)
SOCIAL_CUE_IDS = ("tweet", "post")

MODIFIER_DEPS = ("amod", "acl", "auxpass")  # "militants accused of ...": a participle, no saying
PASSIVE_DEPS = frozenset({"nsubjpass", "auxpass"})
ACTIVE_SUBJECT_DEPS = frozenset({"nsubj", "aux"})
PURPOSE_DEPS = ("advcl", "xcomp")
PROTEST_CUE_DEPS = ("advcl", "acl", "conj")
BE_FORMS = ("was", "were", "been", "being", "be", "is", "are")
QUOTE_REACH = 8  # 'called the seizures "piracy ..."': the quotation opens this close to the cue
CHANNEL_LEAD = 4  # "In a televised address, ...": the channel opens the sentence


class CueIndex:
    """The document's cues in text order, with range and position look-ups."""

    def __init__(self, cues: list[Cue]):
        self.cues = cues
        self.starts = [c.start for c in cues]
        self.at = {c.start: c for c in cues}  # the last of the cues starting at a token

    def __iter__(self):
        return iter(self.cues)

    def __len__(self) -> int:
        return len(self.cues)

    def between(self, lo: int, hi: int) -> list[Cue]:
        """Cues starting in [lo, hi), in order."""
        return self.cues[bisect_left(self.starts, lo) : bisect_left(self.starts, hi)]


class CueFinder:
    """The speech-verb lexicon, compiled once per pipeline."""

    def __init__(self, vocab, patterns: str = "speech_verbs.jsonl"):
        self.patterns = PatternSet(vocab, load_jsonl(patterns))

    def __call__(self, ctx: DocContext) -> CueIndex:
        """Every lexicon match outside quotes that reports speech (see the module docstring); a
        speech noun with its that-clause wins over a verb reading of the same word ("Her remarks
        that ...")."""
        doc = ctx.doc
        cues = []
        for m in self.patterns(doc):
            start, end, row = m.sliced()
            if ctx.in_quote[start] or not _says(ctx, start, end, row):
                continue
            cues.append(Cue(start, end, row, word=doc[start].lower_))
        nouns = {c.start for c in cues if c.content == "noun"}
        if nouns:
            cues = [c for c in cues if c.content == "noun" or c.start not in nouns]
        return CueIndex(cues)


def _says(ctx: DocContext, start: int, end: int, row: dict[str, Any]) -> bool:
    """Whether a lexicon match is a cue that reports speech (by kind: "according to", a speech
    noun, a passive attribution, a verb)."""
    content = row.get("content")
    if content == "sentence":
        return True
    if content == "noun":  # "Sorell's statement that ...": a speaker and a that-clause
        return that_after(ctx, start) is not None and noun_speaker(ctx, start) is not None
    if row.get("needs_quote") and not _quote_follows(ctx, end):
        return False  # "called a meeting" says nothing; 'called the seizures "piracy"' does
    verb = ctx.doc[start + row.get("verb", 0)]
    if row.get("passive"):  # "was quoted as saying", "it was announced by"
        return not (ctx.parsed and any(c.dep_ == "neg" for c in verb.children))
    if ctx.parsed:
        return _reports_speech(verb, row)
    return not _flat_not_speech(ctx, start, end)


def _quote_follows(ctx: DocContext, end: int) -> bool:
    """Whether a quotation opens within a few tokens after the cue, in its sentence."""
    _, s_end = ctx.sents.bounds(end - 1)
    return any(ctx.in_quote[j] for j in range(end, min(s_end, end + QUOTE_REACH)))


def _reports_speech(tok: Token, row: dict[str, Any]) -> bool:
    """Whether a verb cue of a parsed doc says something (the rules of the module docstring)."""
    if not tok.tag_.startswith("VB"):
        return False
    if tok.dep_ in MODIFIER_DEPS and subject_of(tok) is None:
        return False  # "militants accused of ..."
    kids = [(c.dep_, c.lower_) for c in tok.children]
    deps = {d for d, _ in kids}
    if deps & PASSIVE_DEPS:
        return False  # "was accused"
    if "neg" in deps:
        return False  # "It did not say who ...", "declined to comment": nothing was said
    if tok.tag_ == "VBN" and not deps & ACTIVE_SUBJECT_DEPS:
        return False  # "Asked whether ..., Haddad said": the question was put to him
    if _purpose_or_refusal(tok, kids):
        return False  # "marched to demand ...", "refused to say"
    if row.get("infinitive"):
        subj = subject_of(tok)
        if subj is not None and subj.lower_ in INANIMATE_THREATENERS:
            return False  # "the fire threatened to spread": nothing was said
    return not _protest_demand(tok, row)


def _purpose_or_refusal(tok: Token, kids: list[tuple[str, str]]) -> bool:
    """'marched to demand ...' (a purpose), 'refused to say' (a refusal): no speech."""
    return (
        tok.dep_ in PURPOSE_DEPS
        and ("aux", "to") in kids
        and (tok.dep_ == "advcl" or tok.head.lemma_ in NOT_SAYING)
    )


def _protest_demand(tok: Token, row: dict[str, Any]) -> bool:
    """'staged a sit-in, demanding that ...', 'carried banners demanding ...': a protest."""
    if row.get("speech_act") != "demand" or tok.dep_ not in PROTEST_CUE_DEPS:
        return False
    if tok.head.lower_ in PROTEST_WORDS:
        return True
    subj = subject_of(tok)
    return subj is not None and subj.lower_ in PROTEST_WORDS


def _flat_not_speech(ctx: DocContext, start: int, end: int) -> bool:
    """Without a parse: a passive ("was accused") or a participle with its object ("accused of",
    "demanded by") unless a pronoun stands before it."""
    doc = ctx.doc
    prev = doc[start - 1].lower_ if start else ""
    nxt = doc[end].lower_ if end < len(doc) else ""
    return prev in BE_FORMS or (nxt in ("of", "by") and prev not in SPEAKER_PRONOUNS)


def channel_of(ctx: DocContext, cue: Cue) -> str:
    """QUOTE.channel from the words around the cue ("said on X", "told reporters", "in a
    statement"); "" when nothing says."""
    strings = ctx.doc.vocab.strings
    lows = ctx.lowers
    words = {strings[h] for h in lows[max(0, cue.start - 2) : min(len(ctx.doc), cue.end + 4)]}
    s_start, _ = ctx.sents.bounds(cue.start)
    if s_start < cue.start and strings[lows[s_start]] == "in":  # "In a statement, the union said"
        words |= {strings[h] for h in lows[s_start : min(cue.start, s_start + CHANNEL_LEAD)]}
    if (
        cue.row.get("id") in SOCIAL_CUE_IDS
        or words & (SOCIAL_MEDIA - {"social"})
        or ("social" in words and "media" in words)
    ):
        return "social media"
    for channel, channel_words in CHANNELS:
        if words & channel_words:
            return channel
    return ""
