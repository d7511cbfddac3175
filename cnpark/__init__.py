"""cnpark: the dashboard of the Changning Industrial Park revitalization plan (README.md: the layout, the stages).

Importing cnpark first sets one option of Arrow's memory allocator (mimalloc, built into pyarrow) for every process
that runs cnpark — the server, the command line, the tests: commit an arena's memory as it is used, not all of it
when the arena is reserved. An upload's parse frees a table's worth of buffers and allocates the next; with eager
commits the process held ~13 MB more at its peak than it used (docs/PERFORMANCE.md, issue 24, "A third of the
memory"). mimalloc reads its options once, when pyarrow's library loads: the option is set only if pyarrow is not
loaded yet, and never over a value the environment already gives. (Giving freed pages back at once as well,
MIMALLOC_PURGE_DELAY=0, saved 3 MB more but cost a 1,000,000-row ingest ~20 % in page faults: not set.)
"""

import os
import sys

ALLOCATOR = {"MIMALLOC_ARENA_EAGER_COMMIT": "0"}

if "pyarrow" not in sys.modules:
    for _name, _value in ALLOCATOR.items():
        os.environ.setdefault(_name, _value)
