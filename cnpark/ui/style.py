"""The pages' own styles: every page's, and meeting mode's for the projector (ui.page puts them in)."""

# Every page: Streamlit's own English words a viewer could read (the "Running…/Stop" widget, the main menu's
# items, the charts' and tables' toolbars: "Show data", "Download as PNG", "Fullscreen", "Download as CSV", "Search")
# are hidden — Streamlit has no setting for them; tables of leaders' pages wrap their cells.
BASE_CSS = """<style>
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], [data-testid="stElementToolbar"],
[data-testid="InputInstructions"] {display: none !important;}
[data-testid="stSkipToContent"] {font-size: 0 !important;}
[data-testid="stSkipToContent"]::after {content: "跳到正文"; font-size: 1rem;}
[data-testid="stTable"] td, [data-testid="stTable"] th {white-space: normal !important; word-break: break-word;}
.cn-years {display: flex; gap: 1rem; margin: 0.2rem 0 0.6rem 0;}
.cn-year {flex: 1; border: 1px solid #D0D0D0; border-radius: 0.5rem; padding: 0.6rem 0.9rem;}
.cn-year-head {font-size: 0.95rem; color: #444;}
.cn-year-big {font-size: 2rem; font-weight: 700; line-height: 1.3;}
.cn-year-line {font-size: 0.95rem; line-height: 1.45;}
/* a chart wider than its place (a row of five gauges on a laptop) shrinks to fit, never cut */
[data-testid="stVegaLiteChart"], [data-testid="stVegaLiteChart"] > div {max-width: 100% !important;}
[data-testid="stVegaLiteChart"] svg.marks {max-width: 100% !important; height: auto !important;}
@media (max-width: 640px) {                   /* a phone: the year cards stacked, full width */
  .cn-years {flex-direction: column;}
  .cn-year-big {font-size: 1.9rem;}
  /* a thumb's target: links, buttons, choice lists at least 44 px tall; no heading anchors to hit by mistake */
  [data-testid="stPageLink-NavLink"], [data-testid^="stBaseButton"], [data-testid="stPopoverButton"],
  [data-testid="stExpandSidebarButton"], [data-testid="stButtonGroup"] button,
  [data-testid="stExpander"] summary {min-height: 44px !important;}
  [data-testid="stPageLink-NavLink"] {display: flex; align-items: center;}
  [data-baseweb="select"] > div {min-height: 44px !important;}
  [data-testid="stHeaderActionElements"] {display: none !important;}
  [data-testid="stTooltipHoverTarget"] {padding: 14px; margin: -14px;}    /* a 16 px help icon, a 44 px target */
  .st-key-cn-choices {gap: 0.6rem !important;}            /* the overview's 显示 and 排列 share a 360 px row */
  [data-testid="stButtonGroup"] [role="radiogroup"] {flex-wrap: wrap;}          /* a segmented choice wraps, never off the screen */
  [data-testid="stMainBlockContainer"] {padding-top: 3.5rem !important;}    /* the header is 3.75 rem, not 6 */
}
/* a phone's tables: a card a row (ui/phone.py) */
.cn-cards {margin: 0.2rem 0 0.8rem 0;}
.cn-card {border: 1px solid #D9D9D9; border-radius: 0.5rem; padding: 0.45rem 0.7rem; margin-bottom: 0.5rem;
  overflow-wrap: anywhere;}
.cn-card-title {font-weight: 700; font-size: 1rem; line-height: 1.45;}
.cn-card-state {margin-left: 0.6em; white-space: nowrap;}
.cn-card-row {font-size: 0.9rem; line-height: 1.55;}
.cn-card-row + .cn-card-row {border-top: 1px dashed #E0E0E0; margin-top: 0.3rem; padding-top: 0.3rem;}
.cn-card-field {display: inline-block; max-width: 100%; margin-right: 0.9em; vertical-align: top;}
.cn-card-key {color: #6B6B6B; margin-right: 0.3em; white-space: nowrap;}
.cn-total {font-size: 0.95rem; color: #444; margin-bottom: 0.3rem;}
.cn-matrix {border-collapse: collapse; font-size: 0.9rem; margin-bottom: 0.8rem;}
.cn-matrix th, .cn-matrix td {border: 1px solid #D9D9D9; padding: 0.25rem 0.3rem; text-align: center;}
.cn-matrix th {font-weight: normal; color: #444; width: 3.7em; vertical-align: bottom; line-height: 1.25;}
.cn-matrix .cn-task {text-align: left; min-width: 12em; white-space: normal;}
.cn-matrix .cn-cell {font-weight: 700; white-space: nowrap;}
.cn-matrix .cn-none {background: #F3F3F3;}
</style>"""

MEETING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 1rem !important; padding-bottom: 1rem !important;
  max-width: 100% !important;}
html, body, [data-testid="stMarkdownContainer"] p {font-size: 1.35rem;}
h1 {font-size: 2.2rem !important; line-height: 1.2 !important;}
[data-testid="stAlertContainer"] {padding-top: 0.5rem !important; padding-bottom: 0.5rem !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p {font-size: 3.2rem !important;}
[data-testid="stMetricLabel"] p {font-size: 1.5rem !important;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 1.2rem !important;}
.cn-year-head, .cn-year-line, .cn-total {font-size: 1.35rem;}
.cn-year-big {font-size: 3rem;}
.cn-matrix {font-size: 1.1rem;}
h1 {padding-top: 0 !important; padding-bottom: 0 !important; white-space: nowrap;}
@media (max-width: 640px) {h1 {white-space: normal;} h1, .cn-year-big {font-size: 1.9rem !important;}}   /* a meeting link on a phone */
.cn-screen-name {font-size: 1.6rem; font-weight: 700; line-height: 1.3; color: #31333F;}
[data-testid="stMetricDelta"] p {font-size: inherit !important;}
[data-testid="stMetricDelta"] .stMarkdownEllipsis, [data-testid="stMetricDelta"] p {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important;}
</style>"""
