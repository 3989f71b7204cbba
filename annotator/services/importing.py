"""Import files and folders into a project: each file is all-or-nothing and idempotent."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain import ValidationError
from annotator.formats import ImportProblem, import_suffixes, reader_for
from annotator.store import Store, StoreError


@dataclass
class ImportReport:
    files: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # already in the project (same text)
    added_ids: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively for the suffixes we can read.

    In a folder, a `.txt` with an `.ann` of the same stem beside it is the text of a brat
    document: the `.ann` reader imports it, so it is not imported again as plain text (nor
    when both files are given by name, as a shell glob does).
    """
    suffixes = set(import_suffixes())
    paths = [Path(raw) for raw in paths]
    given = set(paths)
    for path in paths:
        if path.suffix.lower() == ".txt" and path.with_suffix(".ann") in given:
            continue
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.is_file() and child.suffix.lower() in suffixes
                        and not _brat_text(child)):
                    yield child
        else:
            yield path


def _brat_text(path: Path) -> bool:
    return path.suffix.lower() == ".txt" and any(
        path.with_suffix(suffix).is_file() for suffix in (".ann", ".ANN"))


def import_paths(store: Store, paths: Iterable[str | Path],
                 progress: Callable[[Path], None] | None = None) -> ImportReport:
    report = ImportReport()
    for path in expand_paths(paths):
        report.files += 1
        try:
            import_file(store, path, report)
        except ImportProblem as exc:
            report.problems.append(str(exc))
        if progress:
            progress(path)
    return report


def import_file(store: Store, path: Path, report: ImportReport) -> None:
    if not path.exists():
        raise ImportProblem(path, "no such file")
    reader = reader_for(path)
    if reader is None:
        raise ImportProblem(path, f"unsupported file type {path.suffix or '(none)'}; use one of "
                                  f"{', '.join(sorted(import_suffixes()))}")
    bundles = reader(path, store.schema)
    try:
        added = store.add_documents(bundles)
    except (ValidationError, StoreError) as exc:
        raise ImportProblem(path, str(exc)) from exc
    report.added_ids += added
    report.documents_added += len(added)
    report.documents_skipped += len(bundles) - len(added)
