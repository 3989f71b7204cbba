"""brat standoff: what brat and bioc's brat loader require of the files, and the .ann reader."""

import locale
import re

import pytest

from annotator.domain import AnnotatedDocument, Document, Span
from annotator.formats.brat import annotation_conf, fragments
from annotator.schema import load_schema
from annotator.services.exporting import export
from annotator.services.importing import expand_paths, import_paths


@pytest.fixture
def brat_dir(corpus_store, tmp_path):
    out = tmp_path / "brat"
    assert export(corpus_store, "brat", out) == 7
    return out


def _pairs(folder):
    for txt in sorted(folder.glob("*.txt")):
        yield (txt.read_text(encoding="utf-8"),
               txt.with_suffix(".ann").read_text(encoding="utf-8"))


def _t_lines(ann):
    for line in ann.splitlines():
        if line.startswith("T"):
            ident, body, shown = line.split("\t")
            label, offsets = body.split(" ", 1)
            frags = [tuple(int(x) for x in f.split(" ")) for f in offsets.split(";")]
            yield ident, label, frags, shown


def test_layout_and_counts(brat_dir, corpus_store):
    names = sorted(p.name for p in brat_dir.iterdir())
    assert names[0] == "annotation.conf"
    assert names[1:] == [f"doc-{i:05d}.{ext}" for i in range(1, 8) for ext in ("ann", "txt")]
    texts = [t for t, _ in _pairs(brat_dir)]
    assert texts == [d.text for d in corpus_store.iter_documents()]


def test_t_lines_follow_brats_rule(brat_dir):
    """A T line's text is its fragments' texts joined by a space, in listed order, and never
    holds a tab or a line break; fragments are in order and never empty."""
    seen_multi = False
    for text, ann in _pairs(brat_dir):
        for _, _, frags, shown in _t_lines(ann):
            assert shown == " ".join(text[a:b] for a, b in frags)
            assert all(a < b for a, b in frags)
            assert frags == sorted(frags)
            assert len(shown.splitlines()) == 1 and "\t" not in shown
            assert shown == shown.strip()
            seen_multi |= len(frags) > 1
            if len(frags) == 1:
                (a, b), = frags
                assert text[a:b] == shown  # the text at its offsets
    assert seen_multi  # the quote across a line break is written as fragments


def test_bioc_brat_loader_reads_every_document(brat_dir):
    bratdec = pytest.importorskip("bioc.brat")
    total = {"T": 0, "E": 0, "R": 0, "A": 0, "#": 0}
    for text, ann in _pairs(brat_dir):
        doc = bratdec.loads(text, ann)
        lines = [x for x in ann.splitlines() if x]
        assert len(doc.annotations) == len(lines)
        for ent in doc.entities:
            frags = sorted((iv.begin, iv.end) for iv in ent.locations)
            assert ent.text == " ".join(text[a:b] for a, b in frags)
        ids = {a.id for a in doc.annotations}
        for ev in doc.events:
            assert ev.trigger_id in ids and set(ev.arguments.values()) <= ids
        for rel in doc.relations:
            assert set(rel.arguments.values()) <= ids
        for att in doc.attributes:
            assert att.refid in ids
        for note in doc.notes:
            assert note.refid in ids
        for kind in total:
            total[kind] += sum(1 for x in lines if x.startswith(kind))
    assert all(total.values()), total
    if locale.getpreferredencoding(False).lower().replace("-", "") == "utf8":
        docs = bratdec.listdir(str(brat_dir))  # the folder loader, as a user would call it
        assert len(docs) == 7


def test_events_arguments_and_attributes(brat_dir):
    ann = dict(_pairs(brat_dir))
    tricky = next(a for t, a in ann.items() if t.startswith("Zoe\u0308"))
    lines = tricky.splitlines()
    assert any(re.fullmatch(r"E1\tEVENT:T\d+ Participant:T\d+ Place:T\d+", x) for x in lines)
    assert any(re.fullmatch(r"A\d+\tchannel T\d+ social_media", x) for x in lines)
    assert any(x.startswith("#1\tAnnotatorNotes T") and "canonical_name" in x for x in lines)
    report = "\n".join(ann.values())
    assert re.search(r"\tTHREAT:T\d+ Source:T\d+ Target:T\d+ Condition:T\d+", report)
    assert re.search(r"Place2:T\d+", report)  # repeated roles are numbered, brat's rule


def test_annotation_conf_declares_everything_used(brat_dir):
    conf = (brat_dir / "annotation.conf").read_text(encoding="utf-8")
    sections = {}
    current = None
    for line in conf.splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        elif line and not line.startswith("#") and current:
            sections[current].append(line)
    assert set(sections) == {"entities", "relations", "events", "attributes"}
    entities = set(sections["entities"])
    events = {line.split("\t")[0]: line for line in sections["events"]}
    relations = {line.split("\t")[0] for line in sections["relations"]}
    attributes = {line.split("\t")[0]: line for line in sections["attributes"]}
    assert events.keys() == {"EVENT", "THREAT"} and not entities & events.keys()
    for _, ann in _pairs(brat_dir):
        for line in ann.splitlines():
            ident, rest = line.split("\t", 1)
            if ident[0] == "T":
                assert rest.split(" ")[0] in entities | events.keys()
            elif ident[0] == "E":
                etype, *args = rest.split(" ")
                etype = etype.split(":")[0]
                for arg in args:
                    name = re.sub(r"\d+$", "", arg.split(":")[0])
                    assert f"{name}*:" in events[etype]
            elif ident[0] == "R":
                assert rest.split(" ")[0] in relations
            elif ident[0] == "A":
                name, _, value = rest.split(" ")
                assert re.search(rf"Value:(.*\|)?{re.escape(value)}(\||$)", attributes[name])


def test_fragments_split_at_every_line_break_and_tab():
    text = "a\u2028b\tc\r\nd\x85e  \n  f"
    assert [text[a:b] for a, b in fragments(text, 0, len(text))] == ["a", "b", "c", "d", "e", "f"]
    assert fragments(" \n ", 0, 3) == []


def test_whitespace_only_label_is_left_out_and_edges_trimmed(store, tmp_path):
    text = "Alpha beta\n\ngamma delta"
    spans = [Span(None, 5, 12, "QUOTE", id=0), Span(None, 10, 12, "PERSON", id=1),
             Span(None, 0, 5, "PERSON", id=2)]
    store.add_documents([AnnotatedDocument(Document(text=text), spans)])
    out = tmp_path / "b"
    export(store, "brat", out)
    ann = (out / "doc-00001.ann").read_text(encoding="utf-8")
    assert ann == "T1\tPERSON 0 5\tAlpha\nT2\tQUOTE 6 10\tbeta\n"


def test_export_refuses_a_foreign_folder(corpus_store, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"x")
    with pytest.raises(ValueError, match="not empty"):
        export(corpus_store, "brat", out)
    assert (out / "thesis.docx").exists()


def test_reexport_into_the_same_folder_replaces_old_documents(corpus_store, store, tmp_path):
    out = tmp_path / "b"
    export(corpus_store, "brat", out)
    from annotator.services.exporting import ExportFilter

    export(corpus_store, "brat", out, ExportFilter(doc_status="done"))  # no document is done
    assert [p.name for p in out.iterdir()] == ["annotation.conf"]


def test_folder_import_skips_the_paired_txt(brat_dir, tmp_path):
    (brat_dir / "loose.txt").write_text("A plain article.", encoding="utf-8")
    found = [p.name for p in expand_paths([brat_dir])]
    assert found == [f"doc-{i:05d}.ann" for i in range(1, 8)] + ["loose.txt"]


BAD_ANN = {
    "mismatch": ("T1\tPERSON 0 5\tAlphz\n", 1, "does not match"),
    "label": ("T1\tPERSON 0 5\tAlpha\nT2\tALIEN 6 10\tbeta\n", 2, "unknown label"),
    "range": ("T1\tPERSON 0 500\tAlpha\n", 1, "out of range"),
    "offsets": ("T1\tPERSON 0-5\tAlpha\n", 1, "bad offsets"),
    "dangling": ("T1\tPERSON 0 5\tAlpha\nR1\tSAME_AS Arg1:T1 Arg2:T9\n", 2, "not in the file"),
    "role": ("T1\tPERSON 0 5\tAlpha\nR1\tLOVES Arg1:T1 Arg2:T1\n", 2, "unknown relation role"),
    "event": ("T1\tEVENT 6 10\tbeta\nE1\tEVENT:T1 Flavour:T1\n", 2, "unknown event argument"),
    "trigger": ("T1\tPERSON 0 5\tAlpha\nE1\tEVENT:T1\n", 2, "differs from its trigger"),
    "attr": ("T1\tQUOTE 6 10\tbeta\nA1\tkind T1 shouted\n", 2, "not allowed"),
    "equiv": ("T1\tPERSON 0 5\tAlpha\n*\tEquiv T1 T1\n", 2, "unsupported"),
    "notab": ("T1 PERSON 0 5 Alpha\n", 1, "expected an id"),
}


@pytest.mark.parametrize("name", sorted(BAD_ANN))
def test_bad_ann_is_refused_with_file_and_line(store, tmp_path, name):
    content, line, message = BAD_ANN[name]
    (tmp_path / "ok.txt").write_text("Other article.", encoding="utf-8")
    (tmp_path / "ok.ann").write_text("", encoding="utf-8")
    (tmp_path / "x.txt").write_text("Alpha beta gamma.", encoding="utf-8")
    (tmp_path / "x.ann").write_text(content, encoding="utf-8")
    report = import_paths(store, [tmp_path])
    assert len(report.problems) == 1, report.problems
    assert f"{tmp_path / 'x.ann'}:{line}:" in report.problems[0]
    assert message in report.problems[0]
    assert report.documents_added == 1  # only ok.txt/ok.ann: x is refused whole
    assert [d.text for d in store.iter_documents()] == ["Other article."]


def test_ann_without_txt_is_refused(store, tmp_path):
    (tmp_path / "lonely.ann").write_text("T1\tPERSON 0 1\tA\n", encoding="utf-8")
    report = import_paths(store, [tmp_path])
    assert len(report.problems) == 1 and "no lonely.txt" in report.problems[0]


def test_external_brat_features_are_read(store, tmp_path):
    """Discontinuous T, event args referring to events, M lines, N lines, plain notes."""
    text = "Rebels shelled the town, which led to flight from Ostmere."

    def at(word):
        return f"{text.index(word)} {text.index(word) + len(word)}"

    ann = (
        f"T1\tNORP {at('Rebels')}\tRebels\n"
        f"T2\tEVENT {at('shelled')}\tshelled\n"
        f"T3\tEVENT {at('flight')}\tflight\n"
        f"T4\tGPE {at('Ostmere')}\tOstmere\n"
        f"T5\tQUOTE {at('Rebels')};{at('the town')}\tRebels the town\n"
        "E1\tEVENT:T2 Participant:T1 Resulted_in:E2\n"
        "E2\tEVENT:T3 Place:T4\n"
        "M1\ttype E1 ATTACK\n"
        "N1\tReference T4 Wikidata:Q1\tOstmere\n"
        "#1\tAnnotatorNotes T1\tchecked by desk\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.ann").write_text(ann, encoding="utf-8")
    report = import_paths(store, [tmp_path])
    assert report.ok, report.problems
    (doc_id,) = store.document_ids()
    spans = {s.id: s for s in store.spans(doc_id)}
    got = {(text[s.start:s.end], s.label) for s in spans.values()}
    assert ("Rebels shelled the town", "QUOTE") in got  # discontinuous: first start..last end
    rels = {(text[spans[r.head_id].start:spans[r.head_id].end], r.role,
             text[spans[r.tail_id].start:spans[r.tail_id].end]) for r in store.relations(doc_id)}
    assert rels == {("shelled", "PARTICIPANT", "Rebels"), ("shelled", "RESULTED_IN", "flight"),
                    ("flight", "PLACE", "Ostmere")}
    shelled = next(s for s in spans.values() if s.label == "EVENT" and s.start == 7)
    assert shelled.attrs == {"type": "ATTACK"}


def test_conf_is_generated_from_the_schema():
    conf = annotation_conf(load_schema())
    assert "channel\tArg:QUOTE, Value:speech|social_media|interview|press_release|unknown" in conf
    assert "SAID_BY\tArg1:QUOTE, Arg2:PERSON|ORG|GPE|NORP|SPEAKER" in conf
    assert "canonical_name" not in conf  # free text: written as notes


def test_named_pair_imports_once_with_labels(brat_dir, fresh_store):
    store = fresh_store()
    files = sorted(brat_dir.glob("doc-00007.*"))  # as `annotator import folder/doc-00007.*`
    assert [p.suffix for p in files] == [".ann", ".txt"]
    assert [p.suffix for p in expand_paths(files[::-1])] == [".ann"]
    report = import_paths(store, files[::-1])
    assert report.ok and report.documents_added == 1 and report.documents_skipped == 0
    assert store.spans(store.document_ids()[0])
