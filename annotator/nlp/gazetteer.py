"""The "news_gazetteer" component: entity fixes from resources/patterns/gazetteer.jsonl.

Rows are SpanRuler/EntityRuler patterns (``{"label", "pattern", "id"}``) with optional keys:

* ``"span": [a, b]`` -- label only tokens a..b of the match (b <= 0 counts from its end), so a
  pattern can use context: ``on X`` labels just ``X``;
* ``"stage": "before_ner"`` (default) or ``"after_ner"``;
* ``"when": "no_ner"`` -- used only in pipelines without a statistical NER (the blank fallback);
* after the NER, a last name seen in a full PERSON name ("Khawaja Asif") is a PERSON wherever
  it stands alone ("Asif added ..."), unless ``propagate_names`` is false;
* ``"drop": ["PERSON"]`` (after_ner) -- remove an entity of these labels ("*": any) that lies
  inside the match; ``"relabel": [...]`` (after_ner) -- give entities of these labels over
  exactly the match the row's label.

Before the NER the component presets entities, which the NER keeps and predicts around
("Tora Bora" as LOC, "X" after "on" as ORG). The NER ignores preset "outside" tokens, so removals
need a second instance after it: `models.load_pipeline` adds ``news_gazetteer`` before "ner" and
``news_entity_fixes`` (the same factory, ``stage="after_ner"``) after it.
"""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from annotator.nlp.dateline import find_dateline
from annotator.nlp.lexicons import PatternSet, load_jsonl, wordset
from annotator.nlp.syntax import doc_text, fast_ents, remember_ents


class Gazetteer:
    """Entity fixes of one stage (before or after the NER) from the gazetteer patterns."""
    def __init__(
        self,
        nlp: Language,
        stage: str = "before_ner",
        patterns: str = "gazetteer.jsonl",
        fallback: bool | None = None,
        propagate_names: bool = True,
    ):
        rows = load_jsonl(patterns)
        self.stage = stage
        self.propagate_names = propagate_names and stage == "after_ner"
        self.propagate_names_fallback = propagate_names  # no NER: names spread from the gazetteer
        self.discourse_labels = stage == "after_ner"
        self.nlp = nlp
        self._fallback = fallback
        self.rows_main = [r for r in rows if r.get("stage", "before_ner") == stage and r.get("when") != "no_ner"]
        self.rows_fallback = [r for r in rows if r.get("stage", "before_ner") == stage and r.get("when") == "no_ner"]
        self.main = PatternSet(nlp.vocab, self.rows_main)
        self.fallback = PatternSet(nlp.vocab, self.rows_fallback)

    def _use_fallback(self) -> bool:
        """Whether the no-NER rows apply: forced by config, else when the pipeline has no NER."""
        if self._fallback is not None:
            return self._fallback
        return "ner" not in self.nlp.pipe_names

    def __call__(self, doc: Doc) -> Doc:
        matches = self.main(doc)
        if self.stage == "after_ner":
            return self._fix(doc, matches)
        if self.stage == "before_ner" and self._use_fallback():
            matches = matches + self.fallback(doc)
        new = dateline_entities(doc)
        if not matches and not new:
            return doc
        for m in matches:
            s, e, row = m.sliced()
            if e > s and row.get("label"):
                new.append(Span(doc, s, e, label=row["label"]))
        if not new:
            return doc
        new = filter_spans(new)
        taken = set()
        for sp in new:
            taken.update(range(sp.start, sp.end))
        keep = [e for e in fast_ents(doc) if not any(i in taken for i in range(e.start, e.end))]
        ents = filter_spans(keep + new)
        fallback = self._use_fallback()
        if fallback and self.propagate_names_fallback:
            ents = filter_spans(ents + _propagate_names(doc, ents))
        doc.set_ents(ents, default="outside" if fallback and not keep else "unmodified")
        return doc

    def _fix(self, doc: Doc, matches) -> Doc:
        """After the NER: drop and relabel entities, trim "the"/possessives, known places read as
        people made places, settle one type per name, spread last names."""
        ents = fast_ents(doc)
        changed = False
        for m in matches:
            s, e, row = m.sliced()
            drop = row.get("drop")
            relabel = row.get("relabel")
            for k, ent in enumerate(ents):
                if ent is None:
                    continue
                if drop and ent.start >= s and ent.end <= e and ("*" in drop or ent.label_ in drop):
                    ents[k] = None
                    changed = True
                elif (
                    relabel and ent.start == s and ent.end == e and ent.label_ in relabel
                    and ent.label_ != row["label"]
                ):
                    ents[k] = Span(doc, s, e, label=row["label"])
                    changed = True
        kept = []
        for e in ents:
            if e is None:
                continue
            t = _trimmed(doc, e)
            if t is not e:
                changed = True
            if t is not None:
                kept.append(t)
        if self.discourse_labels:
            placed = _known_places(doc, kept)
            if placed is not None:
                kept = placed
                changed = True
        if self.discourse_labels and doc.has_annotation("DEP"):
            relabelled = _discourse_labels(doc, kept)
            if relabelled is not None:
                kept = relabelled
                changed = True
        if self.propagate_names:
            extra = _propagate_names(doc, kept)
            if extra:
                kept = kept + extra
                changed = True
        if changed:
            kept = filter_spans(kept)
            doc.set_ents(kept, default="outside")
            remember_ents(doc, kept)
        return doc


DATELINE_LABELS = (("city", "GPE"), ("region", "GPE"), ("date", "DATE"), ("agency", "ORG"))


def dateline_entities(doc: Doc) -> list[Span]:
    """The places (GPE), date and agency (ORG) of the dateline: preset, so the NER neither takes
    the city for an organisation nor runs a name into the lead."""
    found = find_dateline(doc_text(doc))
    if found is None:
        return []
    out = []
    for part, label in DATELINE_LABELS:
        chars = getattr(found, part)
        if chars is not None:
            span = doc.char_span(chars[0], chars[1], label=label)
            if span is not None:
                out.append(span)
    return out


LEADING_DETS = frozenset({"the"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _trimmed(doc: Doc, ent: Span) -> Span | None:
    """An entity without a leading "the" or a trailing possessive ("the Red Ridge Brigade" ->
    "Red Ridge Brigade", "Veldoria's" -> "Veldoria"); dates keep theirs."""
    if ent.label_ in ("DATE", "TIME"):
        return ent
    s, e = ent.start, ent.end
    while s < e and doc[s].lower_ in LEADING_DETS:
        s += 1
    while e > s and doc[e - 1].text in POSSESSIVE:
        e -= 1
    if (s, e) == (ent.start, ent.end):
        return ent
    return Span(doc, s, e, label=ent.label) if e > s else None


WORDS = "entity_words.jsonl"
PLACE_PREPS = wordset(WORDS, "place_preps")
STATE_NOUNS = wordset(WORDS, "state_nouns")
DEMONYM_ENDINGS = tuple(sorted(wordset(WORDS, "demonym_endings")))
PLACES = frozenset(w.lower() for w in wordset(WORDS, "places"))


def known_place(text: str) -> bool:
    """Whether `text` is, as a whole and in any case, a country, capital or city of the list."""
    return " ".join(text.split()).lower() in PLACES


def _known_places(doc: Doc, ents: list[Span]) -> list[Span] | None:
    """The small NER reads countries and cities as people ("Mali", "Niger", "Gao", "HAMBURG"):
    a PERSON whose whole text is a known place is a GPE, unless a longer PERSON name of the
    article holds its words ("Gao Feng" ... "Gao added"). None: nothing changed."""
    person_words = {t.lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    out, changed = [], False
    for e in ents:
        if (e.label_ == "PERSON" and known_place(e.text)
                and not any(t.lower_ in person_words for t in e)):
            e = Span(doc, e.start, e.end, label="GPE")
            changed = True
        out.append(e)
    return out if changed else None


def _discourse_labels(doc: Doc, ents: list[Span]) -> list[Span] | None:
    """One name, one type per article, from evidence the small NER model ignores:

    * a name after "in/inside/across/near" ("lies in Aster") or owning a government, army,
      border... ("Kabarra's troops") is a place with a government (GPE) wherever it appears,
      unless it is also a multi-word PERSON name;
    * a one-word GPE used as an adjective ("Kabarran troops", "Veldorian guards") is a NORP.
    """
    gpe_names: set[str] = set()
    person_words: set[str] = set()
    for e in ents:
        if e.label_ == "PERSON" and len(e) > 1:
            person_words.update(t.text for t in e)
    for e in ents:
        if e.label_ in ("GPE", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"):
            continue
        root = e.root if len(e) > 1 else doc[e.start]
        prev = doc[e.start - 1] if e.start > 0 else None
        evidence = prev is not None and prev.lower_ in PLACE_PREPS and root.dep_ == "pobj"
        if not evidence and root.dep_ == "poss" and root.head.lower_ in STATE_NOUNS:
            evidence = True
        if evidence and not (set(t.text for t in e) & person_words) and all(t.is_title for t in e if t.is_alpha):
            gpe_names.add(e.text)
    out = []
    changed = False
    for e in ents:
        label = e.label_
        if gpe_names and label in ("PERSON", "ORG", "LOC", "FAC") and e.text in gpe_names:
            label = "GPE"
        elif label == "GPE" and len(e) == 1:
            t = e[0]
            if (t.dep_ == "amod" or t.tag_ == "JJ") and t.text.endswith(DEMONYM_ENDINGS):
                label = "NORP"
        if label != e.label_:
            out.append(Span(doc, e.start, e.end, label=label))
            changed = True
        else:
            out.append(e)
    return out if changed else None


def _propagate_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """One name, one person per article: "Asif" after "Khawaja Asif" is a PERSON even where
    the NER missed it. Only title-case tokens outside other entities are labelled."""
    names: dict[int, int] = {}  # ORTH hash of a last name -> label hash
    for e in ents:
        if e.label_ == "PERSON" and len(e) >= 2 and e[-1].is_title and e[-1].is_alpha and len(e[-1]) > 2:
            names[e[-1].orth] = e.label
    if not names:
        return []
    taken = set()
    for e in ents:
        taken.update(range(e.start, e.end))
    out = []
    orths = doc.to_array([ORTH]).tolist()
    for i, orth in enumerate(orths):
        if orth in names and i not in taken:
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            if nxt is not None and nxt.is_title and nxt.is_alpha and not nxt.is_sent_start:
                continue  # part of a longer name the NER did not tag: leave it
            out.append(Span(doc, i, i + 1, label=names[orth]))
    return out


@Language.factory(
    "news_gazetteer",
    default_config={"stage": "before_ner", "patterns": "gazetteer.jsonl", "fallback": None, "propagate_names": True},
)
def make_gazetteer(
    nlp: Language, name: str, stage: str, patterns: str, fallback: bool | None, propagate_names: bool
) -> Gazetteer:
    """The spaCy factory (config: stage, pattern file, fallback rows, name propagation)."""
    return Gazetteer(nlp, stage=stage, patterns=patterns, fallback=fallback, propagate_names=propagate_names)
