"""The "news_quotes" component: direct and reported speech, its cue and its speaker.

Direct quotes are found from the punctuation (straight and curly marks; a quote left open at the
end of a paragraph continues when the next paragraph opens with a mark). Each quote is attributed
through a speech cue from resources/patterns/speech_verbs.jsonl:

1. a cue right after the closing mark ('"...," he said', '"...," said Asif');
2. a cue before it in the same sentence ('Asif said if ..., "the world will ..."', split quotes);
3. a cue the quote depends on in the parse ('threatening to "obliterate" them');
4. a headline label before a colon ('Minister to miners: "..."');
5. for a fragment under another verb, that verb's named subject ('X gave ... or face "war"');
6. the speaker of the neighbouring quote in the same or the previous paragraph.

Reported speech is the clausal complement of a cue ('He said Pakistan had agreed ...'), the
clause before a trailing cue ('..., the minister announced'), the sentence around a parenthetical
cue ('The army, the ministry said, is ready ...'), or, for cues like "accused", "urged" and
"called on", the cue's object phrase. Fallbacks cover common misparses: a that-clause hung on a
channel noun ('warned in a radio message that ...'), a clause parsed as object and conjunct
('said three civilians ... were killed'), a subject parsed apart ('a man who ... said'). Its
span follows the gold samples: no "that", no full stop, no time adjunct of the saying (', a day
after ...'), no second speech verb ('... and urged ...'); a fragment quoted inside it keeps its
closing mark and makes it kind=partial, while a quote that *is* the clause ('said: "..."', 'and
that "..."') stays a direct quote of its own. A cue must have an active subject and say
something: "militants accused of ...", "did not say", "Asked whether ...", "marched to demand",
"staged a sit-in, demanding ..." and speech inside reported speech are no quotes. The speaker
is the cue's subject (inherited along "said ... but added"; past a long parenthetical: 'X, who
..., said'; a name in apposition: 'one of the organisers, Mira Dolan, told'); a pronoun or a "the
minister" speaker gets a SAME_AS link to the person it most likely refers to.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.lexicons import PatternSet, load_jsonl
from annotator.nlp.syntax import (
    ALL_PRONOUNS,
    Ents,
    doc_text,
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    SENT_END,
    SPEAKER_PRONOUNS,
    THING_PRONOUNS,
    Paragraphs,
    Sentences,
    ancestors_upto,
    is_parsed,
    noun_phrase,
    person_titles,
    shape_phrase,
    subject_of,
    token_arrays,
    trim,
)

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‛"
SINGLE_CLOSE = "’"
DOUBLE_MARKS_RE = re.compile('["' + DOUBLE_OPEN + DOUBLE_CLOSE + "]")
SINGLE_MARKS_RE = re.compile("['‘’]")
OPENER_BEFORE = set(" \t\n([{—–-/:") | {""}
ENTITY_LABELS_PERSON = ("PERSON",)
ENTITY_LABELS_GROUP = ("ORG", "NORP", "GPE")

WHEN_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight "
    "january february march april may june july august september october november december".split()
)
NOT_CONTENT_START = frozenset({"on", "in", "at", "to", "for", "with", "by", "from", "during", "after", "before", "about"})
NAME_LABELS = ("PERSON", "ORG", "NORP", "GPE")
PROTEST_WORDS = frozenset(
    "staged stage stages staging held hold holds holding gathered gather gathering marched march marching "
    "rallied rally rallying protested protest protesting blocked block blocking carried carry carrying "
    "chanted chanting demonstrated demonstrating occupied occupying took banners placards signs waved waving "
    "protesters demonstrators crowd crowds".split()
)
NOT_SAYING = frozenset({"refuse", "decline", "fail", "hesitate", "want", "hope", "plan", "wish", "try", "seek"})
SOCIAL = {"x", "x.", "twitter", "facebook", "instagram", "telegram", "tiktok", "youtube", "social", "tweet", "posted"}


@dataclass
class CharQuote:
    open: int  # index of the opening mark
    start: int  # content start
    end: int  # content end
    close: int  # index of the closing mark (== end when the quote was left open)
    single: bool = False
    group: int = -1  # pieces of one quote running over several paragraphs share a group


def find_quotes(text: str) -> list[CharQuote]:
    """Quotes by punctuation: balanced straight or curly double marks, per paragraph.

    A quote still open at a paragraph's end continues into the next paragraph when that one
    starts with an opening mark (the news convention for multi-paragraph quotes); otherwise it
    ends with the paragraph. Single marks make a quote only at the top level, when they open
    after a space and close before a non-letter, around at least four words.
    """
    quotes: list[CharQuote] = []
    n = len(text)
    pos = 0
    cur_open: int | None = None
    group: int | None = None  # group of the quote being continued
    carry_group: int | None = None
    next_group = 0
    marks = [m.start() for m in DOUBLE_MARKS_RE.finditer(text)]  # only the marks, not every character
    k = 0
    while pos <= n:
        nl = text.find("\n", pos)
        pe = n if nl < 0 else nl
        para_quotes: list[tuple[int, int]] = []
        while k < len(marks) and marks[k] < pos:
            k += 1
        while k < len(marks) and marks[k] < pe:
            i = marks[k]
            k += 1
            ch = text[i]
            if ch in DOUBLE_OPEN:
                role = "open"
            elif ch in DOUBLE_CLOSE:
                role = "close"
            else:
                role = "close" if cur_open is not None else "open"
                if role == "open" and i > pos and not text[i - 1].isspace() and text[i - 1] not in "([{—–-/:":
                    after = text[i + 1] if i + 1 < pe else " "
                    if after.isspace() or after in ".,;:!?)":
                        continue  # a stray closing mark ("...B" c.) opens nothing
            if role == "open":
                if cur_open is not None:  # unbalanced: close what is open
                    quotes.append(_make(text, cur_open, i))
                    group = None
                cur_open = i
                group, carry_group = carry_group, None
            elif cur_open is not None:
                q = _make(text, cur_open, i)
                if group is not None:
                    q.group = group
                quotes.append(q)
                para_quotes.append((cur_open, i))
                cur_open = None
                group = None
        if cur_open is not None:
            # continues if the next paragraph opens with a mark
            nxt = pe + 1
            while nxt < n and text[nxt] in " \t\n":
                nxt += 1
            if nl >= 0 and nxt < n and (text[nxt] == '"' or text[nxt] in DOUBLE_OPEN):
                # this paragraph's piece ends here; the next piece opens at the next mark
                piece = _make(text, cur_open, pe, closed=False)
                if group is None:
                    group = next_group
                    next_group += 1
                piece.group = group
                quotes.append(piece)
                cur_open = None
                carry_group = group
            else:
                q = _make(text, cur_open, pe, closed=False)
                if group is not None:
                    q.group = group
                quotes.append(q)
                cur_open = None
                group = None
        # single-quoted stretches outside double quotes
        quotes.extend(_single_quotes(text, pos, pe, quotes))
        if nl < 0:
            break
        pos = nl + 1
    if cur_open is not None:
        quotes.append(_make(text, cur_open, n, closed=False))
    quotes = [q for q in quotes if q.end > q.start]
    quotes.sort(key=lambda q: q.open)
    return quotes


def _make(text: str, open_i: int, close_i: int, closed: bool = True, single: bool = False) -> CharQuote:
    start, end = open_i + 1, close_i
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return CharQuote(open_i, start, end, close_i, single)


def _single_quotes(text: str, ps: int, pe: int, doubles: list[CharQuote]) -> list[CharQuote]:
    if "'" not in text[ps:pe] and "‘" not in text[ps:pe]:
        return []
    inside = [(q.open, q.close) for q in doubles if q.open < pe and q.close >= ps]
    out = []
    open_i = None
    for m in SINGLE_MARKS_RE.finditer(text, ps, pe):
        i = m.start()
        ch = text[i]
        if any(a <= i <= b for a, b in inside):
            continue
        before = text[i - 1] if i > ps else ""
        after = text[i + 1] if i + 1 < pe else ""
        if open_i is None:
            if ch in "'‘" and (before in OPENER_BEFORE or before.isspace()) and after.isalnum():
                open_i = i
        elif ch in "'’" and (before.isalnum() or before in ".!?,") and not after.isalnum():
            q = _make(text, open_i, i, single=True)
            if len(text[q.start : q.end].split()) >= 4:
                out.append(q)
            open_i = None
    return out


_UNSET: Any = object()


@dataclass
class Cue:
    i: int  # first token
    end: int
    row: dict[str, Any]
    used: bool = False
    spk: Any = _UNSET  # the speaker, once looked up


@dataclass
class Quote:
    start: int  # content tokens [start, end)
    end: int
    open_i: int  # token of the opening mark
    close_i: int  # token of the closing mark (or end)
    single: bool = False
    group: int = -1
    cue: Cue | None = None
    speaker: tuple[int, int] | None = None
    kind: str = "direct"
    how: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class QuoteFinder:
    def __init__(self, vocab, speech_verbs: str = "speech_verbs.jsonl", max_after: int = 6):
        self.cues = PatternSet(vocab, load_jsonl(speech_verbs))
        self.max_after = max_after
        self.titles = person_titles()

    # ------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        ann = NewsAnnotations(doc)
        parsed = is_parsed(doc)
        sents = Sentences(doc)
        paras = Paragraphs(doc)
        idx = doc.to_array([IDX]).tolist()
        ents = Ents(doc)
        quotes = self._token_quotes(doc, idx)
        in_quote = bytearray(len(doc))
        for q in quotes:
            for i in range(q.open_i, min(q.close_i + 1, len(doc))):
                in_quote[i] = 1
        cues = self._cues(doc, parsed, in_quote)
        cue_pos = [c.i for c in cues]

        for k, q in enumerate(quotes):
            self._attribute(doc, q, k, quotes, cues, cue_pos, sents, paras, parsed, ents)
        self._propagate(quotes, paras, ents)
        reported = self._reported(doc, cues, quotes, in_quote, sents, parsed, ents)

        ctx = _Context(doc, ann, parsed, sents, in_quote, self.titles, ents)
        for q in quotes:
            if q.kind == "partial" and any(r[0] <= q.start and q.end <= r[1] for r in reported):
                continue  # a fragment quoted inside reported speech: the reported QUOTE covers it
            qi = ann.add(q.start, q.end, "QUOTE", {"kind": q.kind})
            if q.cue is not None:
                ann.set_attr(qi, "speech_act", q.cue.row.get("speech_act"))
                ann.set_attr(qi, "channel", _channel(doc, q.cue))
                ci = ann.add(q.cue.i, q.cue.end, "CUE")
                ann.relate(qi, ci, "CUE")
            else:
                ann.set_attr(qi, "speech_act", "statement", overwrite=False)
            if q.speaker is not None:
                si = ctx.speaker(*q.speaker)
                ann.relate(qi, si, "SAID_BY")
        for start, end, c, spk, kind in reported:
            qi = ann.add(start, end, "QUOTE", {"kind": kind, "speech_act": c.row.get("speech_act")})
            ann.set_attr(qi, "channel", _channel(doc, c), overwrite=False)
            ann.relate(qi, ann.add(c.i, c.end, "CUE"), "CUE")
            ann.relate(qi, ctx.speaker(*spk), "SAID_BY")
        ctx.resolve()
        ann.commit()
        return doc

    # ------------------------------------------------------------------------------------------
    def _token_quotes(self, doc: Doc, idx: list[int]) -> list[Quote]:
        out = []
        n = len(doc)

        def tok_at(ch: int) -> int:
            return max(0, min(n - 1, bisect_right(idx, ch) - 1))

        text = doc_text(doc)
        for cq in find_quotes(text):
            span = doc.char_span(cq.start, cq.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            start, end = span.start, span.end
            while start < end and doc[start].is_space:
                start += 1
            while end > start and doc[end - 1].is_space:
                end -= 1
            if end <= start:
                continue
            open_i = tok_at(cq.open)
            close_i = tok_at(cq.close) if cq.close < len(text) else n - 1
            out.append(Quote(start, end, open_i, max(close_i, end - 1), single=cq.single, group=cq.group))
        return out

    def _cues(self, doc: Doc, parsed: bool, in_quote: bytearray) -> list[Cue]:
        cues = []
        for start, end, row in self.cues(doc):
            if in_quote[start]:
                continue
            tok = doc[start]
            if row.get("content") != "sentence":
                if parsed:
                    if not tok.tag_.startswith("VB"):
                        continue
                    dep = tok.dep_
                    if dep in ("amod", "acl", "auxpass") and subject_of(tok) is None:
                        continue  # "militants accused of ..."
                    kids = [(c.dep_, c.lower_) for c in tok.children]
                    deps = {d for d, _ in kids}
                    if "nsubjpass" in deps or "auxpass" in deps:
                        continue  # "was accused"
                    if "neg" in deps:
                        continue  # "It did not say who ...", "declined to comment": nothing was said
                    if tok.tag_ == "VBN" and not deps & {"nsubj", "aux"}:
                        continue  # "Asked whether ..., Haddad said": the question was put to him
                    if (
                        dep in ("advcl", "xcomp")
                        and ("aux", "to") in kids
                        and (dep == "advcl" or tok.head.lemma_ in NOT_SAYING)
                    ):
                        continue  # "marched to demand ...", "refused to say": a purpose or a refusal
                    if row.get("speech_act") == "demand" and dep in ("advcl", "acl", "conj") and (
                        tok.head.lower_ in PROTEST_WORDS or (subject_of(tok) is not None and subject_of(tok).lower_ in PROTEST_WORDS)
                    ):
                        continue  # "staged a sit-in, demanding that ...", "carried banners demanding ...": a protest, not speech
                else:
                    prev = doc[start - 1].lower_ if start else ""
                    nxt = doc[end].lower_ if end < len(doc) else ""
                    if prev in ("was", "were", "been", "being", "be", "is", "are") or (
                        nxt in ("of", "by") and prev not in SPEAKER_PRONOUNS
                    ):
                        continue
            cues.append(Cue(start, end, row))
        return cues

    # ------------------------------------------------------------------------------------------
    def _attribute(self, doc, q: Quote, k, quotes, cues, cue_pos, sents, paras, parsed, ents) -> None:
        n = len(doc)
        p_start, p_end = paras.bounds(q.open_i)
        next_open = quotes[k + 1].open_i if k + 1 < len(quotes) else n
        prev_close = quotes[k - 1].close_i if k > 0 else -1
        last = doc[q.end - 1].text if q.end > q.start else ""
        # 1. a cue right after the closing mark
        after_lo, after_hi = q.close_i + 1, min(next_open, p_end, q.close_i + 1 + self.max_after)
        first_after = next((t for t in doc[after_lo:after_hi] if not t.is_punct and not t.is_space), None)
        after_ok = last not in SENT_END or (first_after is not None and first_after.is_lower)
        if after_ok:
            for c in cues[bisect_left(cue_pos, after_lo) : bisect_left(cue_pos, after_hi)]:
                if any(t.text in SENT_END for t in doc[after_lo : c.i]):
                    break
                spk = self._speaker(doc, c, parsed, ents)
                if spk is not None:
                    q.cue, q.speaker, q.how = c, spk, "after"
                    c.used = True
                    return
        # 2. a cue before the quote in the same sentence (and paragraph)
        s_start, _ = sents.bounds(q.open_i)
        lo = max(s_start, p_start, prev_close + 1)
        before = cues[bisect_left(cue_pos, lo) : bisect_left(cue_pos, q.open_i)]
        if parsed and before:
            root = _root_of(doc, q)
            anc = {t.i for t in ancestors_upto(root, 8)}
            governing = [c for c in before if c.i in anc]
            before = governing or before
        for c in reversed(before):
            spk = self._speaker(doc, c, parsed, ents)
            if spk is not None:
                q.cue, q.speaker, q.how = c, spk, "before"
                c.used = True
                q.kind = _kind(doc, q, c)
                return
        # 3. a cue the quote depends on
        if parsed:
            root = _root_of(doc, q)
            cue_at = {c.i: c for c in cues}
            for anc in ancestors_upto(root, 8):
                c = cue_at.get(anc.i)
                if c is not None:
                    spk = self._speaker(doc, c, parsed, ents)
                    if spk is not None:
                        q.cue, q.speaker, q.how = c, spk, "governs"
                        q.kind = _kind(doc, q, c)
                        return
        if q.end - q.start < 3:
            q.kind = "partial"
        # 4. no cue: a headline 'Minister to miners: "..."'
        spk = self._colon_speaker(doc, q, max(p_start, prev_close + 1), sents, parsed, ents)
        if spk is not None:
            q.speaker, q.how, q.kind = spk, "colon", "direct"
            return
        # 5. no cue: a fragment under another verb ('gave X 72 hours ... or face "war"'): its subject
        if parsed and (q.kind == "partial" or _inline(doc, q)):
            spk = self._subject_speaker(doc, q, ents)
            if spk is not None:
                q.speaker, q.how, q.kind = spk, "subject", "partial"

    def _colon_speaker(self, doc: Doc, q: Quote, lo: int, sents: Sentences, parsed: bool, ents: Ents):
        j = q.open_i - 1
        while j > lo and doc[j].is_space:
            j -= 1
        if j <= lo or doc[j].text != ":":
            return None
        lo = max(lo, sents.bounds(j)[0])
        before = doc[lo:j]
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ in FINITE_TAGS for t in before) or len(before) > 8:
            return None  # 'The ministry said in a statement:' has a cue; a long clause is no label
        for ent in ents.within(lo, j):
            if ent.label_ == "PERSON":
                return self._named(doc, ent.start, ent.end, parsed, ents)
        if parsed:
            root = next((t for t in before if not (lo <= t.head.i < j) or t.head.i == t.i), None)
            if root is None or root.pos_ not in ("NOUN", "PROPN"):
                return None
            np = noun_phrase(root)
            return self._named(doc, np.start, np.end, parsed, ents)
        first = next((t for t in before if t.is_title or t.lower_ in self.titles), None)
        if first is None:
            return None
        np = shape_phrase(doc, first.i)
        return self._named(doc, np.start, min(np.end, j), parsed, ents)

    def _subject_speaker(self, doc: Doc, q: Quote, ents: Ents):
        if q.end - q.start > 12:
            return None
        root = _root_of(doc, q)
        for v in ancestors_upto(root, 6):
            if v.pos_ not in ("VERB", "AUX"):
                continue
            subj = subject_of(v, max_up=4)
            if subj is None:
                return None
            ent = ents.at(subj.i)
            if ent is not None and ent.label_ in NAME_LABELS:
                np = noun_phrase(subj)
                return self._named(doc, np.start, np.end, True, ents)
            if subj.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS or subj.lower_ in self.titles:
                np = noun_phrase(subj)
                return self._named(doc, np.start, np.end, True, ents)
            return None
        return None

    def _propagate(self, quotes: list[Quote], paras: Paragraphs, ents: Ents) -> None:
        """Quotes without a cue take the speaker of the other pieces of a quote running over
        paragraphs, of the next quote in the same paragraph, or of the previous quote when it
        opens the paragraph right after."""
        by_group: dict[int, list[Quote]] = {}
        for q in quotes:
            if q.group >= 0:
                by_group.setdefault(q.group, []).append(q)
        for pieces in by_group.values():
            source = next((q for q in reversed(pieces) if q.speaker is not None), None)
            if source is not None:
                for q in pieces:
                    if q.speaker is None:
                        q.speaker, q.cue, q.how = source.speaker, source.cue, "continued"
        for k in range(len(quotes) - 2, -1, -1):
            q, nxt = quotes[k], quotes[k + 1]
            if q.speaker is None and nxt.speaker is not None and paras.index(q.open_i) == paras.index(nxt.open_i):
                if not q.single:
                    q.speaker, q.how = nxt.speaker, "next"
        for k in range(1, len(quotes)):
            q, prev = quotes[k], quotes[k - 1]
            if q.speaker is None and prev.speaker is not None and not q.single:
                pk, qk = paras.index(prev.close_i), paras.index(q.open_i)
                if qk - pk == 1 and paras.starts[qk] == q.open_i:
                    q.speaker, q.how = prev.speaker, "previous"
                elif qk == pk and q.open_i - prev.close_i <= 16:
                    # '"...," Brenner said in a statement. "Those who ..."': same speaker, unless
                    # someone else is named in between
                    between = ents.within(prev.close_i + 1, q.open_i)
                    s0, e0 = prev.speaker[0], prev.speaker[1]
                    if not any(x.label_ == "PERSON" and not (s0 <= x.start and x.end <= e0) for x in between):
                        q.speaker, q.cue, q.how = prev.speaker, prev.cue, "same paragraph"

    def _speaker(self, doc: Doc, cue: Cue, parsed: bool, ents: Ents) -> tuple[int, int, int, int] | None:
        """(start, end, np_start, np_end): the speaker span -- the person's name when the noun
        phrase holds one ("Amara Velko" in "Norland's Defence Minister Amara Velko", "Idris Malon"
        in "Its spokesman, Idris Malon,") -- and the whole noun phrase around it."""
        if cue.spk is not _UNSET:
            return cue.spk  # the same for every quote the cue may introduce
        found = self._speaker_np(doc, cue, parsed)
        cue.spk = None if found is None else self._named(doc, found[0], found[1], parsed, ents)
        return cue.spk

    def _named(self, doc: Doc, s: int, e: int, parsed: bool, ents: Ents) -> tuple[int, int, int, int]:
        np_s, np_e = s, e
        head = doc[e - 1]
        name = ents.at(head.i)
        if name is not None and (name.label_ not in NAME_LABELS or name.start < s or name.end > e):
            name = None
        if parsed:
            for child in head.rights:
                if child.dep_ != "appos":
                    continue
                x = ents.at(child.i)
                if x is not None and x.label_ == "PERSON":
                    name = x
                elif child.pos_ == "PROPN" and (head.lower_ in self.titles or x is not None):
                    name = x if x is not None else doc[child.left_edge.i : child.i + 1]
                else:
                    continue
                np_e = max(np_e, name.end)
                break
        if name is not None:
            return name.start, name.end, np_s, np_e
        return s, e, s, e

    def _speaker_np(self, doc: Doc, cue: Cue, parsed: bool) -> tuple[int, int] | None:
        tok = doc[cue.i]
        if cue.row.get("content") == "sentence":  # "according to X"
            j = cue.end
            if j < len(doc):
                np = noun_phrase(doc[j]) if not parsed else _according_np(doc, cue)
                return (np.start, np.end) if np is not None and len(np) else None
            return None
        if parsed:
            subj = subject_of(tok)
            if subj is None:
                # "said Asif" (inverted, parsed as an object)
                for child in tok.rights:
                    if child.dep_ in ("dobj", "nsubj", "attr") and child.pos_ == "PROPN":
                        subj = child
                        break
            root = _comma_cue_subject(doc, tok)
            if root is not None:
                subj = root  # "Its spokesman, Anton Reyes, who spent ... that Meridia funds in Tarvonia, said"
            if subj is None:
                subj = _relative_clause_subject(doc, tok)  # "a man who identified himself as ... said"
            if subj is None:
                return None
            if subj.pos_ not in ("PROPN", "NOUN", "PRON") and subj.lower_ not in ALL_PRONOUNS:
                # "one of the organisers, Mira Dolan, told": a number or quantifier with a name or an "of"
                if not (subj.pos_ in ("NUM", "DET", "ADJ") and any(c.dep_ in ("appos", "prep") for c in subj.children)):
                    return None
            np = noun_phrase(subj)
            return (np.start, np.end)
        # no parse: the pronoun or title-case phrase right before the cue, or right after it
        j = cue.i - 1
        while j >= 0:
            low = doc[j].lower_
            if low in ("also", "later", "then", "had", "has", "have", "earlier", "repeatedly", "further"):
                j -= 1
            elif low in WHEN_WORDS or (doc[j].like_num and j > 0 and doc[j - 1].lower_ in WHEN_WORDS):
                j -= 1  # "Velko on Tuesday warned", "said late on Wednesday"
                while j >= 0 and doc[j].lower_ in ("on", "late", "early", "last", "this"):
                    j -= 1
            elif low == "," and j > 0 and (doc[j - 1].is_title or doc[j - 1].lower_ in self.titles):
                j -= 1  # "..., Lina Dorsay, said"
            else:
                break
        if j >= 0:
            t = doc[j]
            if t.lower_ in SPEAKER_PRONOUNS:
                return (j, j + 1)
            if t.is_title or t.lower_ in self.titles:
                np = shape_phrase(doc, j)
                return (np.start, np.end)
        j = cue.end
        if j < len(doc) and doc[j].is_title and doc[j].lower_ not in ALL_PRONOUNS:
            np = shape_phrase(doc, j)
            end = j + 1
            while end < len(doc) and doc[end].is_title:
                end += 1
            return (j, end)
        if j < len(doc) and doc[j].lower_ in SPEAKER_PRONOUNS:
            return (j, j + 1)
        return None

    # ------------------------------------------------------------------------------------------
    def _reported(self, doc, cues, quotes, in_quote, sents: Sentences, parsed: bool, ents: Ents) -> list:
        """Indirect speech: (start, end, cue, speaker) for the content of every cue with a speaker."""
        qstarts = [q.start for q in quotes]
        cue_pos = [c.i for c in cues]
        ends_cache: dict[int, bool] = {}  # sentence index -> ends with . ! ?
        out = []
        for c in cues:
            if any(s0 < c.i < e0 for s0, e0, *_ in out):
                continue  # "Kos said the party had asked its members ...": speech inside reported speech
            spk = self._speaker(doc, c, parsed, ents)
            if spk is None:
                continue
            content = self._content(doc, c, spk, sents, parsed)
            if content is None:
                continue
            start, end = trim(doc, *content)
            # "said on Wednesday (that) it would ...": the date belongs to the saying
            if start < end and doc[start].lower_ in ("on", "late", "early", "earlier", "last"):
                date = ents.at(start + 1) if doc[start].lower_ == "on" else ents.at(start)
                if date is not None and date.label_ in ("DATE", "TIME") and date.end < end:
                    start = date.end
            if start < end and doc[start].lower_ in ("that", "whether"):
                start += 1
            start, end = trim(doc, start, end)
            if end - start >= 2 and doc[end - 1].text in SENT_END and not in_quote[end - 1]:
                start, end = trim(doc, start, end - 1)  # reported speech ends before the full stop
            ends = ends_cache.get(sents.index(c.i))
            if ends is None:
                ends = ends_cache[sents.index(c.i)] = _ends_sentence(doc, sents, c.i)
            if end - start < 2 or not (ends or _headline_clause(doc, c, start, end, parsed)):
                continue
            start, end = _cut_adjunct(doc, start, end, in_quote, headline=not ends)
            if parsed:
                arrays = token_arrays(doc)
                tags, deps, heads = arrays["tag"], arrays["dep"], arrays["head"]
                conj_h, finite, vb_h = _hashes(doc, frozenset({"conj"})), _hashes(doc, FINITE_CONJ_TAGS), _hashes(doc, frozenset({"VB"}))
                for j in range(start + 2, end):
                    if deps[j] in conj_h and tags[j] in finite and start <= heads[j] < j and tags[heads[j]] in vb_h:
                        # "called on both sides to exercise restraint and offered to host talks": a
                        # finite verb coordinated with an infinitive belongs to the main clause
                        if doc[j - 1].lower_ in ("and", "but"):
                            start, end = trim(doc, start, j - 1)
                        break
            k = bisect_left(cue_pos, start)
            while k < len(cues) and cues[k].i < end:  # 'said it was ... and urged all parties to ...'
                c2 = cues[k]
                k += 1
                if c2.i <= max(c.i, start + 1) or doc[c2.i - 1].lower_ not in ("and", "but"):
                    continue
                t2 = doc[c2.i]
                if not parsed or (t2.dep_ == "conj" and (t2.head.i == c.i or start <= t2.head.i < end)):
                    # a second speech verb coordinated with the saying (the parser may hang it on
                    # the reported clause): what follows it is its own content
                    start, end = trim(doc, start, c2.i - 1)
                    break
            inner = []
            for k in range(max(0, bisect_left(qstarts, start) - 1), len(quotes)):
                q = quotes[k]
                if q.start >= end:
                    break
                if min(end, q.end) - max(start, q.start) > 0:
                    inner.append(q)
            if inner and inner[0].open_i <= start:
                continue  # 'said: "..."', 'said that "..."': the direct quote is what was said
            # 'said X and that "Y"': the direct quote Y is a clause of its own; X is reported
            for n, q in enumerate(inner):
                j = q.open_i - 1
                while j > start and doc[j].is_space:
                    j -= 1
                if j > start and doc[j].lower_ == "that":
                    k = j - 1
                    while k > start and (doc[k].lower_ in ("and", "but", ",") or doc[k].is_space):
                        k -= 1
                    start, end = trim(doc, start, k + 1)
                    inner = inner[:n]
                    break
            if end - start < 2:
                continue
            if any(in_quote[i] for i in (start, end - 1)) and not inner:
                continue
            if inner:
                last = inner[-1]
                if last.close_i >= end and last.close_i < len(doc) and last.open_i < end and doc[last.close_i].is_punct:
                    end = last.close_i + 1  # 'would be "hunted down and destroyed"': keep the closing mark
            for q in inner:
                q.kind = "partial"  # a fragment quoted inside reported speech
                if q.speaker is None:
                    q.speaker, q.cue, q.how = spk, c, "reported"
            out.append((start, end, c, spk, "partial" if inner else "indirect"))
        return out

    def _content(self, doc, c: Cue, spk, sents: Sentences, parsed: bool) -> tuple[int, int] | None:
        tok = doc[c.i]
        s_start, s_end = sents.bounds(c.i)
        mode = c.row.get("content", "clause")
        if mode == "sentence":  # according to X, ...
            if spk[2] > c.i and spk[3] < s_end and doc[spk[3]].text == ",":
                return spk[3] + 1, s_end
            if c.i > s_start:
                return s_start, c.i
            return None
        if parsed:
            for child in tok.children:
                if child.dep_ == "ccomp" and child.pos_ in ("VERB", "AUX"):
                    left, right = child.left_edge.i, child.right_edge.i + 1
                    if (
                        doc[left].lower_ == "that"
                        and left - 1 > c.i
                        and doc[left - 1].pos_ == "NOUN"
                        and doc[left - 1].dep_ not in ("dobj", "dative")
                    ):
                        return None  # "commented on the narrative that ...": the noun's content ("told the crowd that" is fine)
                    if child.i < c.i:  # "..., the minister announced"
                        right = min(right, spk[2])
                        if left > s_start and not any(t.pos_ in ("VERB", "AUX") for t in doc[s_start:left]):
                            left = s_start  # "Militants armed with ... stormed ..., the military said": a subject parsed apart
                    return left, right
            if tok.dep_ in ("parataxis",) and tok.head.i < c.i and spk[2] > tok.head.i:
                return tok.head.left_edge.i, spk[2]
            if tok.dep_ == "parataxis" and tok.head.i > c.i and min(spk[2], c.i) > s_start:
                # "The army, the defence ministry said, is ready to ...": the whole sentence
                if doc[min(spk[2], c.i) - 1].text == "," and c.end < s_end and doc[tok.right_edge.i].text == ",":
                    return tok.head.left_edge.i, tok.head.right_edge.i + 1
            trailing = _trailing_cue_content(doc, tok, c, spk, s_start)
            if trailing is not None:
                return trailing
            for ch in tok.rights:
                if ch.dep_ == "xcomp" and ch.tag_ == "VBG" and ch.i > c.i:
                    return ch.left_edge.i, ch.right_edge.i + 1  # "denied losing any fighters"
            if mode == "after":  # "called on both sides to exercise restraint"
                right = max([doc[c.end - 1].right_edge.i] + [
                    ch.right_edge.i for ch in tok.rights if ch.i >= c.end and ch.dep_ not in ("conj", "cc", "punct")
                ]) + 1
                return (c.end, min(right, s_end)) if right - c.end >= 3 else None
            obj = next((ch for ch in tok.rights if ch.dep_ in ("dobj", "dative") and ch.i > c.i), None)
            to_verb = next((ch for ch in tok.rights if ch.dep_ in ("xcomp", "ccomp") and ch.i > (obj.i if obj else c.i)), None)
            if obj is not None and to_verb is not None and any(g.dep_ == "aux" and g.lower_ == "to" for g in to_verb.children):
                return obj.left_edge.i, to_verb.right_edge.i + 1  # "warned the army not to attempt a rescue"
            if mode == "object":
                objs = [ch for ch in tok.rights if ch.dep_ in ("dobj", "prep", "dative", "xcomp", "attr", "oprd")]
                if any(ch.dep_ == "dobj" for ch in objs):
                    return objs[0].left_edge.i, max(ch.right_edge.i for ch in objs) + 1
            return _misparsed_clause(doc, tok, c, s_end) if mode == "clause" else _that_clause(doc, tok, c, s_end)
        # no parse: "<speaker> said (that) <content>." or "<content>, <speaker> said."
        if c.used:
            return None
        if spk[3] <= c.i:
            j = c.end
            for k in range(j, min(s_end, j + 7)):  # "said on Wednesday that ..."
                if doc[k].lower_ == "that":
                    j = k + 1
                    break
                if doc[k].text in ('"', "“", "”", ":", ".", ";"):
                    break
            if j < s_end and (doc[j].text in ('"', "“", ":", ",") or doc[j].lower_ in NOT_CONTENT_START):
                return None
            if s_end - j >= 3:
                return j, s_end
        if spk[2] > s_start and doc[spk[2] - 1].text == ",":
            return s_start, spk[2] - 1
        return None


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _finite(v: Token) -> bool:
    return v.tag_ in FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in v.children)


FINITE_CONJ_TAGS = frozenset({"VBD", "VBZ"})
ADJUNCT_MARKS = frozenset({"after", "following", "amid", "before", "as"})
ADJUNCT_LEAD = frozenset({"a", "one", "two", "three", "day", "days", "hours", "hour", "weeks", "week", "shortly", "just", "soon", "minutes", "only", "moments"})


_HASHES: dict[frozenset, frozenset] = {}


def _hashes(doc: Doc, words: frozenset) -> frozenset:
    """The string hashes of `words` (the same in every vocab: spaCy hashes strings with MurmurHash)."""
    found = _HASHES.get(words)
    if found is None:
        found = _HASHES[words] = frozenset(doc.vocab.strings[w] for w in words)
    return found


LOWS_CACHE_KEY = "news_lower_cache"


def _lows(doc: Doc) -> list[int]:
    """The LOWER hashes of the doc's tokens (cached in ``doc.user_hooks``, never serialised)."""
    cached = doc.user_hooks.get(LOWS_CACHE_KEY)
    if cached is not None and len(cached) == len(doc):
        return cached
    lows = doc.to_array([LOWER]).tolist()
    doc.user_hooks[LOWS_CACHE_KEY] = lows
    return lows


def _cut_adjunct(doc: Doc, start: int, end: int, in_quote, headline: bool) -> tuple[int, int]:
    """Reported content stops before a time adjunct of the saying: "said it would ..., a day after
    an explosion ...", and in a headline "warns it will ... after strike on depot"."""
    marks = _hashes(doc, ADJUNCT_MARKS)
    lows = _lows(doc)
    if not any(lows[j] in marks for j in range(start + 2, end)):
        return start, end
    for j in range(start + 2, end):
        if in_quote[j]:
            continue
        t = doc[j]
        if t.text == ",":
            k = j + 1
            while k < end and k - j <= 3 and doc[k].lower_ in ADJUNCT_LEAD:
                k += 1
            if k < end and doc[k].lower_ in ADJUNCT_MARKS and doc[k].lower_ != "as":
                return trim(doc, start, j)
        elif headline and t.lower_ in ADJUNCT_MARKS and t.pos_ in ("ADP", "SCONJ"):
            return trim(doc, start, j)
    return start, end


def _trailing_cue_content(doc: Doc, tok: Token, c: Cue, spk, s_start: int) -> tuple[int, int] | None:
    """'Two guards died ..., the regional governor, Emil Strand, told state television.' parsed as
    a conjunct: what comes before ", <speaker> <cue>" is the content when it holds a clause and
    the cue has nothing but adjuncts and objects after it."""
    first = min(spk[2], c.i)
    if first <= s_start + 2 or doc[first - 1].text != "," or tok.dep_ not in ("conj", "ROOT", "parataxis"):
        return None
    if any(ch.dep_ in ("ccomp", "xcomp") for ch in tok.rights):
        return None
    if c.row.get("content") == "object" and any(ch.dep_ == "dobj" for ch in tok.rights):
        return None  # "..., Petrovic accused the party of ...": the object is what was said
    after = doc[c.end : tok.right_edge.i + 1]
    if any(t.pos_ in ("VERB", "AUX") and _finite(t) for t in after):
        return None  # more is said after the cue
    content = doc[s_start : first - 1]
    if content[0].tag_ in ("VBG", "VBN") or not any(t.pos_ in ("VERB", "AUX") and _finite(t) for t in content):
        return None  # "Speaking outside the hospital, Petrovic ...": a participle, no clause
    return s_start, first - 1


def _headline_clause(doc: Doc, c: Cue, start: int, end: int, parsed: bool) -> bool:
    """A headline carries reported speech only as a full clause with a modal right after the cue:
    'Lisan warns it will shoot down drones' (not 'Minister warns brigade after talks collapse')."""
    if not parsed or start != c.end:
        return False
    for t in doc[start:end]:
        if t.dep_ == "aux" and t.lower_ in ("will", "would", "could", "may", "might", "must", "can", "'ll"):
            v = t.head
            return v.head.i == c.i and v.dep_ == "ccomp" and any(x.dep_ in ("nsubj", "nsubjpass") for x in v.children)
    return False


def _that_clause(doc: Doc, tok: Token, c: Cue, s_end: int) -> tuple[int, int] | None:
    """'warned in a radio message that any violation would ...': a that-clause the parser hung on
    the channel noun. Only prepositional phrases, adverbs and dates may stand between cue and
    "that"."""
    for j in range(c.end, min(s_end, c.end + 12)):
        t = doc[j]
        if t.lower_ == "that":
            v = t.head
            if t.dep_ == "mark" and v.i > j and v.pos_ in ("VERB", "AUX") and _finite(v):
                return j, v.right_edge.i + 1
            return None
        if t.pos_ in ("VERB", "AUX") or t.text in ('"', "“", ":", ";") or t.text in SENT_END:
            return None
    return None


def _misparsed_clause(doc: Doc, tok: Token, c: Cue, s_end: int) -> tuple[int, int] | None:
    """The complement clause of "said" when the parser took its subject for an object: 'said
    three civilians, including a child, were killed' (civilians = dobj, killed = conj)."""
    found = _that_clause(doc, tok, c, s_end)
    if found is not None:
        return found
    d = next((ch for ch in tok.rights if ch.dep_ == "dobj"), None)
    if d is None or d.left_edge.i != c.end or d.pos_ not in ("NOUN", "PROPN", "NUM", "PRON"):
        return None
    for ch in tok.rights:
        if ch.i <= d.i or ch.dep_ not in ("conj", "ccomp", "dep") or ch.pos_ not in ("VERB", "AUX"):
            continue
        if any(x.dep_ == "cc" and d.i < x.i < ch.i for x in tok.children):
            return None  # "told reporters and left": two verbs of one subject
        if any(x.dep_ in ("nsubj", "nsubjpass") for x in ch.children) or not _finite(ch):
            return None
        return c.end, min(s_end, ch.right_edge.i + 1)
    return None


def _ends_sentence(doc: Doc, sents: Sentences, i: int) -> bool:
    """Whether the sentence of token i ends with . ! ? (possibly before a closing mark): a
    headline such as "Minister warns brigade after talks collapse" carries no reported speech."""
    _, end = sents.bounds(i)
    j = end - 1
    while j > i and (doc[j].is_space or doc[j].text in ('"', "”", "’", "'", ")")):
        j -= 1
    return doc[j].text in SENT_END or doc[j].text.endswith((".", "!", "?"))


def _relative_clause_subject(doc: Doc, tok: Token) -> Token | None:
    """A subjectless cue right after a relative clause: the clause's noun is the speaker ("a man
    who identified himself as the group's commander said ...", the parser having hung "a man" on
    an earlier phrase)."""
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


def _comma_cue_subject(doc: Doc, tok: Token) -> Token | None:
    """A cue after a long parenthetical ("X, who ... in Tarvonia, said") that the parser hung on a
    relative clause: the sentence's nominal root before the comma is the speaker."""
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


CHANNEL_NOUNS = frozenset(
    {"statement", "statements", "report", "reports", "message", "video", "post", "letter", "communique", "release", "broadcast", "tweet", "interview", "notice"}
)


def _according_np(doc: Doc, cue: Cue) -> Span | None:
    tok = doc[cue.end - 1]
    np = None
    for child in tok.children:
        if child.dep_ == "pobj":
            np = noun_phrase(child)
            break
    if np is None:
        return noun_phrase(doc[cue.end]) if cue.end < len(doc) else None
    head = np.root if len(np) else None
    if head is not None and head.lower_ in CHANNEL_NOUNS:
        # "according to a statement from the army's press office": the office speaks
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                source = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if source is not None:
                    return noun_phrase(source)
    return np


def _root_of(doc: Doc, q: Quote) -> Token:
    """The quote's syntactic root: the first content token whose head lies outside it."""
    for t in doc[q.start : q.end]:
        if not (q.start <= t.head.i < q.end) or t.head.i == t.i:
            return t
    return doc[q.start]


def _inline(doc: Doc, q: Quote) -> bool:
    """A quote that opens inside a sentence, right after a word: 'or face "war in every city"'."""
    j = q.open_i - 1
    while j >= 0 and doc[j].is_space and "\n" not in doc[j].text:
        j -= 1
    if j < 0 or "\n" in doc[j].text:
        return False
    prev = doc[j]
    return not prev.is_punct and prev.lower_ not in ("that", "saying")


def _kind(doc: Doc, q: Quote, cue: Cue) -> str:
    if q.end - q.start < 3:
        return "partial"
    j = q.open_i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0 or j == cue.end - 1:
        return "direct"
    prev = doc[j]
    if prev.text in (":", ",", ".", "!", "?", "—", "–", "-") or prev.lower_ in ("that", "saying") or "\n" in prev.text:
        return "direct"
    return "partial"


def _channel(doc: Doc, cue: Cue) -> str:
    strings = doc.vocab.strings
    lows = _lows(doc)
    words = {strings[h] for h in lows[max(0, cue.i - 2) : min(len(doc), cue.end + 4)]}
    if cue.row.get("id") in ("tweet", "post") or words & SOCIAL:
        if words & SOCIAL - {"social"} or ("social" in words and "media" in words) or cue.row.get("id") in ("tweet", "post"):
            return "social media"
    if words & {"statement", "release"}:
        return "press release"
    if words & {"interview", "reporters", "journalists", "conference", "briefing"}:
        return "interview"
    if words & {"speech", "rally", "parliament", "address", "addressing"}:
        return "speech"
    return ""


class _Context:
    """Speaker spans and their resolution (pronoun / "the minister" -> a named person)."""

    def __init__(self, doc, ann: NewsAnnotations, parsed, sents, in_quote, titles, ents: Ents):
        self.doc, self.ann, self.parsed, self.sents, self.in_quote, self.titles = doc, ann, parsed, sents, in_quote, titles
        self.ents = ents
        self.speakers: dict[tuple[int, int], int] = {}
        self.np_of: dict[tuple[int, int], tuple[int, int]] = {}

    def speaker(self, start: int, end: int, np_start: int | None = None, np_end: int | None = None) -> int:
        key = (start, end)
        if key not in self.speakers:
            self.speakers[key] = self.ann.add(start, end, "SPEAKER")
        if np_start is not None and np_end is not None:
            old = self.np_of.get(key, key)
            self.np_of[key] = (min(old[0], np_start), max(old[1], np_end))
        return self.speakers[key]

    # --- resolution ----------------------------------------------------------------------------
    def _candidates(self):
        cands = []  # (start, end, kind, label, name, is_subject, group_index or None)
        for ent, ent_text in zip(self.ents.spans, self.ents.texts):
            if self.in_quote[ent.start]:
                continue
            text = ent_text.strip(" .")
            if len(text) < 2:
                continue
            if ent.label_ == "PERSON":
                kind = "person"
            elif ent.label_ in ENTITY_LABELS_GROUP:
                kind = "group"
            else:
                continue
            subj = self.parsed and (ent.root.dep_ in ("nsubj", "poss") or ent.root.head.dep_ == "nsubj")
            cands.append((ent.start, ent.end, kind, ent.label_, text, subj, None))
        for (s, e), gi in self.speakers.items():
            span = self.doc[s:e]
            head = span.root if self.parsed else span[-1]
            if head.lower_ in ALL_PRONOUNS:
                continue
            if any(ent.label_ == "PERSON" for ent in self.ents.within(s, e)):
                continue  # the PERSON inside is the candidate
            if head.lower_ in self.titles or head.pos_ == "PROPN" or head.is_title:
                kind = "person" if head.tag_ != "NNS" else "group"
            else:
                kind = "group"
            cands.append((s, e, kind, "SPEAKER", span.text, True, gi))
        cands.sort(key=lambda c: (c[0], c[1]))
        return cands

    def _pick(self, cands, starts, before: int, kinds: tuple[str, ...], exclude: tuple[int, int]):
        k = bisect_left(starts, before)
        nearest = None
        for j in range(k - 1, -1, -1):
            c = cands[j]
            if c[2] in kinds and c[1] <= before and (c[0], c[1]) != exclude:
                nearest = j
                break
        if nearest is None:
            return None
        sent = self.sents.index(cands[nearest][0])
        best = nearest
        for j in range(nearest, -1, -1):
            c = cands[j]
            if self.sents.index(c[0]) != sent:
                break
            if c[2] in kinds and c[5]:
                best = j  # the sentence's (first) subject or speaker beats a nearer object
        return cands[best]

    def _titled_person(self, cands, before: int, title: str):
        """The nearest PERSON before `before` introduced with `title` ("Defence Minister Asif")."""
        doc = self.doc
        for c in reversed(cands):
            if c[0] >= before or c[3] != "PERSON":
                continue
            lo = max(0, c[0] - 4)
            if any(t.lower_ == title for t in doc[lo : c[0]]):
                return c
        return None

    def _same_name(self, cands, before: int, last: str):
        for c in reversed(cands):
            if c[0] < before and c[3] == "PERSON" and c[4].split()[-1] == last:
                return c
        return None

    def _index_of(self, cand) -> int:
        if cand[6] is not None:
            return cand[6]
        return self.ann.add(cand[0], cand[1], cand[3])

    def resolve(self) -> None:
        if not self.speakers:
            return
        cands = self._candidates()
        starts = [c[0] for c in cands]
        names: dict[int, str] = {}
        for (s, e_), gi in sorted(self.speakers.items()):
            e = e_
            span = self.doc[s:e]
            head = span.root if self.parsed else span[-1]
            low = head.lower_
            attrs: dict[str, Any] = {}
            span_ents = self.ents.within(s, e)
            person = next((ent for ent in span_ents if ent.label_ == "PERSON"), None)
            target = None
            if person is not None:
                attrs["canonical_name"] = _full_name(self.ents, person.start, person.text)
            elif head.pos_ == "PROPN" or (not self.parsed and head.is_title and low not in ALL_PRONOUNS):
                # a name the NER missed ("Asif added"): the earlier PERSON with that last name
                target = self._same_name(cands, s, head.text)
                if target is None:
                    attrs["canonical_name"] = span.text
            elif low in PERSON_PRONOUNS:
                target = self._pick(cands, starts, s, ("person",), (s, e))
            elif low in GROUP_PRONOUNS:
                target = self._pick(cands, starts, s, ("group", "person"), (s, e))
            elif low in THING_PRONOUNS:
                target = self._pick(cands, starts, s, ("group",), (s, e))
            elif low in self.titles and span[0].lower_ in ("the", "this", "that"):
                target = self._titled_person(cands, s, low) or self._pick(cands, starts, s, ("person",), (s, e))
            if target is not None:
                ti = self._index_of(target)
                self.ann.relate(gi, ti, "SAME_AS")
                attrs["canonical_name"] = names.get(ti) or _canonical(self, target)
            names[gi] = attrs.get("canonical_name", "")
            np_s, np_e = self.np_of.get((s, e_), (s, e_))
            np_span = self.doc[np_s:np_e]
            role = _role(np_span, self.titles)
            if role:
                attrs["role"] = role
            aff = next(
                (
                    x.text
                    for x in self.ents.within(np_s, np_e)
                    if x.label_ in ("GPE", "ORG", "NORP") and (x.start, x.end) != (s, e_)
                ),
                None,
            )
            if aff:
                attrs["affiliation"] = aff
            for k, v in attrs.items():
                self.ann.set_attr(gi, k, v, overwrite=False)


def _full_name(ents: Ents, start: int, text: str) -> str:
    """The longest mention up to `start` sharing the last word: "Asif" -> "Khawaja Asif"."""
    last = text.split()[-1] if text.split() else text
    best = text
    for ent, ent_text in zip(ents.spans, ents.texts):
        if ent.start > start:
            break
        if len(ent_text) > len(best) and ent.label_ == "PERSON" and ent_text.split() and ent_text.split()[-1] == last:
            best = ent_text
    return best


def _canonical(ctx: _Context, cand) -> str:
    if cand[3] == "PERSON":
        return _full_name(ctx.ents, cand[0], cand[4])
    if cand[6] is not None:
        return ctx.ann.get_attrs(cand[6]).get("canonical_name") or cand[4]
    return cand[4]


def _role(span: Span, titles) -> str:
    words = [t for t in span if t.lower_ in titles]
    if not words:
        return ""
    first = words[0].i
    j = first
    while (
        j > span.start
        and span.doc[j - 1].is_title
        and span.doc[j - 1].ent_type_ not in ("GPE", "NORP", "ORG", "PERSON")
        and span.doc[j - 1].lower_ not in ("the", "a", "an", "this", "that")
    ):
        j -= 1
    return span.doc[j : words[-1].i + 1].text


@Language.factory(
    "news_quotes",
    default_config={"speech_verbs": "speech_verbs.jsonl", "max_after": 6},
)
def make_news_quotes(nlp: Language, name: str, speech_verbs: str, max_after: int) -> QuoteFinder:
    return QuoteFinder(nlp.vocab, speech_verbs=speech_verbs, max_after=max_after)
