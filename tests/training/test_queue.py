"""Most useful next: ordering by uncertainty and disagreement, and `annotator queue`."""

from __future__ import annotations

import json

import pytest

from annotator.cli import main
from annotator.store import Store
from annotator.training.queue import QueueItem, Reason, most_uncertain, rank
from bench.labelled_corpus import add_to_store, labelled_documents


def test_ranking_prefers_scores_near_the_threshold_and_disagreements():
    sure = QueueItem(1, "sure", "new", uncertain=[Reason("uncertain", "QUOTE", 0, 5, "a", 0.79)])
    torn = QueueItem(2, "torn", "new", uncertain=[Reason("uncertain", "QUOTE", 0, 5, "a", 0.5),
                                                  Reason("uncertain", "CUE", 9, 12, "b", 0.45)])
    clash = QueueItem(3, "clash", "in_progress", disagreements=[
        Reason("model_doubts", "THREAT", 0, 4, "x", 0.05), Reason("ner_rules", "PERSON", 6, 9, "y")])
    calm = QueueItem(4, "calm", "new")
    tie = QueueItem(0, "tie", "new", disagreements=[Reason("boundary", "QUOTE", 0, 5, "a", 0.9),
                                                    Reason("rules_kept", "EVENT", 7, 9, "b", 0.6)])
    order = [it.title for it in rank([sure, calm, torn, clash, tie])]
    assert order == ["tie", "clash", "torn", "sure", "calm"]  # 2.0 (id 0), 2.0 (id 3), 1.9, 0.42, 0
    assert abs(torn.value - 1.9) < 1e-9
    assert 'QUOTE "a" (0.50)' in torn.why() and "2 uncertain span(s)" in torn.why()
    assert 'model doubts THREAT "x" (0.05)' in clash.why() and "2 disagreement(s)" in clash.why()
    assert "nothing uncertain" in calm.why()


def test_overlapping_candidates_of_one_label_count_once():
    cands = [Reason("uncertain", "QUOTE", 0, 10, "long", 0.7), Reason("uncertain", "QUOTE", 2, 10, "short", 0.52),
             Reason("uncertain", "CUE", 2, 4, "cue", 0.6), Reason("uncertain", "QUOTE", 20, 25, "other", 0.3)]
    kept = most_uncertain(cands)
    assert [(r.label, r.text) for r in kept] == [("CUE", "cue"), ("QUOTE", "short"), ("QUOTE", "other")]


@pytest.mark.slow
def test_queue_cli_ranks_unfinished_documents_with_reasons(trained, tmp_path, capsys):
    out, _ = trained
    db = tmp_path / "q.db"
    with Store(db) as store:
        done = add_to_store(store, labelled_documents(2, seed=3, max_chars=700, templates=2))
        open_ids = add_to_store(store, labelled_documents(3, seed=4, max_chars=700, templates=3), done=False)
    assert main(["queue", "--db", str(db), "--model", str(out), "--limit", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["considered"] == 3 and len(result["items"]) == 2
    ids = [it["doc_id"] for it in result["items"]]
    assert set(ids) <= set(open_ids) and not set(ids) & set(done)
    assert result["origin"].startswith("trained_labelled-")
    assert main(["queue", "--db", str(db), "--model", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "most useful next: 3 of 3 unfinished document(s)" in printed
    assert printed.count("why: ") == 3
    values = [float(line.split("value ")[1].rstrip("]")) for line in printed.splitlines() if "value " in line]
    assert values == sorted(values, reverse=True)


def test_queue_without_a_trained_model_says_what_it_ranks_by(tmp_path, capsys):
    db = tmp_path / "q.db"
    with Store(db) as store:
        add_to_store(store, labelled_documents(1, max_chars=400, templates=1), done=False)
    assert main(["queue", "--db", str(db)]) == 0
    assert "no trained span model" in capsys.readouterr().out
