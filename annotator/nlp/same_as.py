"""The "news_same_as" component: SAME_AS links between mentions of one actor or one event.

* PERSON: each mention links to the nearest earlier mention that shares its last name ("Asif" ->
  "Khawaja Asif" -> ...), so a chain leads back to the full name. (Pronoun and "the minister"
  speakers are linked by news_quotes; a chain from them therefore reaches the name too.)
* ORG / NORP: a variant ("Taliban" after "the Afghan Taliban") links to the nearest earlier
  differing mention with the same head word; identical repeats are not linked (no clutter).
* EVENT: a definite mention ("the talks", "The ceasefire") links to the nearest earlier event
  with the same head word, or of the same TALKS / AGREEMENT_CEASEFIRE type within three
  sentences.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.syntax import Ents, Sentences

DEFINITE = frozenset({"the", "this", "that", "these", "those"})
RECALL_TYPES = frozenset({"TALKS", "AGREEMENT_CEASEFIRE"})


def _words(span: Span) -> list[str]:
    """The word tokens of a span (hyphenated words included), for name and head comparisons."""
    return [t.text for t in span if t.is_alpha or t.text.replace("-", "").isalpha()]


class SameAs:
    """SAME_AS links between mentions of one actor or one event (see the module docstring)."""
    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        ann = NewsAnnotations(doc)
        ents = Ents(doc).spans
        self._persons(ents, ann)
        self._groups(ents, ann)
        self._events(doc, ann)
        ann.commit()
        return doc

    def _persons(self, ents: list[Span], ann: NewsAnnotations) -> None:
        """PERSON mentions to the nearest earlier mention sharing the last (or, for one word, the
        first) name."""
        last_seen: dict[str, Span] = {}
        for ent in ents:
            if ent.label_ != "PERSON":
                continue
            words = _words(ent)
            if not words or (len(words) == 1 and len(words[0]) < 2):
                continue
            prev = last_seen.get(words[-1])
            if prev is None and len(words) == 1:
                # "Fatemi" after "Tariq Fatemi" is covered above; "Tariq" after "Tariq Fatemi"
                prev = next((p for k, p in reversed(list(last_seen.items())) if words[0] in _words(p)), None)
            if prev is not None:
                ann.relate(ann.add_span(ent), ann.add_span(prev), "SAME_AS")
            for w in words[-1:]:
                last_seen[w] = ent

    def _groups(self, ents: list[Span], ann: NewsAnnotations) -> None:
        """ORG/NORP variants to the nearest earlier differing mention with the same head word."""
        by_head: dict[tuple[str, str], list[Span]] = {}
        for ent in ents:
            if ent.label_ not in ("ORG", "NORP"):
                continue
            words = _words(ent)
            if not words:
                continue
            key = (ent.label_, words[-1].lower())
            earlier = by_head.setdefault(key, [])
            text = " ".join(words).lower()
            if earlier and all(" ".join(_words(e)).lower() != text for e in earlier):
                ann.relate(ann.add_span(ent), ann.add_span(earlier[-1]), "SAME_AS")
            earlier.append(ent)

    def _events(self, doc: Doc, ann: NewsAnnotations) -> None:
        """Definite event mentions to the earlier event with the same head word or of the same recalled
        type."""
        events = sorted(((i, s) for i, s in ann.of_label("EVENT")), key=lambda x: x[1].start)
        if len(events) < 2:
            return
        sents = Sentences(doc)
        for k, (i, span) in enumerate(events):
            first = span[0]
            det = doc[span.start - 1] if span.start > 0 else None
            if first.lower_ not in DEFINITE and (det is None or det.lower_ not in DEFINITE):
                continue
            head = span[-1].lower_
            etype = ann.get_attrs(i).get("type")
            target = None
            for j in range(k - 1, -1, -1):
                pi, prev = events[j]
                if prev[-1].lower_ == head or prev[-1].lemma_ == span[-1].lemma_ and span[-1].lemma_:
                    target = pi
                    break
            if target is None and etype in RECALL_TYPES:
                s_here = sents.index(span.start)
                for j in range(k - 1, -1, -1):
                    pi, prev = events[j]
                    if s_here - sents.index(prev.start) > 3:
                        break
                    if ann.get_attrs(pi).get("type") == etype and ann.get_attrs(pi).get("modality") != "negated":
                        target = pi
                        break
            if target is not None:
                ann.relate(i, target, "SAME_AS")


@Language.factory("news_same_as")
def make_news_same_as(nlp: Language, name: str) -> SameAs:
    """The spaCy factory (no config)."""
    return SameAs()
