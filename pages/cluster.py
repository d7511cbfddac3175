"""产业集群: the leading industries' shares, new 规上 firms by year and the clusters milestone; the two chains link by
link with their gaps."""

import streamlit as st

from cnpark import ui
from cnpark.ui import focus, meeting, trends

catalog = ui.plan_page("pages/cluster.py")
view = ui.data_page("产业集群", "pages/cluster.py")
ui.data_as_of(view, "enterprises", "企业名录")
scale, enterprises = ui.chart_scale(view), view.read("enterprises")
links = focus.chain_links(enterprises, view.as_of, catalog.chains)
firms = focus.new_firms_by_year(view.read("indicators"), view.as_of, catalog)
new_firms = catalog["new_above_scale_firms"]


def targets() -> None:
    st.caption(ui.clause_line("leading_fai_share", "leading_revenue_share", "new_above_scale_firms",
                              "clusters_formed"))
    gauge_col, bar_col = st.columns([4, 1.25], vertical_alignment="bottom")
    with gauge_col:
        ui.gauges(view, ui.statuses_of(view, "leading_fai_share", "leading_revenue_share", "new_above_scale_firms",
                                       "clusters_formed"), columns=4)
    with bar_col:
        ui.chart(trends.bar_chart(firms, "year", "value", title=f"{new_firms.name}（当年新增）", unit=new_firms.unit,
                                  width=200, height=190, scale=scale), key="new-firms")


def chains() -> None:
    st.subheader("产业链：逐环节企业与缺口")
    st.caption(f"企业名录数据期 {focus.enterprise_period(enterprises, view.as_of) or '—'} · "
               "每个环节列出企业数与企业名称（按状态：达产、投产、在建、签约）；橙色框为无企业的缺口环节，需延链补链。")
    ui.chain_charts(links, catalog.chains, scale)
    if focus.chain_gaps(links):
        st.warning(focus.gap_text(links, view.as_of), icon=":material/link_off:")
    else:
        st.info(focus.gap_text(links, view.as_of), icon=":material/link:")


meeting.screens(view, [("主导产业与新增规上企业", targets), ("产业链与缺口", chains)])
