"""Stage 4 of news_quotes: give each direct quote its cue and speaker.

Rules, tried in order for each quote (the first that finds a speaker wins):

1. a cue right after the closing mark ('"...," he said', '"...," said Asif');
2. a cue before it in the same sentence ('Asif said if ..., "the world will ..."', split quotes),
   preferring one the quote depends on in the parse;
3. a cue the quote depends on in the parse ('threatening to "obliterate" them');
4. a headline label before a colon ('Minister to miners: "..."');
5. for a fragment under another verb, that verb's named subject ('X gave ... or face "war"').

Then `propagate` hands speakers on: to the other pieces of a quote running over paragraphs, to a
quote from the next one in its paragraph, and from the previous quote when it opens the paragraph
right after (or follows it closely in the same paragraph with no other person named between, or
opens the sentence right after the previous quote's).
"""

from __future__ import annotations

from spacy.tokens import Doc

from annotator.nlp.context import DocContext
from annotator.nlp.quotes.cues import CueIndex
from annotator.nlp.quotes.records import Cue, Quote
from annotator.nlp.quotes.speakers import SpeakerFinder
from annotator.nlp.syntax import SENT_END, ancestors_upto, phrase_head

PARTIAL_MAX_TOKENS = 3  # a quote of fewer tokens is a fragment ("obliterate")
MAX_CUE_DEPTH = 8  # how far up the parse a governing cue may be
SAME_PARAGRAPH_GAP = 16  # tokens between two quotes of one speaker in one paragraph
DIRECT_BEFORE = (":", ",", ".", "!", "?", "—", "–", "-")  # a mark before the quote opens a direct quote
INTRODUCERS = ("that", "saying")
COORDINATORS = ("and", "but")
LONG_SPEAKER_FACTOR = 3  # a cue after a verbless speaker phrase may stand this many times further


class Attributor:
    """Cue and speaker for each quote of one document (the rules of the module docstring)."""

    def __init__(self, ctx: DocContext, cues: CueIndex, speakers: SpeakerFinder, max_after: int):
        self.ctx, self.cues, self.speakers, self.max_after = ctx, cues, speakers, max_after

    def __call__(self, quotes: list[Quote]) -> None:
        """Attribute every quote, then propagate speakers to the quotes left without one."""
        n = len(self.ctx.doc)
        for k, q in enumerate(quotes):
            if q.scare:
                continue
            prev_close = quotes[k - 1].close_i if k > 0 else -1
            next_open = quotes[k + 1].open_i if k + 1 < len(quotes) else n
            self.attribute(q, prev_close, next_open)
        propagate(self.ctx, [q for q in quotes if not q.scare])

    def attribute(self, q: Quote, prev_close: int, next_open: int) -> None:
        """Rules 1-5 for one quote; `prev_close`/`next_open` bound the search by its neighbours."""
        if self._cue_after(q, next_open) or self._cue_before(q, prev_close) or self._governing_cue(q):
            return
        if q.end - q.start < PARTIAL_MAX_TOKENS:
            q.kind = "partial"
        if not self._headline_label(q, prev_close):
            self._fragment_subject(q)

    def _take(self, q: Quote, cue: Cue, how: str) -> bool:
        """Give `q` the cue and its speaker when the cue has one (never a speaker inside the quote
        itself: '"Tell Minister Roon ...," one striker shouted')."""
        spk = self.speakers.of_cue(cue)
        if spk is None or (q.open_i <= spk.start and spk.end <= q.close_i + 1):
            return False
        q.cue, q.speaker, q.how = cue, spk, how
        return True

    def _cue_after(self, q: Quote, next_open: int) -> bool:
        """Rule 1: a cue within `max_after` tokens after the closing mark, same paragraph, before
        the next quote and before a sentence end (a quote ending with "." takes a cue only when a
        lower-case word follows: '"... here." he said' but not '"... here." The army ...')."""
        doc = self.ctx.doc
        _, p_end = self.ctx.paras.bounds(q.open_i)
        last = doc[q.end - 1].text if q.end > q.start else ""
        lo = q.close_i + 1
        hi = min(next_open, p_end, lo + self.max_after * LONG_SPEAKER_FACTOR)
        first_after = next((t for t in doc[lo:hi] if not t.is_punct and not t.is_space), None)
        if last in SENT_END and not (first_after is not None and first_after.is_lower):
            return False
        for c in self.cues.between(lo, hi):
            if any(t.text in SENT_END for t in doc[lo : c.start]):
                break
            if any(t.lower_ in COORDINATORS for t in doc[lo : c.start]):
                break  # 'rejected it as "pure theatre" and threatened to ...': a clause of its own
            if c.start - lo > self.max_after and not self._only_a_speaker_between(lo, c.start):
                break
            if self._take(q, c, "after"):
                c.used = True
                return True
        return False

    def _only_a_speaker_between(self, lo: int, hi: int) -> bool:
        """'"...," the head of the fishermen's cooperative, Ivo Rask, said': a long speaker phrase
        (nouns, names, commas, no verb) between the quote and its cue."""
        if not self.ctx.parsed:
            return False
        return not any(t.pos_ in ("VERB", "AUX") for t in self.ctx.doc[lo:hi])

    def _cue_before(self, q: Quote, prev_close: int) -> bool:
        """Rule 2: the nearest cue before the quote in its sentence and paragraph (after the
        previous quote); with a parse, cues the quote depends on come first."""
        ctx = self.ctx
        s_start, _ = ctx.sents.bounds(q.open_i)
        p_start, _ = ctx.paras.bounds(q.open_i)
        before = self.cues.between(max(s_start, p_start, prev_close + 1), q.open_i)
        if ctx.parsed and before:
            root = phrase_head(ctx.doc, q.start, q.end)
            anc = {t.i for t in ancestors_upto(root, MAX_CUE_DEPTH)}
            before = [c for c in before if c.start in anc] or before
        for c in reversed(before):
            if self._take(q, c, "before"):
                c.used = True
                q.kind = quote_kind(ctx.doc, q, c)
                return True
        return False

    def _governing_cue(self, q: Quote) -> bool:
        """Rule 3: a cue above the quote in the parse, wherever it stands."""
        if not self.ctx.parsed:
            return False
        root = phrase_head(self.ctx.doc, q.start, q.end)
        for anc in ancestors_upto(root, MAX_CUE_DEPTH):
            c = self.cues.at.get(anc.i)
            if c is not None and self._take(q, c, "governs"):
                q.kind = quote_kind(self.ctx.doc, q, c)
                return True
        return False

    def _headline_label(self, q: Quote, prev_close: int) -> bool:
        """Rule 4: no cue, a label before a colon ('Minister to miners: "..."')."""
        p_start, _ = self.ctx.paras.bounds(q.open_i)
        spk = self.speakers.colon_speaker(q, max(p_start, prev_close + 1))
        if spk is None:
            return False
        q.speaker, q.how, q.kind = spk, "colon", "direct"
        return True

    def _fragment_subject(self, q: Quote) -> None:
        """Rule 5: no cue, a fragment under another verb ('gave X 72 hours ... or face "war"')."""
        if self.ctx.parsed and (q.kind == "partial" or _inline(self.ctx.doc, q)):
            spk = self.speakers.subject_speaker(q)
            if spk is not None:
                q.speaker, q.how, q.kind = spk, "subject", "partial"


def propagate(ctx: DocContext, quotes: list[Quote]) -> None:
    """Quotes without a speaker take the speaker of the other pieces of a quote running over
    paragraphs, of the next quote close after it in the same paragraph, or of the previous quote
    when it opens the paragraph right after (or follows it closely with no other person named
    between); a piece that takes a speaker hands it to the other pieces of its quote."""
    paras = ctx.paras
    by_group: dict[int, list[Quote]] = {}
    for q in quotes:
        if q.group >= 0:
            by_group.setdefault(q.group, []).append(q)
    for pieces in by_group.values():
        source = next((q for q in reversed(pieces) if q.speaker is not None), None)
        if source is not None:
            _continue_group(pieces, source)
    for k in range(len(quotes) - 2, -1, -1):
        q, nxt = quotes[k], quotes[k + 1]
        if q.speaker is None and nxt.speaker is not None and paras.index(q.open_i) == paras.index(nxt.open_i):
            if not q.single and nxt.open_i - q.close_i <= SAME_PARAGRAPH_GAP and not _cue_between(nxt, q.close_i):
                q.speaker, q.how = nxt.speaker, "next"
                _continue_group(by_group.get(q.group, []), q)
    for k in range(1, len(quotes)):
        q, prev = quotes[k], quotes[k - 1]
        if q.speaker is None and prev.speaker is not None and not q.single:
            pk, qk = paras.index(prev.close_i), paras.index(q.open_i)
            if qk - pk == 1 and paras.starts[qk] == q.open_i:
                q.speaker, q.how = prev.speaker, "previous"
            elif qk == pk and q.open_i - prev.close_i <= SAME_PARAGRAPH_GAP and not _other_person_between(ctx, prev, q):
                # '"...," Brenner said in a statement. "Those who ..."': the same speaker
                q.speaker, q.cue, q.how = prev.speaker, prev.cue, "same paragraph"
            elif qk == pk and _opens_next_sentence(ctx, prev, q):
                # 'X told a radio station that Y had a "real chance" on Monday. "If ..."'
                q.speaker, q.cue, q.how = prev.speaker, prev.cue, "next sentence"
            _continue_group(by_group.get(q.group, []), q)


def _continue_group(pieces: list[Quote], source: Quote) -> None:
    """The pieces of one quote (running over paragraphs) without a speaker take `source`'s."""
    if source.speaker is None:
        return
    for q in pieces:
        if q.speaker is None:
            q.speaker, q.cue, q.how = source.speaker, source.cue, "continued"


def _opens_next_sentence(ctx: DocContext, prev: Quote, q: Quote) -> bool:
    """Whether `q` (no cue of its own) opens the sentence right after the one holding `prev`:
    in news style it goes on with the same speaker, whoever else that sentence names."""
    k = ctx.sents.index(q.open_i)
    if k != ctx.sents.index(prev.close_i) + 1 or q.end - q.start < PARTIAL_MAX_TOKENS:
        return False
    s_start = ctx.sents.starts[k]
    return all(t.is_space or t.is_punct for t in ctx.doc[s_start : q.open_i])


def _cue_between(q: Quote, lo: int) -> bool:
    """Whether `q`'s own cue stands after token `lo` and before it ('... tax." X said: "...'): that
    speaker introduces `q`, not the quote before the cue."""
    return q.cue is not None and lo < q.cue.start < q.open_i


def _other_person_between(ctx: DocContext, prev: Quote, q: Quote) -> bool:
    """Whether a PERSON other than `prev`'s speaker is named between the two quotes."""
    spk = prev.speaker
    between = ctx.ents.within(prev.close_i + 1, q.open_i)
    return any(x.label_ == "PERSON" and not (spk.start <= x.start and x.end <= spk.end) for x in between)


def _inline(doc: Doc, q: Quote) -> bool:
    """A quote that opens inside a sentence, right after a word: 'or face "war in every city"'."""
    j = q.open_i - 1
    while j >= 0 and doc[j].is_space and "\n" not in doc[j].text:
        j -= 1
    if j < 0 or "\n" in doc[j].text:
        return False
    prev = doc[j]
    return not prev.is_punct and prev.lower_ not in INTRODUCERS


def quote_kind(doc: Doc, q: Quote, cue: Cue) -> str:
    """QUOTE.kind of a quote with a cue: direct when it opens after the cue, a mark, "that" or a
    new line; partial for a fragment inside the sentence ('threatening to "obliterate" them')."""
    if q.end - q.start < PARTIAL_MAX_TOKENS:
        return "partial"
    j = q.open_i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0 or j == cue.end - 1:
        return "direct"
    prev = doc[j]
    if prev.text in DIRECT_BEFORE or prev.lower_ in INTRODUCERS or "\n" in prev.text:
        return "direct"
    return "partial"
