"""cnpark: the dashboard of the Changning Industrial Park revitalization plan (README.md: the layout, the stages).

Importing cnpark first sets how Arrow's memory allocator (mimalloc, built into pyarrow) gives memory back, for every
process that runs cnpark — the server, the command line, the tests. By default mimalloc commits a whole arena when it
reserves one and keeps freed pages ~10 ms before returning them; an upload's parse frees a table's worth of buffers
and allocates the next, so the process held ~12 MB more at its peak than it used (docs/PERFORMANCE.md, issue 24, "A
third of the memory"). mimalloc reads these options once, when pyarrow's library loads: they are set only if pyarrow
is not loaded yet, and never over a value the environment already gives.
"""

import os
import sys

ALLOCATOR = {"MIMALLOC_ARENA_EAGER_COMMIT": "0", "MIMALLOC_PURGE_DELAY": "0"}

if "pyarrow" not in sys.modules:
    for _name, _value in ALLOCATOR.items():
        os.environ.setdefault(_name, _value)
