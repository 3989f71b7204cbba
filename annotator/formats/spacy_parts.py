"""A spaCy export written a part at a time, so memory stays flat however large the corpus.

Holding every `Doc` of a corpus in one `DocBin` took 1,080 MB at 20,000 articles. Here a part
is written to disk once it holds `part_tokens` tokens, and only the current part is in memory.

Where the parts go: a set that fits in one part is one `.spacy` file, as before. A larger set
is a folder of that same name holding `part-0001.spacy`, `part-0002.spacy`, ...: `spacy train`
and `spacy debug data` read such a folder as one corpus (`--paths.train corpus/train.spacy`,
spaCy's `Corpus` walks a folder for `.spacy` files), and `read_docs` here reads either shape.

The train/dev split is by article, among all articles (spacy_docbin.py): which articles go to
dev is known only at the end, so with a dev fraction the parts are first written as they come,
then routed to train and dev part by part, moving DocBin entries without rebuilding any Doc.
Everything is written under temporary names and appears only when complete (atomic_files.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.atomic_files import Staging

PART_TOKENS = 50_000  # a part costs ~35 MB while it is written (5,000-article corpus: 218 MB peak)


def read_docs(path: Path | str, vocab=None) -> Iterator:
    """Every Doc of a spaCy export: a `.spacy` file, or a folder of part files (read in name
    order), as one sequence. `vocab`: spaCy's blank English vocabulary by default."""
    import spacy
    from spacy.tokens import DocBin

    vocab = vocab if vocab is not None else spacy.blank("en").vocab
    path = Path(path)
    files = sorted(path.rglob("*.spacy")) if path.is_dir() else [path]
    for file in files:
        yield from DocBin().from_disk(file).get_docs(vocab)


class PartWriter:
    """DocBins of at most `part_tokens` tokens, written as parts into a staged folder for
    `target`; `finish` makes them the target (one file, or the folder of parts)."""

    def __init__(self, stage: Staging, target: Path, make_bin, part_tokens: int = PART_TOKENS):
        self.stage, self.target, self.make_bin = stage, target, make_bin
        self.part_tokens = part_tokens
        self.folder = stage.path(target, folder=True)
        self.files: list[Path] = []  # the parts written so far
        self.current = make_bin(store_user_data=True)
        self.tokens = 0

    def add(self, doc) -> None:
        self.current.add(doc)
        self._grew(len(doc))

    def add_entry(self, source, i: int) -> None:
        """Entry `i` of the DocBin `source`, moved as stored (no Doc is built)."""
        copy_entry(source, i, self.current)
        self._grew(len(source.tokens[i]))

    def _grew(self, tokens: int) -> None:
        self.tokens += tokens
        if self.tokens >= self.part_tokens:
            self.flush()

    def flush(self) -> None:
        """Write the current part (an empty one only when nothing was written yet)."""
        if len(self.current) or not self.files:
            part = self.folder / f"part-{len(self.files) + 1:04d}.spacy"
            self.current.to_disk(part)
            self.files.append(part)
        self.current = self.make_bin(store_user_data=True)
        self.tokens = 0

    def finish(self) -> int:
        """Place the parts at the target when the stage commits. Returns how many parts."""
        self.flush()
        if len(self.files) == 1:  # one part: a plain .spacy file, as small exports always were
            self.files[0].replace(self.stage.path(self.target))
            self.stage.drop(self.folder)
        return len(self.files)


def copy_entry(source, i: int, target) -> None:
    """Append entry `i` of DocBin `source` to DocBin `target` (both storing user data)."""
    target.tokens.append(source.tokens[i])
    target.spaces.append(source.spaces[i])
    target.cats.append(source.cats[i])
    target.flags.append(source.flags[i])
    target.span_groups.append(source.span_groups[i])
    target.user_data.append(source.user_data[i])
    target.strings.update(source.strings)


def route_parts(files: Iterable[Path], article_of_entry: list[bool], train: PartWriter,
                dev: PartWriter) -> None:
    """Move every entry of the staged `files` (in order) to `dev` where `article_of_entry[n]` is
    true for the n-th entry overall, to `train` otherwise."""
    from spacy.tokens import DocBin

    n = 0
    for file in files:
        source = DocBin(store_user_data=True).from_disk(file)
        for i in range(len(source)):
            (dev if article_of_entry[n] else train).add_entry(source, i)
            n += 1
        file.unlink()
