"""产业集群: the leading industries' shares, new 规上 firms by year, and the two chains link by link with their gaps."""

import streamlit as st

from cnpark import focus, trends, ui

view = ui.page("产业集群", "pages/cluster.py")
if view.report is None:
    st.stop()
scale = ui.chart_scale(view)
enterprises = view.read("enterprises")
links = focus.chain_links(enterprises, view.as_of)
firms = focus.new_firms_by_year(view.read("indicators"), view.as_of, ui.get_catalog())

st.caption("（四）主导产业聚集工程：绿色食品加工、绿色硅加工两大主导产业；第10条：新增规上工业企业10户以上。")
gauge_col, bar_col = st.columns([3, 1.2], vertical_alignment="bottom")
with gauge_col:
    ui.gauges(view, ui.statuses_of(view, "leading_revenue_share", "leading_fai_share", "new_above_scale_firms"),
              columns=3)
with bar_col:
    ui.chart(trends.bar_chart(firms, "year", "value", title="新增规上工业企业（当年新增）", unit="户",
                              width=200, height=190, scale=scale), key="new-firms")

st.subheader("产业链：逐环节企业与缺口")
st.caption(f"企业名录数据期 {focus.enterprise_period(enterprises, view.as_of) or '—'} · "
           "每个环节列出企业数与企业名称（按状态：达产、投产、在建、签约）；橙色框为无企业的缺口环节，需延链补链。")
ui.chart(trends.chain_chart(links[links["chain"] == "绿色硅"], title="绿色硅产业链（园中园）",
                            scale=scale), key="chain-silicon")
ui.chart(trends.chain_chart(links[links["chain"] == "绿色食品"],
                            title="绿色食品加工（七大农特产业，田园镇片区）", arrows=False, scale=scale), key="chain-food")
if focus.chain_gaps(links):
    st.warning(focus.gap_text(links, view.as_of), icon=":material/link_off:")
else:
    st.info(focus.gap_text(links, view.as_of), icon=":material/link:")

st.subheader("里程碑")
ui.gauges(view, ui.statuses_of(view, "clusters_formed"))
