"""The security promises that need no browser (docs/SECURITY.md): queries are parameterised and stay in the store,
passwords exist only as hashes, and the shipped settings are the production ones."""

import ast
import tomllib
from pathlib import Path

import pytest

from cnpark import settings
from cnpark.service.uploads import ingest_bytes
from cnpark.store.snapshots import Store, StoreError
from tests.conftest import app_test

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.usefixtures("fresh_caches")


def _calls(tree: ast.AST, names: set[str]):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
            yield node


def test_only_the_store_speaks_sql_and_never_builds_it_from_values():
    importers = [p.relative_to(ROOT).as_posix() for p in [*(ROOT / "cnpark").rglob("*.py"), *(ROOT / "pages").glob("*.py"),
                                                           ROOT / "app.py"]
                 if any(isinstance(n, (ast.Import, ast.ImportFrom)) and "duckdb" in ast.unparse(n)
                        for n in ast.walk(ast.parse(p.read_text())))]
    assert importers == ["cnpark/store/snapshots.py"]
    tree = ast.parse((ROOT / "cnpark" / "store" / "snapshots.py").read_text())
    calls = list(_calls(tree, {"sql", "execute", "_query"}))
    assert len(calls) >= 5
    for call in calls:
        query = call.args[0]
        # a literal, a module constant, or a constant looked up by dataset: never an f-string, + or .format()
        assert not any(isinstance(n, (ast.JoinedStr, ast.BinOp)) or
                       (isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "format")
                       for n in ast.walk(query)), ast.unparse(call)
        assert isinstance(query, (ast.Constant, ast.Name, ast.Subscript)), ast.unparse(call)


def test_hostile_ids_are_refused_and_hostile_values_round_trip(tmp_path, catalog):
    store = Store(tmp_path)
    note = "'); DROP TABLE x; -- \" ' \\ %s $1 ?"
    data = f'指标,期间,数值,单位,片区,备注\n多晶硅产能,2024-06,5,万吨,"{note.replace(chr(34), chr(34) * 2)}",{"x" * 3}\n'
    result, entry = ingest_bytes(store, catalog, data.encode(), "a.csv")
    assert entry is not None, result.problems
    assert store.read("indicators")["area"].tolist() == [note]
    for bad in ("S00001' OR '1'='1", "../../etc/passwd", "S00001; SELECT 1"):
        with pytest.raises(StoreError):
            store.read("indicators", at=bad)
        with pytest.raises(StoreError):
            store.entry(bad)


def test_a_plain_text_password_in_secrets_signs_nobody_in(monkeypatch, tmp_path):
    """An account written with `password = …` instead of a hash cannot be used, even with that very password."""
    at = app_test(monkeypatch, tmp_path, "pages/upload.py",
                  secrets={"accounts": {"zhangsan": {"name": "张三", "password": "明文口令12345"}}})
    at.text_input[0].input("zhangsan")
    at.text_input[1].input("明文口令12345")
    at = at.get("form_submit_button")[0].click().run()
    assert not at.exception and len(at.file_uploader) == 0
    assert any("账号或密码不正确" in e.value for e in at.error)


def test_shipped_settings_are_the_production_ones():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server, client = config["server"], config["client"]
    assert server["address"] == "127.0.0.1"                       # reached through the proxy only
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert client["toolbarMode"] == "viewer" and client["showErrorDetails"] == "none"
    assert server["maxUploadSize"] == settings.number("max_upload_mb") == 50
    site = (ROOT / "deploy" / "nginx-cnpark.conf").read_text()
    assert "client_max_body_size 50m;" in site and 'proxy_set_header X-Remote-User "";' in site
    unit = (ROOT / "deploy" / "cnpark.service").read_text()
    assert "--server.address 127.0.0.1" in unit and "--server.baseUrlPath cnpark" in unit
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()    # accounts live on the server, never in git
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text()
