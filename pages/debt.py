"""债务 (第21条): cumulative resolution against the plan month by month, overdue items (red), balances, new debt per
year and maturities of the next 24 months, all from the debt ledger (债务统计台账)."""

import streamlit as st

from cnpark import ui
from cnpark.ui import ledger, meeting, trends

CODE = "debt_resolution"
catalog = ui.plan_page("pages/debt.py")
view = ui.data_page("债务", "pages/debt.py")
ui.data_as_of(view, "debt", "债务台账")
scale, debt = ui.chart_scale(view), view.read("debt")
overdue = ledger.overdue_items(debt, view.as_of)
progress = ledger.resolution_progress(debt, view.read("indicators"), catalog[CODE], view.as_of)


def resolution() -> None:
    with ui.gauges_beside(view, (CODE,), "。化解方案的年度计划按月折算为累计计划；逾期债务红色标出。", (1, 2.4)):
        ui.chart(trends.progress_chart(progress, title="累计化解对照累计计划（自计划起点）", unit=catalog[CODE].unit, width=620,
                                       height=230, scale=scale), key="progress")
    st.markdown(f"**逾期债务（截至 {view.as_of}）：{len(overdue)} 笔**")
    if len(overdue):
        ui.alert_table(ledger.overdue_table(overdue))
    else:
        st.success("台账中没有逾期债务。", icon=":material/check_circle:")


def balances() -> None:
    trend_col, new_col = st.columns(2)
    with trend_col:
        ui.chart(trends.line_chart(ledger.debt_balance_trend(debt, view.as_of), "period", "balance",
                                   title="债务余额走势（期末余额合计）", unit="万元", width=480, height=300,
                                   scale=scale),
                 key="balance")
    with new_col:
        ui.chart(trends.bar_chart(ledger.new_debt_by_year(debt, view.as_of, catalog.start), "year", "value",
                                  title="每年新增债务（本期新增合计）", unit="万元", color=trends.WARN, width=440,
                                  height=300, scale=scale), key="new-debt")


def maturities() -> None:
    ui.chart(trends.bar_chart(ledger.maturities(debt, view.as_of), "month", "amount",
                              title=f"未来24个月到期债务（{view.as_of} 之后，按到期月份的期末余额）", unit="万元",
                              width=1000, height=300, label_angle=-45, scale=scale, zeros=False), key="maturities")


meeting.screens(view, [("化解进度与逾期", resolution), ("余额与新增", balances), ("未来到期", maturities)])
