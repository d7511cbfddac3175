"""产业集群: the leading industries' shares, new 规上 firms by year and the clusters milestone; the two chains link by
link with their gaps."""

import streamlit as st

from cnpark import ui
from cnpark.ui import meeting

view = ui.data_page("pages/cluster.py")
ui.data_as_of(view, "enterprises", "企业名录")
r, scale = view.readings, ui.chart_scale(view)
codes = tuple(view.page.targets.values())
new_firms = view.catalog[view.target("new_firms")]


def targets() -> None:
    st.caption(ui.clause_line(view, *codes))
    gauge_col, bar_col = st.columns([4, 1.25], vertical_alignment="bottom")
    with gauge_col:
        ui.gauges(view, ui.statuses_of(view, *codes), columns=4)
    with bar_col:
        ui.chart(ui.trends.bar_chart(r.firms_by_year(new_firms.code), "year", "value", title=f"{new_firms.name}（当年新增）",
                                     unit=new_firms.unit, width=200, height=190, scale=scale), key="new-firms")


def chains() -> None:
    st.subheader("产业链：逐环节企业与缺口")
    st.caption(f"企业名录数据期 {r.enterprise_period or '—'} · "
               "每个环节列出企业数与企业名称（按状态：达产、投产、在建、签约）；橙色框为无企业的缺口环节，需延链补链。")
    ui.chain_charts(r.chain_links, view.catalog.chains, scale)
    if ui.focus.chain_gaps(r.chain_links):
        st.warning(ui.focus.gap_text(r.chain_links, view.as_of), icon=":material/link_off:")
    else:
        st.info(ui.focus.gap_text(r.chain_links, view.as_of), icon=":material/link:")


meeting.screens(view, [("主导产业与新增规上企业", targets), ("产业链与缺口", chains)])
