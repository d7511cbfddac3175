"""目标清单: every target of the plan, with the clause it comes from, its deadline and lead departments."""

import streamlit as st

from cnpark import ui

ui.page("目标清单", "pages/targets.py")
catalog = ui.get_catalog()
st.caption(f"{catalog.name}（{catalog.park}）· 计划起点 {catalog.start} · 滞后容差 {catalog.lagging_tolerance:.0%}")
table = ui.catalog_table(catalog)
st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
