"""Meeting mode's screens: a page shows one screen at a time (?screen=N), each fitting a 1920×1080 projector, with
a visible "第 N / M 屏" and links to the previous and next screen; the tour runs through the pages in navigation order
(?cycle=S advances every S seconds). Outside meeting mode a page draws all its parts, one after another.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import streamlit as st

from cnpark.plan.catalog import Catalog
from cnpark.ui.frame import View, shared_params
from cnpark.ui.links import link_note
from cnpark.ui.registry import BY_SCRIPT, PAGES

Part = tuple[str, Callable[[], None]]      # (the screen's name, what draws it)


def tour(catalog: Catalog) -> list[str]:
    """The pages of the meeting tour, in navigation order."""
    return [p.script for p in PAGES if p.tour and p.shows(catalog)]


def _label(script: str) -> str:
    return BY_SCRIPT[script].label


def current_screen(count: int) -> int:
    """The screen asked for in the URL (1-based), within 1…count (a screen that is not there is said)."""
    requested = st.query_params.get("screen", "1")
    asked = int(requested) if requested.isdigit() else 0
    shown = min(max(asked, 1), max(count, 1))
    if shown != asked:
        link_note("screen", requested, f"第 {shown} 屏", f"不存在（本页共 {max(count, 1)} 屏）")
    return shown


def screens(view: View, parts: list[Part]) -> None:
    """Draw a page's parts: every one normally; in meeting mode only the current screen, with its indicator. Then
    复制链接 is rewritten with every choice the parts have put into the URL."""
    if not view.meeting:
        for _, draw in parts:
            draw()
    elif parts:
        k = current_screen(len(parts))
        name, draw = parts[k - 1]
        with view.header:
            _indicator(view.script, k, len(parts), view.catalog)
        st.html(f'<div class="cn-screen-name">{escape(name)}</div>')     # under the title: the header keeps one line
        draw()
    if view.relink is not None:
        view.relink()


def _next(script: str, k: int, count: int, catalog: Catalog) -> tuple[str, dict[str, str], str]:
    """(page, query, label) of the screen after screen k of `count` on this page: the next screen here, or the first
    screen of the next page of the tour (from the last page back to the first)."""
    if k < count:
        return script, {**st.query_params.to_dict(), "screen": str(k + 1)}, f"下一屏（{k + 1}/{count}）"
    pages = tour(catalog)
    following = pages[(pages.index(script) + 1) % len(pages)] if script in pages else pages[0]
    return following, {**shared_params(), "screen": "1"}, f"下一页：{_label(following)}"


def _indicator(script: str, k: int, count: int, catalog: Catalog) -> None:
    """'第 2 / 5 屏' with 上一屏 / 下一屏 (or 下一页) links; and the timer of ?cycle=."""
    target, query, label = _next(script, k, count, catalog)
    with st.container(horizontal=True, vertical_alignment="center", horizontal_alignment="right"):
        st.markdown(f"**第 {k} / {count} 屏**", width="content")
        if k > 1:
            st.page_link(script, label="上一屏", icon=":material/chevron_left:", width="content",
                         query_params={**st.query_params.to_dict(), "screen": str(k - 1)})
        st.page_link(target, label=label, icon=":material/chevron_right:", query_params=query, width="content")
    _auto_advance(script, k, target, query)


def _auto_advance(script: str, k: int, target: str, query: dict[str, str]) -> None:
    """?cycle=N (N ≥ 5): go to the next screen every N seconds. The fragment's first run (with the page) arms it, the
    timer's run after N seconds moves on."""
    requested = st.query_params.get("cycle")
    if requested is None:
        return
    seconds = int(requested) if requested.isdigit() else 0
    if seconds < 5:
        link_note("cycle", requested, "不自动翻屏", "无效（至少 5 秒）")
        return
    here = f"{script}#{k}"

    @st.fragment(run_every=seconds)
    def advance() -> None:
        if st.session_state.get("_cycle_armed") == here:
            st.session_state["_cycle_armed"] = None
            st.switch_page(target, query_params=query)
        st.session_state["_cycle_armed"] = here
    advance()
