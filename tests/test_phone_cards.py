"""A phone's page (cnpark/ui/phone.py): which requests are a phone's, a table as cards with the same cells and
styles, a chart title in lines that fit a phone."""

from __future__ import annotations

import re

import pandas as pd

from cnpark.outputs.charts import text_em
from cnpark.ui.phone import TITLE_EM, cards_html, is_phone, title_lines

IPHONE_WECHAT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Mobile/15E148 MicroMessenger/8.0.50(0x1800323b) NetType/WIFI Language/zh_CN")
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Mobile Safari/537.36")
DINGTALK = ("Mozilla/5.0 (Linux; U; Android 13; zh-CN; PGT-AN10 Build/HONORPGT-AN10) AppleWebKit/537.36 (KHTML, "
            "like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.59 Mobile Safari/537.36 AliApp(DingTalk/7.5.0)")
IPAD = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
        "Safari/605.1.15")
ANDROID_TABLET = ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Safari/537.36")
DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
           "Safari/537.36")


def test_a_phone_is_told_by_its_user_agent_or_its_client_hint():
    for agent in (IPHONE_WECHAT, ANDROID_CHROME, DINGTALK):
        assert is_phone({"User-Agent": agent}), agent
    for agent in (IPAD, ANDROID_TABLET, DESKTOP, ""):       # a tablet and a desktop get the desktop's page
        assert not is_phone({"User-Agent": agent}), agent
    assert is_phone({"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?1"})
    assert not is_phone({"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?0"})
    assert not is_phone({})


def _cards(html: str) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    """(heading, rows of (key, value)) of each card."""
    out = []
    for card in re.findall(r'<div class="cn-card">(.*?)</div>(?=<div class="cn-card">|</div>$)', html):
        heading = re.search(r'<div class="cn-card-title"[^>]*>(.*?)</div>', card).group(1)
        rows = [re.findall(r'<span class="cn-card-key">(.*?)</span><span style="[^"]*">(.*?)</span>', row)
                for row in re.findall(r'<div class="cn-card-row">(.*?)</div>', card)]
        out.append((heading, rows))
    return out


def test_a_table_as_cards_keeps_every_cell_groups_a_heading_and_leaves_empty_cells_out():
    frame = pd.DataFrame({"责任单位": ["县发展改革局", "县发展改革局", "县财政局"],
                          "任务": ["第2条 <理顺>", "第4条", "第9条"],
                          "状态": ["滞后", "推进中", "已完成"],
                          "原因": ["资金未到位", None, float("nan")],
                          "金额": [1302000.0, 0.5, None]})
    html = cards_html(frame)
    assert _cards(html) == [
        ("县发展改革局", [[("任务", "第2条 &lt;理顺&gt;"), ("状态", "滞后"), ("原因", "资金未到位"),
                          ("金额", "1,302,000.0000")],
                         [("任务", "第4条"), ("状态", "推进中"), ("金额", "0.5000")]]),
        ("县财政局", [[("任务", "第9条"), ("状态", "已完成")]]),
    ]
    assert "<理顺>" not in html                                      # text from an upload stays text


def test_a_card_s_cell_takes_the_style_the_desktop_gives_it():
    frame = pd.DataFrame({"目标": ["营业收入", "工业总产值"], "状态": ["达标", "未达标"]})
    colours = {"达标": "#1A7F5A", "未达标": "#8B1E4F"}
    html = cards_html(frame, lambda column, i: f"color: {colours[frame['状态'][i]]}" if column == "状态" else "")
    assert '<span style="color: #1A7F5A">达标</span>' in html
    assert '<span style="color: #8B1E4F">未达标</span>' in html
    assert html.count('style="color') == 2                           # nothing else coloured


def test_a_chart_title_in_lines_that_fit_a_phone():
    assert title_lines("各阶段项目数") == "各阶段项目数"                   # short: as it was
    assert title_lines("多晶硅产能走势（实际、计划路径、预测）") == ["多晶硅产能走势", "（实际、计划路径、预测）"]
    long = "未来24个月到期债务（2025-12 之后，按到期月份的期末余额）"
    lines = title_lines(long)
    assert "".join(lines) == long                                   # every character kept, in order
    assert lines == ["未来24个月到期债务", "（2025-12 之后，", "按到期月份的期末余额）"]    # broken at （ and ，
    unbroken = "一" * 40
    assert title_lines(unbroken) == ["一" * 16, "一" * 16, "一" * 8]
    assert all(text_em(line) <= TITLE_EM for line in title_lines(unbroken))
