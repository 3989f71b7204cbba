"""Merging a trained span categorizer's spans with the rule components' spans.

The ``news_learned_spans`` component runs after the rule components (news_quotes, news_threats,
news_events) in a trained pipeline. The rules stay the backbone -- they bring attributes and
relations the model does not learn -- and the model may change them only where it is sure:

* a rule span of a label the model knows gets the model's score for that label as its ``score``
  attribute (so the analyst sees how much the model agrees);
* where the model gives the *same span* another label with a score >= `high` (and above its
  score for the rule's label), the model's label wins; below that the rule's label stays;
* a learned span with score >= `threshold` that no rule span of its label overlaps is added (with
  its score); one overlapping a same-label rule span is not added twice -- the rule's bounds win;
* a known place name (the gazetteer's list) is never added or relabelled as a PERSON;
* only labels in `trusted` (those the model was precise on at training time; None: all) are added
  or win a relabel; for the others the model only scores the rules' spans;
* each disagreement (model relabels, rules kept against the model, model doubts a rule span with
  a score < `doubt`, model prefers other bounds) is recorded in ``doc._.news_learned`` as plain
  dicts for the most-useful-next queue.

`decide` holds that rule on plain data; `LearnedSpans` applies it to a Doc.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, List, Optional

from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ragged

from annotator.domain import SCORE
from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.gazetteer import known_place

SCORE_ATTR = SCORE  # the span attribute the model's confidence goes into
LEARNED_KEY = "learned"  # doc.spans key the trained spancat writes
PERSON = "PERSON"  # never given to a known place name (nlp/gazetteer.py): Mali, Niger, Gao


@dataclass(frozen=True)
class Thresholds:
    threshold: float = 0.7  # a learned span no rule proposes becomes a suggestion
    high: float = 0.8  # the model's label overrules a rule's on the same span
    doubt: float = 0.2  # below this the model disagrees with a rule span


@dataclass(frozen=True)
class RuleSpan:
    start: int
    end: int
    label: str
    scores: dict[str, float] = field(default_factory=dict, hash=False)  # model score per label


@dataclass(frozen=True)
class LearnedSpan:
    start: int
    end: int
    label: str
    score: float


@dataclass(frozen=True)
class Conflict:
    kind: str  # model_relabels | rules_kept | model_doubts | boundary
    start: int
    end: int
    label: str  # the label that stands
    other: str  # the label (or "") the other side proposed
    score: float


@dataclass
class Plan:
    relabel: dict[int, str] = field(default_factory=dict)  # rule index -> model's label
    scores: dict[int, float] = field(default_factory=dict)  # rule index -> score of its label
    add: list[LearnedSpan] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


def _overlap(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def decide(rules: list[RuleSpan], learned: list[LearnedSpan], t: Thresholds = Thresholds(),
           trusted: frozenset[str] | None = None, *,
           places: frozenset[tuple[int, int]] = frozenset()) -> Plan:
    """The combine rule (see the module docstring) on token or character offsets alike.
    `places`: (start, end) of known place names, which the model never makes a PERSON."""
    plan = Plan()
    if trusted is not None:
        learned = [s for s in learned if s.label in trusted]
    learned = [s for s in learned if not (s.label == PERSON and (s.start, s.end) in places)]
    final: list[RuleSpan] = []
    for i, r in enumerate(rules):
        own = r.scores.get(r.label, 0.0)
        barred = PERSON if (r.start, r.end) in places else None
        other, best = max(((lab, s) for lab, s in r.scores.items() if lab != r.label and lab != barred
                           and (trusted is None or lab in trusted)), key=lambda x: x[1], default=("", 0.0))
        if best >= t.high and best > own:
            plan.relabel[i] = other
            plan.scores[i] = best
            plan.conflicts.append(Conflict("model_relabels", r.start, r.end, other, r.label, best))
            final.append(RuleSpan(r.start, r.end, other))
            continue
        plan.scores[i] = own
        final.append(r)
        if r.scores and best >= t.threshold and best > own:
            plan.conflicts.append(Conflict("rules_kept", r.start, r.end, r.label, other, best))
        elif r.scores and own < t.doubt:
            plan.conflicts.append(Conflict("model_doubts", r.start, r.end, r.label, "", own))
    confident = [s for s in learned if s.score >= t.threshold]
    for r in final:
        same = [s for s in confident if s.label == r.label and _overlap(s, r)]
        if same and not any((s.start, s.end) == (r.start, r.end) for s in same):
            best = max(same, key=lambda s: s.score)
            plan.conflicts.append(Conflict("boundary", best.start, best.end, r.label, "", best.score))
    for s in sorted(confident, key=lambda s: (-s.score, s.start, s.end)):
        if any(r.label == s.label and _overlap(r, s) for r in final):
            continue
        if any(k.label == s.label and _overlap(k, s) for k in plan.add):
            continue
        plan.add.append(s)
    plan.add.sort(key=lambda s: (s.start, s.end, s.label))
    return plan


def format_score(score: float) -> str:
    return f"{score:.2f}"


class LearnedSpans:
    """Applies `decide` to the spancat's output and the rule spans in ``doc.spans["news"]``."""

    def __init__(self, nlp: Language, spans_key: str, spancat: str, thresholds: Thresholds,
                 trusted: list[str] | None = None):
        self.nlp = nlp
        self.spans_key = spans_key
        self.spancat_name = spancat
        self.thresholds = thresholds
        self.trusted = None if trusted is None else frozenset(trusted)

    def _spancat(self):
        return self.nlp.get_pipe(self.spancat_name) if self.spancat_name in self.nlp.pipe_names else None

    def __call__(self, doc: Doc) -> Doc:
        spancat = self._spancat()
        if spancat is None or not len(doc):
            return doc
        labels = list(spancat.labels)
        ann = NewsAnnotations(doc)
        idx = [i for i, s in enumerate(ann.spans) if s.label_ in labels]
        rows = score_spans(spancat, doc, [(ann.spans[i].start, ann.spans[i].end) for i in idx])
        rules = [RuleSpan(ann.spans[i].start, ann.spans[i].end, ann.spans[i].label_, dict(zip(labels, row)))
                 for i, row in zip(idx, rows)]
        group = doc.spans.get(self.spans_key)
        learned = []
        if group is not None and len(group):
            scores = group.attrs.get("scores")
            for k, span in enumerate(group):
                learned.append(LearnedSpan(span.start, span.end, span.label_,
                                           float(scores[k]) if scores is not None else 1.0))
        places = frozenset((s.start, s.end) for s in [*rules, *learned]
                           if known_place(doc[s.start:s.end].text))
        plan = decide(rules, learned, self.thresholds, self.trusted, places=places)
        for j, label in plan.relabel.items():
            if not ann.relabel(idx[j], label):  # the rules already have that label there too
                plan.scores[j] = rules[j].scores.get(rules[j].label, 0.0)
        for j, score in plan.scores.items():
            ann.set_attr(idx[j], SCORE_ATTR, format_score(score))
        for s in plan.add:
            k = ann.add(s.start, s.end, s.label)
            ann.set_attr(k, SCORE_ATTR, format_score(s.score))
        ann.commit()
        doc._.news_learned = [_char_conflict(doc, c) for c in plan.conflicts]
        return doc


def score_spans(spancat, doc: Doc, spans: list[tuple[int, int]]) -> list[list[float]]:
    """The spancat model's score for every label of each token span (rows in `spancat.labels`
    order); the spans need not be among its suggester's candidates."""
    if not spans:
        return []
    ops = spancat.model.ops
    indices = Ragged(ops.asarray2i(spans), ops.asarray1i([len(spans)]))
    return ops.to_numpy(spancat.model.predict(([doc], indices))).tolist()


def _char_conflict(doc: Doc, c: Conflict) -> dict[str, Any]:
    span = doc[c.start:c.end]
    return {**asdict(c), "start": span.start_char, "end": span.end_char, "score": round(c.score, 4)}


if not Doc.has_extension("news_learned"):
    Doc.set_extension("news_learned", default=None)


@Language.factory(
    "news_learned_spans",
    default_config={"spans_key": LEARNED_KEY, "spancat": "spancat", "threshold": 0.7, "high": 0.8,
                    "doubt": 0.2, "trusted": None},
)
def make_learned_spans(nlp: Language, name: str, *, spans_key: str, spancat: str, threshold: float,
                       high: float, doubt: float, trusted: Optional[List[str]]) -> LearnedSpans:
    return LearnedSpans(nlp, spans_key, spancat, Thresholds(threshold, high, doubt), trusted)
