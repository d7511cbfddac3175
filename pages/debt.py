"""债务 (第21条): cumulative resolution against the plan, balances, maturities of the next 24 months, overdue items
(red) and new debt per year, all from the debt ledger (债务统计台账)."""

import streamlit as st

from cnpark import ledger, trends, ui

view = ui.page("债务", "pages/debt.py")
if view.report is None:
    st.stop()
scale = ui.chart_scale(view)
debt = view.read("debt")
overdue = ledger.overdue_items(debt, view.as_of)

st.caption("第21条：建立债务统计台账，制定化解方案；累计化解额对照累计计划化解额评估，逾期债务红色标出。")
gauge_col, overdue_col = st.columns([1, 2.4], vertical_alignment="top")
with gauge_col:
    ui.gauges(view, ui.statuses_of(view, "debt_resolution"), columns=1)
with overdue_col:
    st.markdown(f"**逾期债务（截至 {view.as_of}）：{len(overdue)} 笔**")
    if len(overdue):
        ui.alert_table(ledger.overdue_table(overdue))
    else:
        st.success("台账中没有逾期债务。", icon=":material/check_circle:")

trend_col, new_col = st.columns(2)
with trend_col:
    ui.chart(trends.line_chart(ledger.debt_balance_trend(debt, view.as_of), "period", "balance",
                               title="债务余额走势（期末余额合计）", unit="万元", width=340, scale=scale), key="balance")
with new_col:
    ui.chart(trends.bar_chart(ledger.new_debt_by_year(debt, view.as_of, ui.get_catalog().start), "year", "value",
                              title="每年新增债务（本期新增合计）", unit="万元", color=trends.WARN, width=340, scale=scale),
             key="new-debt")
ui.chart(trends.bar_chart(ledger.maturities(debt, view.as_of), "month", "amount",
                          title=f"未来24个月到期债务（{view.as_of} 之后，按到期月份的期末余额）", unit="万元",
                          width=760, height=240, label_angle=-45, scale=scale), key="maturities")
