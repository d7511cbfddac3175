"""The pages, declared once: each page's script, its label and URL path in navigation order, and the plan's targets
it is about (by role; their fixed codes in data/plan). Navigation, the meeting tour (and its auto-advance), a page's
own gauges and whether a plan has what a page draws all read this list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cnpark.plan.catalog import Catalog


@dataclass(frozen=True)
class Page:
    script: str
    label: str
    path: str                                              # the URL path ("" = the overview)
    targets: dict[str, str] = field(default_factory=dict)   # role → target code: the page draws these
    tasks: bool = False                                    # the page draws the plan's tasks
    tour: bool = True                                      # meeting mode's tour shows it
    named_by: str = ""                                     # the role whose target's name is the page's title

    def title(self, catalog: Catalog) -> str:
        """The page's title: its label, or the name the plan gives its main target."""
        target = catalog.by_code.get(self.targets.get(self.named_by, ""))
        return target.name if target else self.label

    def shows(self, catalog: Catalog) -> bool:
        """Whether the plan has what the page draws (another park's plan may not: its tour skips the page, a link to
        it says so)."""
        if self.tasks:
            return bool(catalog.tasks)
        return all(code in catalog.by_code for code in self.targets.values())


PAGES = [
    Page("app.py", "总览", ""),
    Page("pages/cluster.py", "产业集群", "cluster", {
        "fai_share": "leading_fai_share", "revenue_share": "leading_revenue_share",
        "new_firms": "new_above_scale_firms", "clusters": "clusters_formed"}),
    Page("pages/polysilicon.py", "多晶硅产能", "polysilicon", {"capacity": "polysilicon_capacity",
                                                           "cells": "solar_cell_firms"},
         named_by="capacity"),
    Page("pages/agri.py", "农特产品加工", "agri", {"rate": "agri_processing_rate"}, named_by="rate"),
    Page("pages/debt.py", "债务", "debt", {"resolution": "debt_resolution"}),
    Page("pages/tasks.py", "重点工作", "tasks", tasks=True),
    Page("pages/projects.py", "重点项目", "projects"),
    # the groups' gauges are all on the overview's screens; the tour shows figures, not reference or forms
    Page("pages/group.py", "分组目标", "group", tour=False),
    Page("pages/supervision.py", "督办清单", "supervision"),
    Page("pages/targets.py", "目标清单", "targets", tour=False),
    Page("pages/report.py", "填报", "report", tour=False),
    Page("pages/review.py", "审核", "review", tour=False),
    Page("pages/upload.py", "数据上传", "upload", tour=False),
]
BY_SCRIPT = {p.script: p for p in PAGES}
