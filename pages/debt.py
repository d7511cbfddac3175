"""债务 (第21条): cumulative resolution against the plan month by month, overdue items (red), balances, new debt per
year and maturities of the next 24 months, all from the debt ledger (债务统计台账)."""

import streamlit as st

from cnpark import ui
from cnpark.ui import meeting

view = ui.data_page("pages/debt.py")
ui.data_as_of(view, "debt", "债务台账")
code = view.target("resolution")
r, scale, unit = view.readings, ui.chart_scale(view), view.catalog[code].unit


def resolution() -> None:
    with ui.gauges_beside(view, (code,), "。化解方案的年度计划按月折算为累计计划；逾期债务红色标出。", (1, 2.4)):
        ui.chart(ui.trends.progress_chart(r.resolution(code), title="累计化解对照累计计划（自计划起点）", unit=unit,
                                          width=620, height=230, scale=scale), key="progress")
    st.markdown(f"**逾期债务（截至 {view.as_of}）：{len(r.overdue)} 笔**")
    if len(r.overdue):
        ui.alert_table(ui.ledger.overdue_table(r.overdue))
    else:
        st.success("台账中没有逾期债务。", icon=":material/check_circle:")


def balances() -> None:
    trend_col, new_col = st.columns(2)
    with trend_col:
        ui.chart(ui.trends.line_chart(r.debt_balance, "period", "balance", title="债务余额走势（期末余额合计）",
                                      unit="万元", width=480, height=300, scale=scale), key="balance")
    with new_col:
        ui.chart(ui.trends.bar_chart(r.new_debt, "year", "value", title="每年新增债务（本期新增合计）", unit="万元",
                                     color=ui.trends.WARN, width=440, height=300, scale=scale), key="new-debt")


def maturities() -> None:
    phone = view.phone        # a phone: a month a row (24 months side by side would crowd; ui.chart narrows it)
    ui.chart(ui.trends.bar_chart(r.maturities, "month", "amount",
                                 title=f"未来24个月到期债务（{view.as_of} 之后，按到期月份的期末余额）", unit="万元",
                                 width=1000, height=40 + 18 * len(r.maturities) if phone else 300, horizontal=phone,
                                 label_angle=0 if phone else -45, scale=scale, zeros=False), key="maturities")


meeting.screens(view, [("化解进度与逾期", resolution), ("余额与新增", balances), ("未来到期", maturities)])
