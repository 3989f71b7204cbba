"""spaCy training data: a `DocBin` (`.spacy`) for `spacy train` and `spacy debug data`.

* One `Doc` per paragraph (default) or per article (`ExportOptions.extra["spacy_unit"] =
  "document"`). Paragraphs are lines; consecutive lines that a span crosses stay together, so
  no label is ever cut. Many short docs is what `spacy debug data` and training want.
* Tokens from `spacy.blank("en")`; a label's character range (trimmed of surrounding
  whitespace) is mapped with `doc.char_span(alignment_mode="expand")`.
* `doc.ents`: labels of the schema's `entity` group (PERSON ORG GPE LOC NORP DATE), overlaps
  resolved by `spacy.util.filter_spans` (longest, then earliest, wins).
* `doc.spans["sc"]`: every label, overlapping or not (the spancat convention).
* `doc.user_data["news_annotator"]`: title, document id and the paragraph's character offset
  in the article, so a Doc can be traced back.
* `doc.user_data["news_relations"]`: the links (who said what, a threat's target, ...), each
  `{"role", "head": [start, end, label], "tail": [start, end, label]}` with character offsets in
  `doc.text`; read them as spaCy spans with `read_relations(doc)`. A paragraph unit keeps the
  lines between a link's two ends together, so no link is cut either.
* Train/dev split by article (never by paragraph, so a dev article never leaks into train),
  with `ExportOptions.dev_fraction` and `seed`: an article goes to dev when its seeded content
  hash is among the lowest `round(n * dev_fraction)` (at least one when the fraction is > 0
  and there are two articles or more). The split depends only on the texts and the seed, not
  on the order of documents.
* Where the files go: `out` is the training file and the dev set goes beside it as
  `<stem>.dev.spacy`; if `out` is an existing folder or has no suffix, it becomes a folder
  holding `train.spacy` (and `dev.spacy`). A set too large for one part is a folder of parts
  under the same name (formats/spacy_parts.py; `read_docs` reads either shape).
"""

from __future__ import annotations

import bisect
import hashlib
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from annotator.atomic_files import staging
from annotator.domain import AnnotatedDocument, Span
from annotator.formats.base import ExportOptions
from annotator.formats.spacy_parts import PART_TOKENS, PartWriter, route_parts
from annotator.formats.tokens import blank_nlp, paragraph_units, trim
from annotator.schema import LabelSchema

SPANS_KEY = "sc"
RELATIONS_KEY = "news_relations"


def read_relations(doc) -> list[tuple]:
    """(head, role, tail) of every link of an exported Doc, head and tail as spaCy `Span`s
    labelled as in the project (e.g. a QUOTE's SAID_BY speaker). Works on Docs read back with
    plain spaCy (`DocBin().from_disk(path).get_docs(vocab)` or `spacy_parts.read_docs`)."""
    found = []
    for link in doc.user_data.get(RELATIONS_KEY, ()):
        head, tail = (doc.char_span(a, b, label=label, alignment_mode="expand")
                      for a, b, label in (link["head"], link["tail"]))
        if head is not None and tail is not None:
            found.append((head, link["role"], tail))
    return found


def output_paths(out: Path) -> tuple[Path, Path]:
    """(train, dev) file paths for an export to `out` (see the module docstring)."""
    if out.is_dir() or not out.suffix:
        return out / "train.spacy", out / "dev.spacy"
    return out, out.with_name(out.stem + ".dev.spacy")


def entity_labels(schema: LabelSchema) -> set[str]:
    return {lab.name for lab in schema.labels if lab.group == "entity"}


def bundle_to_docs(bundle: AnnotatedDocument, schema: LabelSchema, unit: str = "paragraph",
                   ent_labels: set[str] | None = None) -> list:
    from spacy.util import filter_spans

    nlp = blank_nlp()
    ent_labels = entity_labels(schema) if ent_labels is None else ent_labels
    text = bundle.document.text
    spans = sorted(bundle.spans, key=lambda s: (s.start, s.end, s.label))
    by_id = {s.id: s for s in spans}
    links = [(by_id[r.head_id], r.role, by_id[r.tail_id]) for r in bundle.relations
             if r.head_id in by_id and r.tail_id in by_id]
    if unit == "document":
        units = [(0, len(text))]
    else:  # a link's two ends, and the lines between them, stay in one unit
        reach = [Span(None, min(h.start, t.start), max(h.end, t.end), "") for h, _, t in links]
        units = paragraph_units(text, spans + reach)
    starts = [a for a, _ in units]
    links_of = _links_by_unit(text, links, units)
    per_unit: list[list[tuple[int, int, str]]] = [[] for _ in units]
    for span in spans:
        start, end = trim(text, span.start, span.end)
        k = bisect.bisect_right(starts, start) - 1
        if start < end and k >= 0 and end <= units[k][1]:
            per_unit[k].append((start, end, span.label))
    docs = []
    for (a, b), inside in zip(units, per_unit):
        doc = nlp.make_doc(text[a:b])
        group, ents, seen = [], [], set()
        for start, end, label in inside:
            sp = doc.char_span(start - a, end - a, label=label, alignment_mode="expand")
            if sp is None or (sp.start, sp.end, label) in seen:
                continue
            seen.add((sp.start, sp.end, label))
            group.append(sp)
            if label in ent_labels:
                ents.append(sp)
        doc.ents = filter_spans(ents)
        doc.spans[SPANS_KEY] = group
        doc.user_data["news_annotator"] = {
            "doc_id": bundle.document.id, "title": bundle.document.title, "char_offset": a}
        doc.user_data[RELATIONS_KEY] = [
            {"role": role, "head": [h0 - a, h1 - a, hl], "tail": [t0 - a, t1 - a, tl]}
            for (h0, h1, hl), role, (t0, t1, tl) in links_of[len(docs)]]
        docs.append(doc)
    return docs


def _links_by_unit(text: str, links: list, units: list[tuple[int, int]]) -> list[list]:
    """Each unit's links with both ends inside it, as ((start, end, label), role, (start, end,
    label)) with the ends trimmed as the labels are."""
    starts = [a for a, _ in units]
    by_unit: list[list] = [[] for _ in units]
    for head, role, tail in links:
        ends = [(*trim(text, s.start, s.end), s.label) for s in (head, tail)]
        k = bisect.bisect_right(starts, min(ends[0][0], ends[1][0])) - 1
        if k >= 0 and all(units[k][0] <= x < y <= units[k][1] for x, y, _ in ends):
            by_unit[k].append((ends[0], role, ends[1]))
    return by_unit


@contextmanager
def _memoised_msgpack_encoders() -> Iterator[None]:
    """Speed up `DocBin.add` about tenfold for the length of an export.

    Every `srsly.msgpack_dumps` (three per Doc in `DocBin.add`: user data, span groups, each
    group) builds a Packer that asks catalogue for the registered msgpack encoders, which scans
    the installed packages' entry points and copies spaCy's whole function registry. The answer
    does not change during an export, so it is looked up once and the lookup is restored after.
    """
    try:
        from srsly.msgpack import msgpack_encoders
    except ImportError:  # a srsly without this registry: nothing to speed up
        yield
        return
    encoders = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: encoders  # instance attribute shadows the method
    try:
        yield
    finally:
        del msgpack_encoders.get_all


# Every string a token refers to through these attributes must travel in the DocBin.
_STRING_ATTRS = ("ORTH", "TAG", "LEMMA", "NORM", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


@lru_cache(maxsize=1)
def fast_docbin_class():
    """`DocBin` whose `add` collects a Doc's strings once per distinct hash of its arrays.

    spaCy's `DocBin.add` reads nine string properties per token through a Token object each
    (text, tag_, lemma_, norm_, morph, dep_, ent_type_, ent_kb_id_, ent_id_): two thirds of
    a paragraph export. The strings are the same set as those of the distinct hashes in the
    Doc's arrays for those attributes, looked up here in one pass; the bytes on disk are the
    same format, read by the stock `DocBin`. Any hash not in the vocabulary falls back to the
    stock `add`."""
    import numpy
    import srsly
    from spacy.attrs import MORPH, SPACY, intify_attr
    from spacy.tokens import DocBin, MorphAnalysis

    string_attrs = [intify_attr(name) for name in _STRING_ATTRS]

    class FastDocBin(DocBin):
        def add(self, doc) -> None:
            vocab_strings = doc.vocab.strings
            try:
                found = [vocab_strings[h] for h in
                         numpy.unique(doc.to_array(string_attrs)).tolist()] if len(doc) else []
                # str(token.morph), as spaCy adds it ("" for an empty analysis, not "_")
                found += [str(MorphAnalysis.from_id(doc.vocab, h)) for h in
                          numpy.unique(doc.to_array([MORPH])).tolist()] if len(doc) else []
            except KeyError:
                DocBin.add(self, doc)
                return
            array = doc.to_array(self.attrs)
            if len(array.shape) == 1:
                array = array.reshape((array.shape[0], 1))
            self.tokens.append(array)
            spaces = doc.to_array(SPACY)
            self.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
            self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
            self.strings.update(found)
            self.cats.append(doc.cats)
            if self.store_user_data:
                self.user_data.append(srsly.msgpack_dumps(doc.user_data))
            self.span_groups.append(doc.spans.to_bytes())
            for group in doc.spans.values():
                for span in group:
                    self.strings.add(span.label_)
                    if span.kb_id in vocab_strings:
                        self.strings.add(span.kb_id_)
                    if span.id in vocab_strings:
                        self.strings.add(span.id_)

    return FastDocBin


def _split_key(seed: int, content_hash: str) -> str:
    return hashlib.sha256(f"{seed}:{content_hash}".encode()).hexdigest()


def write_spacy(bundles: Iterable[AnnotatedDocument], out: Path, schema: LabelSchema,
                options: ExportOptions) -> int:
    """Stream the Docs into parts (formats/spacy_parts.py): only one part is ever in memory."""
    make_bin = fast_docbin_class()
    unit = str(options.extra.get("spacy_unit", "paragraph"))
    if unit not in ("paragraph", "document"):
        raise ValueError(f"spacy_unit must be 'paragraph' or 'document', not {unit!r}")
    if not 0.0 <= options.dev_fraction < 1.0:
        raise ValueError(f"dev_fraction must be in [0, 1), not {options.dev_fraction}")
    part_tokens = int(options.extra.get("spacy_part_tokens", PART_TOKENS))
    ents = entity_labels(schema)
    train_path, dev_path = output_paths(out)
    keys: list[str] = []  # each article's split key
    entries = array("l")  # each Doc's article (its index in `keys`): 8 bytes a Doc
    with staging() as stage, _memoised_msgpack_encoders():
        first = PartWriter(stage, train_path, make_bin, part_tokens)
        for bundle in bundles:
            keys.append(_split_key(options.seed, bundle.document.content_hash))
            for doc in bundle_to_docs(bundle, schema, unit, ents):
                first.add(doc)
                entries.append(len(keys) - 1)
        if options.dev_fraction <= 0:
            first.finish()
            return len(keys)
        dev_keys: set[str] = set()
        if len(keys) >= 2:
            n_dev = min(len(keys) - 1, max(1, round(len(keys) * options.dev_fraction)))
            dev_keys = set(sorted(keys)[:n_dev])
        first.flush()
        train = PartWriter(stage, train_path, make_bin, part_tokens)
        dev = PartWriter(stage, dev_path, make_bin, part_tokens)
        route_parts(first.files, [keys[k] in dev_keys for k in entries], train, dev)
        stage.drop(first.folder)
        train.finish()
        dev.finish()
    return len(keys)
