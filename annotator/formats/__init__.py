"""Dataset formats: one module per format, each a reader and/or writer of domain objects.

Formats never touch the store or Qt. `formats.catalog` lists every format explicitly (the CLI
and the export dialog list it), so adding a format is one module plus one line there. Format
modules import their sibling modules (`formats.base`, `formats.context`, ...), never this
package, so there is no import circle; the names below are the package's public face.
"""

from annotator.formats.base import (
    ExportOptions,
    FormatInfo,
    ImportProblem,
    Reader,
    Writer,
)
from annotator.formats.catalog import FORMATS, exporters, import_suffixes, reader_for
from annotator.formats.context import ReadContext

__all__ = ["FORMATS", "ExportOptions", "FormatInfo", "ImportProblem", "ReadContext", "Reader",
           "Writer", "exporters", "import_suffixes", "reader_for"]
