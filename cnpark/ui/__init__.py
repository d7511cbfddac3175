"""The only cnpark package that imports streamlit, and the one thing pages import: `from cnpark import ui` (and
`from cnpark.ui import …` for what it re-exports).

    ui/frame.py      the page frame: ui.page(), the View (the read model of the month), navigation, selectors, banners
    ui/registry.py   the pages, declared once: script, label, path, the targets each is about
    ui/cache.py      one read model per data version, plan, month and snapshot (one State per run)
    ui/widgets.py    the pages' shared parts: gauges, tables, the reckoning, screens, charts
    ui/dashboard.py  the overview's parts        ui/briefs.py   the 督办 page's parts
    ui/meeting.py    meeting mode's screens      ui/uploads.py  the upload page's parts
    ui/warm.py       the warm-up of the latest month's readings
    ui/pipeline.py   the 重点项目 page's parts   ui/work.py     the 重点工作 page's parts
    ui/links.py      what a link asks that cannot be followed (said in one line), and 复制链接
    ui/text.py       text from uploads and links made inert in Markdown
    ui/phone.py      a phone's page: told by its User-Agent; tables as cards there

Re-exported for the pages: the frame, the widgets, and the shapers of the charts and tables they lay out (trends;
focus, forecast and ledger's table and text functions). Pages take every figure from named readings
(view.readings, cnpark/service/readings.py); tests/test_structure.py keeps them to that.
"""

from cnpark.outputs import trends  # noqa: F401  (re-exported for the pages)
from cnpark.rules import focus, forecast, ledger  # noqa: F401
from cnpark.ui.cache import get_store  # noqa: F401
from cnpark.ui.frame import *  # noqa: F403
from cnpark.ui.widgets import *  # noqa: F403
