"""The merge of learned and rule spans, and the spancat's candidate spans."""

from __future__ import annotations

import spacy

from annotator.nlp.candidates import doc_candidates, make_clause_candidates
from annotator.nlp.combine import LearnedSpan, RuleSpan, Thresholds, decide

T = Thresholds(threshold=0.5, high=0.8, doubt=0.2)


def test_model_label_wins_on_the_same_span_only_when_its_score_is_high():
    rules = [RuleSpan(0, 2, "EVENT", {"EVENT": 0.1, "THREAT": 0.9}),
             RuleSpan(5, 7, "EVENT", {"EVENT": 0.3, "THREAT": 0.7})]
    plan = decide(rules, [], T)
    assert plan.relabel == {0: "THREAT"}
    assert plan.scores == {0: 0.9, 1: 0.3}
    kinds = [(c.kind, c.label, c.other) for c in plan.conflicts]
    assert ("model_relabels", "THREAT", "EVENT") in kinds
    assert ("rules_kept", "EVENT", "THREAT") in kinds


def test_agreement_scores_the_rule_span_and_doubt_is_recorded():
    rules = [RuleSpan(0, 3, "QUOTE", {"QUOTE": 0.95}), RuleSpan(4, 6, "CUE", {"CUE": 0.05})]
    plan = decide(rules, [LearnedSpan(0, 3, "QUOTE", 0.95)], T)
    assert not plan.relabel and not plan.add
    assert plan.scores == {0: 0.95, 1: 0.05}
    assert [(c.kind, c.label) for c in plan.conflicts] == [("model_doubts", "CUE")]


def test_learned_spans_fill_gaps_but_never_duplicate_a_rule_span_of_their_label():
    rules = [RuleSpan(10, 20, "QUOTE", {"QUOTE": 0.6})]
    learned = [
        LearnedSpan(11, 20, "QUOTE", 0.9),  # other bounds of the rule's quote: not added
        LearnedSpan(12, 14, "THREAT", 0.7),  # inside the quote, another label: added
        LearnedSpan(30, 33, "SPEAKER", 0.8),  # nothing there: added
        LearnedSpan(30, 32, "SPEAKER", 0.6),  # overlaps a better learned SPEAKER: not added
        LearnedSpan(40, 41, "CUE", 0.4),  # below the threshold: not added
    ]
    plan = decide(rules, learned, T)
    assert [(s.start, s.end, s.label) for s in plan.add] == [(12, 14, "THREAT"), (30, 33, "SPEAKER")]
    assert [(c.kind, c.start, c.end) for c in plan.conflicts] == [("boundary", 11, 20)]


def test_a_rule_span_the_model_never_scored_is_left_as_it_is():
    plan = decide([RuleSpan(0, 1, "QUOTE")], [], T)
    assert plan.scores == {0: 0.0} and not plan.conflicts and not plan.relabel


def test_candidates_cover_clauses_and_multi_sentence_quotes_only_after_a_quote_mark():
    nlp = spacy.blank("en")
    doc = nlp('He warned that they would strike if another attack occurs. Then "We act. We win." he said.')
    cands = set(doc_candidates(doc, 2, 40))
    words = [t.text for t in doc]

    def span(text):
        toks = text.split()
        for i in range(len(words)):
            if words[i:i + len(toks)] == toks:
                return (i, i + len(toks))
        raise AssertionError(text)

    assert span("another attack occurs") in cands  # after "if", before the full stop
    assert span("they would strike if another attack occurs") in cands  # after "that"
    assert span("We act . We win .") in cands  # opens after a quote mark: crosses the full stop
    assert span("strike if another attack occurs . Then") not in cands  # no other stretch does
    assert all(e - s <= 2 for s, e in cands if not (s > 0 and doc[s - 1].is_quote)
               and any(doc[i].text == "." for i in range(s, e - 1)))


def test_registered_suggester_returns_one_row_per_candidate():
    nlp = spacy.blank("en")
    docs = [nlp("One two three."), nlp("")]
    suggest = make_clause_candidates(max_ngram=2, max_length=10)
    ragged = suggest(docs)
    assert ragged.lengths.tolist() == [len(doc_candidates(docs[0], 2, 10)), 0]
    assert ragged.dataXd.shape == (ragged.lengths.sum(), 2)


def test_labels_the_model_was_not_precise_on_are_scored_but_never_added_or_relabelled():
    rules = [RuleSpan(0, 2, "EVENT", {"EVENT": 0.1, "THREAT": 0.95})]
    learned = [LearnedSpan(5, 6, "THREAT", 0.9), LearnedSpan(8, 9, "QUOTE", 0.9)]
    plan = decide(rules, learned, T, trusted=frozenset({"QUOTE"}))
    assert not plan.relabel and plan.scores == {0: 0.1}
    assert [(s.label, s.start) for s in plan.add] == [("QUOTE", 8)]
    assert [c.kind for c in plan.conflicts] == ["model_doubts"]


def test_a_known_place_is_never_made_a_person_by_the_model():
    rules = [RuleSpan(0, 1, "GPE", {"GPE": 0.1, "PERSON": 0.95}), RuleSpan(4, 5, "GPE", {"GPE": 0.1, "PERSON": 0.95})]
    learned = [LearnedSpan(8, 9, "PERSON", 0.9), LearnedSpan(12, 13, "PERSON", 0.9)]
    plan = decide(rules, learned, T, places=frozenset({(0, 1), (8, 9)}))  # "Mali", "Niger"
    assert plan.relabel == {1: "PERSON"}  # the other name is no known place
    assert [(s.start, s.label) for s in plan.add] == [(12, "PERSON")]
