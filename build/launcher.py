"""Entry script of the frozen app (PyInstaller analyses this file, not annotator/__main__.py).

`freeze_support()` lets spaCy's `n_process > 1` work when frozen: a child process started by
multiprocessing re-runs this executable, which must hand over to the worker instead of the CLI.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from annotator.cli import main

    sys.exit(main())
