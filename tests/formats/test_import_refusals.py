"""Nothing changed or dropped without a word: each input here was once imported with exit 0 and
something silently lost, doubled or let through. Each is now refused naming the file and line
(the project unchanged, the good file of the same run imported) or counted in the summary."""

import json

from annotator.services.importing import import_paths

GOOD = "A good article about the port strike.\n"
TEXT = "Ana Ruiz said on Monday that talks failed.\n"


def _good(tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _jsonl(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _own(spans, relations=(), text=TEXT):
    return {"format": "news-annotator/1", "text": text, "spans": list(spans),
            "relations": list(relations)}


def _texts(store):
    return sorted(d.text for d in store.iter_documents())


def _rows(store, table):
    return store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _refused_alone(store, report, name, line):
    """The bad file is refused, named with its line; only the good file came in."""
    assert len(report.problems) == 1, report.problems
    assert report.problems[0].startswith(f"{name}:{line}: "), report.problems
    assert _texts(store) == [GOOD]
    assert _rows(store, "spans") == 0 and _rows(store, "relations") == 0


# --- CSV read strictly ---------------------------------------------------------------------------

def test_csv_stray_quote_is_refused_not_swallowing_later_rows(store, tmp_path):
    bad = tmp_path / "stray.csv"
    bad.write_text('text\nfirst row\n"second row with a stray quote\nthird row\nfourth row\n',
                   encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 5)
    assert "line 3" in report.problems[0]  # where the quote opened
    ok = tmp_path / "ok.csv"  # quoted newlines and quotes are still fine
    ok.write_text('text\n"Para one,\n""quoted""\npara two"\nSecond row\n', encoding="utf-8")
    assert import_paths(store, [ok]).documents_added == 2
    assert 'Para one,\n"quoted"\npara two' in _texts(store)


def test_csv_text_after_a_closing_quote_is_refused(store, tmp_path):
    bad = tmp_path / "quote.csv"
    bad.write_text('text\nfirst row\n"second" row\nthird row\n', encoding="utf-8")
    _refused_alone(store, import_paths(store, [_good(tmp_path), bad]), bad, 3)


def test_csv_duplicate_header_is_refused(store, tmp_path):
    bad = tmp_path / "twice.csv"
    bad.write_text("text,title,text\nfirst text,A title,second text\n", encoding="utf-8")
    report = import_paths(store, [_good(tmp_path), bad])
    _refused_alone(store, report, bad, 1)
    assert "text" in report.problems[0]
