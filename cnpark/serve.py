"""`python -m cnpark serve [streamlit options …]`: `streamlit run app.py` with the caches warm before the first request.

The warmer (cnpark/ui/warm.py) starts here, before Streamlit's runtime, and builds the latest month's caches as soon
as the runtime exists; it then follows the store's uploads. scripts/start.sh and deploy/cnpark.service use this.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def _start_warmer() -> None:
    """Once Streamlit's runtime exists (its caches are the ones pages read), start the warmer. cnpark.ui is
    imported only then: its cached functions would otherwise be declared before there is a runtime to hold them."""
    from streamlit import runtime

    while not runtime.exists():
        time.sleep(0.05)
    from cnpark.ui import warm
    warm.start()


def main(options: list[str]) -> int:
    from streamlit.web import cli

    threading.Thread(target=_start_warmer, name="cnpark-warm-start", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *options]
    return cli.main()   # click's entry point: exits with Streamlit's own code
