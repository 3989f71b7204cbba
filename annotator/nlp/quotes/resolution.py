"""Stage 6 of news_quotes: SPEAKER spans, their attributes and what a pronoun speaker refers to.

Every speaker span is written once (`SpeakerRegistry.add`). `resolve` then gives each one its
``canonical_name`` (the longest earlier mention of the same person: "Asif" -> "Khawaja Asif"),
``role`` (the title words: "Defence Minister") and ``affiliation`` (a GPE/ORG/NORP in its noun
phrase), and links a pronoun or "the minister" speaker by SAME_AS to the candidate it most likely
refers to: the nearest earlier person (or group, for "they"/"it"), preferring the subject of that
sentence over a nearer object, and for "the minister" the person introduced with that title.
Every speaker of one canonical name then has the same role and affiliation.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, NamedTuple

from spacy.tokens import Span

from annotator.nlp.context import DocContext
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.quotes.records import Speaker
from annotator.nlp.syntax import ALL_PRONOUNS, GROUP_PRONOUNS, PERSON_PRONOUNS, THING_PRONOUNS

GROUP_LABELS = ("ORG", "NORP", "GPE")
AFFILIATION_LABELS = ("GPE", "ORG", "NORP")
NAME_ENT_LABELS = ("GPE", "NORP", "ORG", "PERSON")  # a title-case word of these is no part of a role
SUBJECT_DEPS = ("nsubj", "poss")
DEFINITE = ("the", "this", "that")
ARTICLES = ("the", "a", "an", "this", "that")
PERSON_ATTRS = ("role", "affiliation")  # one value per speaker per article
TITLE_WINDOW = 4  # "Defence Minister Asif": the title within this many tokens before the name


class Candidate(NamedTuple):
    """A mention a speaker may refer to: an entity outside quotes or another speaker."""

    start: int
    end: int
    kind: str  # "person" or "group"
    label: str  # the entity label, or SPEAKER
    name: str
    is_subject: bool
    index: int | None  # its index in the annotations when it is a speaker already


class SpeakerRegistry:
    """The SPEAKER spans of one document and their whole noun phrases."""

    def __init__(self, ctx: DocContext, ann: NewsAnnotations):
        self.ctx, self.ann = ctx, ann
        self.speakers: dict[tuple[int, int], int] = {}  # (start, end) -> annotation index
        self.np_of: dict[tuple[int, int], tuple[int, int]] = {}

    def add(self, spk: Speaker) -> int:
        """The annotation index of the speaker span (added once); its noun phrase grows to cover
        every phrase it was found in."""
        key = (spk.start, spk.end)
        if key not in self.speakers:
            self.speakers[key] = self.ann.add(spk.start, spk.end, "SPEAKER")
        old = self.np_of.get(key, key)
        self.np_of[key] = (min(old[0], spk.np_start), max(old[1], spk.np_end))
        return self.speakers[key]

    # --- resolution ----------------------------------------------------------------------------
    def resolve(self) -> None:
        """Attributes and SAME_AS links of every speaker (see the module docstring)."""
        if not self.speakers:
            return
        cands = self._candidates()
        starts = [c.start for c in cands]
        names: dict[int, str] = {}
        for (s, e), gi in sorted(self.speakers.items()):
            attrs: dict[str, Any] = {}
            target = self._referent(s, e, cands, starts, attrs)
            if target is not None:
                ti = self._index_of(target)
                self.ann.relate(gi, ti, "SAME_AS")
                attrs["canonical_name"] = names.get(ti) or self._canonical(target)
            names[gi] = attrs.get("canonical_name", "")
            attrs.update(self._np_attrs(s, e))
            for k, v in attrs.items():
                self.ann.set_attr(gi, k, v, overwrite=False)
        self._one_role_per_name()

    def _one_role_per_name(self) -> None:
        """One person, one role and affiliation per article: every speaker of a canonical name
        takes the first role and the first affiliation (in text order) any of them has, where it
        has none or a shorter form of it, so "Defence Minister Khawaja Asif", "Asif" and "the
        minister" are not three ways of describing one speaker in the Quotes table. A mention
        with another role of its own ("the general") keeps it: evidence the name joined two
        people. An analyst's later edit stays per quote."""
        order = [gi for _key, gi in sorted(self.speakers.items())]
        first: dict[str, dict[str, Any]] = {}
        for gi in order:
            attrs = self.ann.get_attrs(gi)
            if attrs.get("canonical_name"):
                found = first.setdefault(attrs["canonical_name"], {})
                for k in PERSON_ATTRS:
                    if attrs.get(k):
                        found.setdefault(k, attrs[k])
        for gi in order:
            attrs = self.ann.get_attrs(gi)
            for k, v in first.get(attrs.get("canonical_name") or "", {}).items():
                if _words(attrs.get(k)) <= _words(v):  # none, or a shorter form ("minister")
                    self.ann.set_attr(gi, k, v)

    def _referent(self, s: int, e: int, cands: list[Candidate], starts: list[int], attrs: dict) -> Candidate | None:
        """What the speaker [s, e) refers to, or None; a named speaker gets its canonical name in
        `attrs` instead."""
        ctx = self.ctx
        span = ctx.doc[s:e]
        head = span.root if ctx.parsed else span[-1]
        low = head.lower_
        person = next((ent for ent in ctx.ents.within(s, e) if ent.label_ == "PERSON"), None)
        if person is not None:
            attrs["canonical_name"] = full_name(ctx, person.start, person.text)
            return None
        if head.pos_ == "PROPN" or (not ctx.parsed and head.is_title and low not in ALL_PRONOUNS):
            # a name the NER missed ("Asif added"): the earlier PERSON with that last name
            target = _same_name(cands, s, head.text)
            if target is None:
                attrs["canonical_name"] = span.text
            return target
        if low in PERSON_PRONOUNS:
            return self._pick(cands, starts, (s, e), ("person",))
        if low in GROUP_PRONOUNS:
            return self._pick(cands, starts, (s, e), ("group", "person"))
        if low in THING_PRONOUNS:
            return self._pick(cands, starts, (s, e), ("group",))
        if low in ctx.titles and span[0].lower_ in DEFINITE:
            return self._titled_person(cands, s, low) or self._pick(cands, starts, (s, e), ("person",))
        return None

    def _np_attrs(self, s: int, e: int) -> dict[str, Any]:
        """``role`` and ``affiliation`` from the speaker's whole noun phrase."""
        np_s, np_e = self.np_of.get((s, e), (s, e))
        out: dict[str, Any] = {}
        role = _role(self.ctx.doc[np_s:np_e], self.ctx.titles)
        if role:
            out["role"] = role
        aff = next(
            (
                x.text
                for x in self.ctx.ents.within(np_s, np_e)
                if x.label_ in AFFILIATION_LABELS and (x.start, x.end) != (s, e)
            ),
            None,
        )
        if aff:
            out["affiliation"] = aff
        return out

    def _candidates(self) -> list[Candidate]:
        """Entities outside quotes and the named speakers, in text order."""
        ctx = self.ctx
        cands = []
        for ent, ent_text in zip(ctx.ents.spans, ctx.ents.texts):
            if ctx.in_quote[ent.start]:
                continue
            text = ent_text.strip(" .")
            if len(text) < 2:
                continue
            if ent.label_ == "PERSON":
                kind = "person"
            elif ent.label_ in GROUP_LABELS:
                kind = "group"
            else:
                continue
            subj = ctx.parsed and (ent.root.dep_ in SUBJECT_DEPS or ent.root.head.dep_ == "nsubj")
            cands.append(Candidate(ent.start, ent.end, kind, ent.label_, text, subj, None))
        for (s, e), gi in self.speakers.items():
            span = ctx.doc[s:e]
            head = span.root if ctx.parsed else span[-1]
            if head.lower_ in ALL_PRONOUNS:
                continue
            if any(ent.label_ == "PERSON" for ent in ctx.ents.within(s, e)):
                continue  # the PERSON inside is the candidate
            if head.lower_ in ctx.titles or head.pos_ == "PROPN" or head.is_title:
                kind = "person" if head.tag_ != "NNS" else "group"
            else:
                kind = "group"
            cands.append(Candidate(s, e, kind, "SPEAKER", span.text, True, gi))
        cands.sort(key=lambda c: (c.start, c.end))
        return cands

    def _pick(
        self, cands: list[Candidate], starts: list[int], own: tuple[int, int], kinds: tuple[str, ...]
    ) -> Candidate | None:
        """The nearest candidate of `kinds` before the speaker `own`, or the first subject of that
        candidate's sentence (a subject or speaker beats a nearer object)."""
        before = own[0]
        k = bisect_left(starts, before)
        nearest = None
        for j in range(k - 1, -1, -1):
            c = cands[j]
            if c.kind in kinds and c.end <= before and (c.start, c.end) != own:
                nearest = j
                break
        if nearest is None:
            return None
        sents = self.ctx.sents
        sent = sents.index(cands[nearest].start)
        best = nearest
        for j in range(nearest, -1, -1):
            c = cands[j]
            if sents.index(c.start) != sent:
                break
            if c.kind in kinds and c.is_subject:
                best = j
        return cands[best]

    def _titled_person(self, cands: list[Candidate], before: int, title: str) -> Candidate | None:
        """The nearest PERSON before `before` introduced with `title` ("Defence Minister Asif")."""
        doc = self.ctx.doc
        for c in reversed(cands):
            if c.start >= before or c.label != "PERSON":
                continue
            if any(t.lower_ == title for t in doc[max(0, c.start - TITLE_WINDOW) : c.start]):
                return c
        return None

    def _index_of(self, cand: Candidate) -> int:
        """The candidate's annotation index (an entity is added as a span of its label)."""
        if cand.index is not None:
            return cand.index
        return self.ann.add(cand.start, cand.end, cand.label)

    def _canonical(self, cand: Candidate) -> str:
        """The name a speaker referring to `cand` takes."""
        if cand.label == "PERSON":
            return full_name(self.ctx, cand.start, cand.name)
        if cand.index is not None:
            return self.ann.get_attrs(cand.index).get("canonical_name") or cand.name
        return cand.name


def _words(value: Any) -> set[str]:
    return set(str(value or "").lower().split())


def _same_name(cands: list[Candidate], before: int, last: str) -> Candidate | None:
    """The nearest PERSON before `before` whose last word is `last`."""
    for c in reversed(cands):
        if c.start < before and c.label == "PERSON" and c.name.split()[-1] == last:
            return c
    return None


def full_name(ctx: DocContext, start: int, text: str) -> str:
    """The longest mention up to `start` sharing the last word: "Asif" -> "Khawaja Asif"."""
    last = text.split()[-1] if text.split() else text
    best = text
    for ent, ent_text in zip(ctx.ents.spans, ctx.ents.texts):
        if ent.start > start:
            break
        if len(ent_text) > len(best) and ent.label_ == "PERSON" and ent_text.split() and ent_text.split()[-1] == last:
            best = ent_text
    return best


def _role(span: Span, titles: frozenset[str]) -> str:
    """The title words of a speaker phrase with the title-case words before them ("Defence
    Minister" in "Norland's Defence Minister Amara Velko")."""
    words = [t for t in span if t.lower_ in titles]
    if not words:
        return ""
    doc = span.doc
    j = words[0].i
    while (
        j > span.start
        and doc[j - 1].is_title
        and doc[j - 1].ent_type_ not in NAME_ENT_LABELS
        and doc[j - 1].lower_ not in ARTICLES
    ):
        j -= 1
    return doc[j : words[-1].i + 1].text
