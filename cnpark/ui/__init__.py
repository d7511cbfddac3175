"""The only cnpark package that imports streamlit, and the one thing pages import: `from cnpark import ui` (and
`from cnpark.ui import …` for what it re-exports).

    ui/frame.py      the page frame: ui.page(), the View, navigation, selectors, banners
    ui/cache.py      every read, cached per data version (one Data per run)
    ui/widgets.py    the pages' shared parts: gauges, tables, the reckoning, screens, charts
    ui/dashboard.py  the overview's parts        ui/briefs.py   the 督办 page's parts
    ui/meeting.py    meeting mode's screens      ui/uploads.py  the upload page's parts
    ui/warm.py       the warm-up of the latest month's caches
    ui/links.py      what a link asks that cannot be followed (said in one line), and 复制链接
    ui/text.py       text from uploads and links made inert in Markdown

Re-exported for the pages: the frame, the widgets, and the pure modules whose shaping and charts they lay out
(focus, forecast, ledger, trends).
"""

from cnpark.outputs import trends  # noqa: F401  (re-exported for the pages)
from cnpark.rules import focus, forecast, ledger  # noqa: F401
from cnpark.ui.cache import get_catalog, get_store  # noqa: F401
from cnpark.ui.frame import *  # noqa: F403
from cnpark.ui.widgets import *  # noqa: F403
