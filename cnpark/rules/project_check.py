"""数据不一致: a project's stage in the ledger (重点项目台账) against its owner's state in the enterprise list (企业名录:
签约 / 在建 / 投产 / 达产). The 关联 column ties a project to its owner's record by the owner's name; when the two
sources disagree, the 重点项目 page flags the project and lists it with both data periods, for the analyst to correct
one of them. Pure: frames in, findings out.

The ledger's 签约, 在建, 投产 and 达产 agree with the same word in the list; 纳统 (the firm entered the statistics) agrees
with 投产 or 达产. A project still in 洽谈 has no state in the list to compare with; an owner the list does not name, or
names without a state, is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cnpark.rules.series import latest_rows

AGREES = {"签约": ("签约",), "在建": ("在建",), "投产": ("投产",), "达产": ("达产",), "纳统": ("投产", "达产")}
WORD = "数据不一致"


@dataclass(frozen=True)
class Mismatch:
    project_id: str
    name: str
    owner: str
    stage: str              # the ledger's stage
    period: str             # the 期间 of the ledger's row
    listed: str             # the owner's 状态 in the enterprise list
    listed_period: str      # the 期间 of the list's row

    @property
    def text(self) -> str:
        """'企业名录：达产 ≠ 台账：签约'."""
        return f"企业名录：{self.listed} ≠ 台账：{self.stage}"


def owners(enterprises: pd.DataFrame, as_of: str) -> dict[str, tuple[str, str]]:
    """Each firm of the enterprise list: its 状态 and the 期间 of its latest row up to as_of."""
    if not len(enterprises):
        return {}
    rows = latest_rows(enterprises, "name", as_of)
    return {n: (s if isinstance(s, str) else "", p) for n, s, p in zip(rows["name"], rows["status"], rows["period"])}


def mismatches(now: pd.DataFrame, enterprises: pd.DataFrame, as_of: str) -> list[Mismatch]:
    """The projects (their latest ledger rows, `now`) whose stage disagrees with their owner's state in the enterprise
    list as of as_of, in the ledger's order of project numbers."""
    firms = owners(enterprises, as_of)
    out = []
    for r in now.itertuples(index=False):
        listed, period = firms.get(r.owner, ("", ""))
        if listed and r.stage in AGREES and listed not in AGREES[r.stage]:
            out.append(Mismatch(r.project_id, r.name, r.owner, r.stage, r.period, listed, period))
    return sorted(out, key=lambda m: m.project_id)


def mismatch_frame(found: list[Mismatch]) -> pd.DataFrame:
    """编号 · 项目 · 业主单位 · 台账阶段 · 台账期间 · 企业名录状态 · 名录期间."""
    return pd.DataFrame([{"编号": m.project_id, "项目": m.name, "业主单位": m.owner, "台账阶段": m.stage,
                          "台账期间": m.period, "企业名录状态": m.listed, "名录期间": m.listed_period} for m in found],
                        columns=["编号", "项目", "业主单位", "台账阶段", "台账期间", "企业名录状态", "名录期间"])
