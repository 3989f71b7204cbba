"""Stage 5b of news_quotes: reported (indirect) speech, one QUOTE per cue with a speaker and content.

The span follows the gold samples: no "that", no full stop, no date of the saying ('said on
Wednesday (that) ...'), no time adjunct of the saying (', a day after ...'), no second speech verb
('... and urged ...') and no finite verb coordinated with the content's infinitive. A fragment
quoted inside it keeps its closing mark and makes it kind=partial, while a quote that *is* the
clause ('said: "..."', 'and that "..."') stays a direct quote of its own. A headline carries
reported speech only as a full modal clause ('Lisan warns it will shoot down drones'). Speech
inside reported speech ("Kos said the party had asked ...") is part of it, not a quote of its own.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc

from annotator.nlp.context import DocContext
from annotator.nlp.lexicons import wordset
from annotator.nlp.quotes.content import content_of
from annotator.nlp.quotes.cues import WORDS, CueIndex
from annotator.nlp.quotes.records import Cue, Quote, Reported
from annotator.nlp.quotes.speakers import SpeakerFinder
from annotator.nlp.syntax import SENT_END, TokenRange, hashes, token_arrays, trim

SAYING_DATE_LEAD = wordset(WORDS, "saying_date_lead")
ADJUNCT_MARKS = wordset(WORDS, "adjunct_marks")
ADJUNCT_LEAD = wordset(WORDS, "adjunct_lead")

COMPLEMENTIZERS = ("that", "whether")
COORDINATORS = ("and", "but")
HEADLINE_MODALS = ("will", "would", "could", "may", "might", "must", "can", "'ll")
CLOSING_MARKS = ('"', "”", "’", "'", ")")
DATE_LABELS = ("DATE", "TIME")
CONJ_DEPS = frozenset({"conj"})
FINITE_CONJ_TAGS = frozenset({"VBD", "VBZ"})
INFINITIVE_TAGS = frozenset({"VB"})
MAX_ADJUNCT_LEAD = 3
MIN_CONTENT_TOKENS = 2


class ReportedFinder:
    """Reported speech of one document, from its cues (after the direct quotes are attributed)."""

    def __init__(self, ctx: DocContext, cues: CueIndex, speakers: SpeakerFinder):
        self.ctx, self.cues, self.speakers = ctx, cues, speakers
        self._ends: dict[int, bool] = {}  # sentence index -> ends with . ! ?

    def __call__(self, quotes: list[Quote]) -> list[Reported]:
        """The reported speech of every cue; fragments quoted inside it become kind=partial and
        take its speaker when they had none."""
        qstarts = [q.start for q in quotes]
        out: list[Reported] = []
        for c in self.cues:
            if any(r.start < c.start < r.end for r in out):
                continue  # "Kos said the party had asked its members ...": speech inside reported speech
            found = self._one(c, quotes, qstarts)
            if found is not None:
                out.append(found)
        return out

    def _one(self, c: Cue, quotes: list[Quote], qstarts: list[int]) -> Reported | None:
        """The reported speech of one cue, trimmed, or None."""
        ctx, doc = self.ctx, self.ctx.doc
        spk = self.speakers.of_cue(c)
        if spk is None:
            return None
        content = content_of(ctx, c, spk)
        if content is None:
            return None
        start, end = _trim_edges(ctx, content)
        ends = self._sentence_ends(c.start)
        if end - start < MIN_CONTENT_TOKENS or not (ends or _headline_clause(ctx, c, start, end)):
            return None
        start, end = _cut_adjunct(ctx, TokenRange(start, end), headline=not ends)
        if ctx.parsed:
            start, end = _cut_finite_conjunct(doc, start, end)
        start, end = self._cut_second_cue(c, start, end)
        overlapping = _overlapping(quotes, qstarts, start, end)
        inner = [q for q in overlapping if not q.scare]  # a scare-quoted term leaves it indirect
        if inner and inner[0].open_i <= start:
            return None  # 'said: "..."', 'said that "..."': the direct quote is what was said
        start, end, inner = _split_that_quote(doc, start, end, inner)
        if end - start < MIN_CONTENT_TOKENS:
            return None
        if any(ctx.in_quote[i] for i in (start, end - 1)) and not inner and not overlapping:
            return None
        if inner:
            last = inner[-1]
            if last.close_i >= end and last.close_i < len(doc) and last.open_i < end and doc[last.close_i].is_punct:
                end = last.close_i + 1  # 'would be "hunted down and destroyed"': keep the closing mark
        for q in inner:
            q.kind = "partial"  # a fragment quoted inside reported speech
            if q.speaker is None:
                q.speaker, q.cue, q.how = spk, c, "reported"
        return Reported(start, end, c, spk, "partial" if inner else "indirect")

    def _sentence_ends(self, i: int) -> bool:
        """Whether the sentence of token i ends with . ! ? (possibly before a closing mark): a
        headline such as "Minister warns brigade after talks collapse" carries no reported speech."""
        k = self.ctx.sents.index(i)
        if k not in self._ends:
            doc = self.ctx.doc
            _, end = self.ctx.sents.bounds(i)
            j = end - 1
            while j > i and (doc[j].is_space or doc[j].text in CLOSING_MARKS):
                j -= 1
            self._ends[k] = doc[j].text in SENT_END or doc[j].text.endswith((".", "!", "?"))
        return self._ends[k]

    def _cut_second_cue(self, c: Cue, start: int, end: int) -> TokenRange:
        """'said it was ... and urged all parties to ...': a second speech verb coordinated with
        the saying (the parser may hang it on the reported clause) has its own content."""
        doc = self.ctx.doc
        for c2 in self.cues.between(start, end):
            if c2.start <= max(c.start, start + 1) or doc[c2.start - 1].lower_ not in COORDINATORS:
                continue
            t2 = doc[c2.start]
            if not self.ctx.parsed or (t2.dep_ == "conj" and (t2.head.i == c.start or start <= t2.head.i < end)):
                return TokenRange(*trim(doc, start, c2.start - 1))
        return TokenRange(start, end)


def _trim_edges(ctx: DocContext, content: TokenRange) -> TokenRange:
    """Without the date of the saying, a leading "that"/"whether", edge punctuation and the
    sentence's full stop (unless quoted)."""
    doc = ctx.doc
    start, end = trim(doc, *content)
    # "said on Wednesday (that) it would ...": the date belongs to the saying
    if start < end and doc[start].lower_ in SAYING_DATE_LEAD:
        date = ctx.ents.at(start + 1) if doc[start].lower_ == "on" else ctx.ents.at(start)
        if date is not None and date.label_ in DATE_LABELS and date.end < end:
            start = date.end
    if start < end and doc[start].lower_ in COMPLEMENTIZERS:
        start += 1
    start, end = trim(doc, start, end)
    if end - start >= 2 and doc[end - 1].text in SENT_END and not ctx.in_quote[end - 1]:
        start, end = trim(doc, start, end - 1)  # reported speech ends before the full stop
    return TokenRange(start, end)


def _headline_clause(ctx: DocContext, c: Cue, start: int, end: int) -> bool:
    """A headline carries reported speech only as a full clause with a modal right after the cue,
    'Lisan warns it will shoot down drones' (not 'Minister warns brigade after talks collapse'), or
    as the infinitive of a threat cue ('Greens threaten to quit coalition')."""
    if c.row.get("infinitive") and start > 0 and ctx.doc[start - 1].lower_ == "to" and start - 1 >= c.end:
        return True  # 'Vastria threatens to cut river flow': a threat cue's infinitive
    if not ctx.parsed or start != c.end:
        return False
    for t in ctx.doc[start:end]:
        if t.dep_ == "aux" and t.lower_ in HEADLINE_MODALS:
            v = t.head
            return (
                v.head.i == c.start and v.dep_ == "ccomp" and any(x.dep_ in ("nsubj", "nsubjpass") for x in v.children)
            )
    return False


def _cut_adjunct(ctx: DocContext, content: TokenRange, headline: bool) -> TokenRange:
    """Reported content stops before a time adjunct of the saying: "said it would ..., a day after
    an explosion ...", and in a headline "warns it will ... after strike on depot"."""
    doc = ctx.doc
    start, end = content
    marks = hashes(doc, ADJUNCT_MARKS)
    lows = ctx.lowers
    if not any(lows[j] in marks for j in range(start + 2, end)):
        return content
    for j in range(start + 2, end):
        if ctx.in_quote[j]:
            continue
        t = doc[j]
        if t.text == ",":
            k = j + 1
            while k < end and k - j <= MAX_ADJUNCT_LEAD and doc[k].lower_ in ADJUNCT_LEAD:
                k += 1
            if k < end and doc[k].lower_ in ADJUNCT_MARKS and doc[k].lower_ != "as":
                return TokenRange(*trim(doc, start, j))
        elif headline and t.lower_ in ADJUNCT_MARKS and t.pos_ in ("ADP", "SCONJ"):
            return TokenRange(*trim(doc, start, j))
    return content


def _cut_finite_conjunct(doc: Doc, start: int, end: int) -> TokenRange:
    """'called on both sides to exercise restraint and offered to host talks': a finite verb
    coordinated with an infinitive of the content belongs to the main clause."""
    arrays = token_arrays(doc)
    tags, deps, heads = arrays["tag"], arrays["dep"], arrays["head"]
    conj_h, finite, vb_h = hashes(doc, CONJ_DEPS), hashes(doc, FINITE_CONJ_TAGS), hashes(doc, INFINITIVE_TAGS)
    for j in range(start + 2, end):
        if deps[j] in conj_h and tags[j] in finite and start <= heads[j] < j and tags[heads[j]] in vb_h:
            if doc[j - 1].lower_ in COORDINATORS:
                return TokenRange(*trim(doc, start, j - 1))
            break
    return TokenRange(start, end)


def _overlapping(quotes: list[Quote], qstarts: list[int], start: int, end: int) -> list[Quote]:
    """The direct quotes overlapping tokens [start, end), in order."""
    inner = []
    for k in range(max(0, bisect_left(qstarts, start) - 1), len(quotes)):
        q = quotes[k]
        if q.start >= end:
            break
        if min(end, q.end) - max(start, q.start) > 0:
            inner.append(q)
    return inner


def _split_that_quote(doc: Doc, start: int, end: int, inner: list[Quote]) -> tuple[int, int, list[Quote]]:
    """'said X and that "Y"' or 'said X: "Y"': the direct quote Y is a clause of its own; X alone is
    reported (the range ends before "and that" or the colon; the quotes from Y on are no fragments)."""
    for n, q in enumerate(inner):
        j = q.open_i - 1
        while j > start and doc[j].is_space:
            j -= 1
        if j > start and doc[j].text == ":":  # 'said X: "Y"': the quote after the colon is direct
            s, e = trim(doc, start, j)
            return s, e, inner[:n]
        if j > start and doc[j].lower_ == "that":
            k = j - 1
            while k > start and (doc[k].lower_ in ("and", "but", ",") or doc[k].is_space):
                k -= 1
            s, e = trim(doc, start, k + 1)
            return s, e, inner[:n]
    return start, end, inner
