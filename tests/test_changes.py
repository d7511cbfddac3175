"""The upload preview: each figure's current → new value, and the targets whose status would change."""

import pytest

from cnpark.parse import parse_upload
from cnpark.service.uploads import Upload, commit_upload, ingest_bytes, preview_upload
from cnpark.store.snapshots import Store

HEADER = "指标,期间,数值\n"


def upload(catalog, text: str):
    result = parse_upload((HEADER + text).encode(), "x.csv", catalog)
    assert result.ok, [str(p) for p in result.problems]
    return result


@pytest.fixture
def store(tmp_path, catalog):
    store = Store(tmp_path)
    base = ("多晶硅产能,2022-12,50000\n多晶硅产能,2025-12,250000\n农特产品加工转化率,2022-12,58\n"
            "农特产品加工转化率,2025-12,71.5\n")
    ingest_bytes(store, catalog, (HEADER + base).encode(), "base.csv")
    return store


def test_figures_new_changed_and_flagged(store, catalog):
    preview = preview_upload(store, catalog, upload(catalog, "多晶硅产能,2025-12,16万吨\n农特产品加工转化率,2025-12,76\n"
                                                              "营业收入,2025-12,1300000\n"))
    rows = preview.figures.values.tolist()
    # 250,000 → 160,000: −90,000 is −36 %, more than 30 % → flagged
    assert rows[0] == ["多晶硅产能", "2025-12", "全园区", "数值（吨）", "250,000", "160,000", "-90,000", "-36.0%", "变化超过30%"]
    # 71.5 → 76: +4.5 is +6.3 %
    assert rows[1] == ["农特产品加工转化率", "2025-12", "全园区", "数值（%）", "71.5", "76", "4.5", "+6.3%", "修改"]
    assert rows[2][3:] == ["数值（万元）", "—", "1,300,000", "—", "—", "新增"]
    assert (preview.new, preview.changed, preview.flagged, preview.unchanged) == (1, 2, 1, 0)


def test_status_flips(store, catalog):
    preview = preview_upload(store, catalog, upload(catalog, "多晶硅产能,2025-12,20万吨\n农特产品加工转化率,2025-12,76\n"))
    assert preview.flips.values.tolist() == [["多晶硅产能", "2025-12", "达标", "未达标"],      # 200,000 < 250,000
                                             ["农特产品加工转化率", "2025-12", "未达标", "达标"]]  # 76 ≥ 75


def test_an_identical_upload_changes_nothing(store, catalog):
    preview = preview_upload(store, catalog, upload(catalog, "多晶硅产能,2025-12,250000\n"))
    assert (preview.new, preview.changed, preview.unchanged) == (0, 0, 1) and preview.flips.empty


def test_ledger_figures_by_column(tmp_path, catalog):
    store = Store(tmp_path)
    ledger = "债务编号,债务名称,期间,期末余额,本期化解\nZW1,贷款,2024,1000,100\n"
    ingest_bytes(store, catalog, ledger.encode(), "d.csv")
    result = parse_upload("债务编号,债务名称,期间,期末余额,本期化解\nZW1,贷款,2024,600,500\n".encode(), "d2.csv", catalog)
    rows = preview_upload(store, catalog, result).figures.values.tolist()
    assert rows == [["ZW1", "2024-12", "期末余额", "1,000", "600", "-400", "-40.0%", "变化超过30%"],
                    ["ZW1", "2024-12", "本期化解", "100", "500", "400", "+400.0%", "变化超过30%"]]


def test_commit_stores_exactly_the_previewed_rows(store, catalog):
    result = upload(catalog, "多晶硅产能,2025-12,20万吨\n")
    entry = commit_upload(store, Upload(b"raw bytes", "x.csv", result), user="张三")
    assert store.read_snapshot(entry.id)["value"].tolist() == [200_000.0] and entry.user == "张三"
    rejected = parse_upload((HEADER + "多晶硅产能,2025-12,abc\n").encode(), "bad.csv", catalog)
    with pytest.raises(ValueError):
        commit_upload(store, Upload(b"", "bad.csv", rejected), user="张三")
