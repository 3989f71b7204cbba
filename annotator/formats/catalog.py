"""Every format the app knows, in one explicit list.

The CLI (`export --format`), the export dialog and the importer read this tuple; nothing is
registered as a side effect of importing a module. Adding a format: write its module (reader
and/or writer of `AnnotatedDocument`s) and add one `FormatInfo` line here.
"""

from __future__ import annotations

from pathlib import Path

from annotator.formats.base import FormatInfo, Reader
from annotator.formats.brat import write_brat
from annotator.formats.brat_reader import read_brat
from annotator.formats.conll import write_conll
from annotator.formats.csv_tables import write_csv_tables
from annotator.formats.doccano import write_doccano
from annotator.formats.html_reader import read_html
from annotator.formats.json_reader import read_json
from annotator.formats.jsonl import write_jsonl
from annotator.formats.jsonl_reader import read_jsonl
from annotator.formats.labelstudio import write_labelstudio
from annotator.formats.prodigy import write_prodigy
from annotator.formats.spacy_docbin import write_spacy
from annotator.formats.text import read_csv, read_plain

FORMATS: tuple[FormatInfo, ...] = (
    FormatInfo("jsonl", "News Annotator JSONL (lossless)", ".jsonl", writer=write_jsonl,
               reader=read_jsonl, import_suffixes=(".jsonl",),
               keeps="Keeps everything: text, metadata, every label with its status, origin, "
                     "annotator and attributes, the links and actor ids."),
    FormatInfo("prodigy", "Prodigy JSONL (tokens, spans, relations)", ".jsonl",
               writer=write_prodigy, reader=read_jsonl,
               keeps="Keeps text, tokens, labels with attributes and the links; leaves out "
                     "status and origin (included suggestions look accepted) and actor ids."),
    FormatInfo("doccano", "doccano JSONL (entities + relations)", ".jsonl",
               writer=write_doccano, reader=read_jsonl,
               keeps="Keeps text, labels and the links; leaves out attributes, status and "
                     "actor ids (doccano has no place for them)."),
    FormatInfo("labelstudio", "Label Studio JSON tasks (+ labelling config XML)", ".json",
               writer=write_labelstudio, reader=read_json,
               import_suffixes=(".json",),
               keeps="Keeps text, labels, attributes, the links and actor ids (suggestions as "
                     "predictions); leaves out who made each label."),
    FormatInfo("brat", "brat standoff folder (.txt + .ann, annotation.conf)", "",
               writer=write_brat, reader=read_brat, import_suffixes=(".ann",),
               keeps="Keeps text, labels, events, the links, attributes (free text as notes) "
                     "and actor references; leaves out status, title and metadata."),
    FormatInfo("spacy", "spaCy DocBin (.spacy): ents + spans['sc'], train/dev split", ".spacy",
               writer=write_spacy,
               keeps="Keeps entities (overlaps resolved), every label in spans['sc'] and the links "
                     "(read_relations); leaves out attributes, status and metadata."),
    FormatInfo("conll", "CoNLL-2003 IOB2 columns (entity labels)", ".conll",
               writer=write_conll,
               keeps="Keeps the entity labels only (the longest of overlapping ones); leaves out "
                     "quotes, threats, events, the links and attributes."),
    FormatInfo("csv", "Analyst tables: quotes.csv, threats.csv, events.csv", "",
               writer=write_csv_tables,
               keeps="Keeps a row per quote, threat and event with its linked speaker, target, "
                     "place... and actor ids; leaves out other labels and the text."),
    FormatInfo("txt", "Plain text article", ".txt", reader=read_plain,
               import_suffixes=(".txt", ".md")),
    FormatInfo("html", "HTML page (article text)", ".html", reader=read_html,
               import_suffixes=(".html", ".htm")),
    FormatInfo("csv-in", "CSV with a text column", ".csv", reader=read_csv,
               import_suffixes=(".csv",)),
)

_BY_SUFFIX: dict[str, Reader] = {suffix: f.reader for f in FORMATS if f.reader
                                  for suffix in f.import_suffixes}


def exporters() -> dict[str, FormatInfo]:
    """Formats that can write a project, by name, in catalogue order."""
    return {f.name: f for f in FORMATS if f.writer}


def import_suffixes() -> tuple[str, ...]:
    """File suffixes (lower case, with the dot) that some reader imports."""
    return tuple(_BY_SUFFIX)


def reader_for(path: Path) -> Reader | None:
    return _BY_SUFFIX.get(path.suffix.lower())
