"""The house rules, read from the code itself: pages import only cnpark.ui and carry no plan content, each rule has one
home (one caller where one path is promised), no module grows past about 300 lines."""

import ast
import re
from pathlib import Path

from cnpark.plan.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
MODULES = sorted((ROOT / "cnpark").rglob("*.py"))


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def calls(name: str) -> list[str]:
    """Every module of cnpark/ (and pages) that calls a function or method of this name."""
    out = []
    for path in [*MODULES, *PAGES]:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call):
                f = node.func
                if (isinstance(f, ast.Name) and f.id == name) or (isinstance(f, ast.Attribute) and f.attr == name):
                    out.append(path.relative_to(ROOT).as_posix())
    return sorted(set(out))


def shown_strings(path: Path) -> list[str]:
    """The string constants of a page, its docstrings left out (they are read by developers, not shown)."""
    module = tree(path)
    docs = {id(n.body[0].value) for n in ast.walk(module)
            if isinstance(n, (ast.Module, ast.FunctionDef)) and n.body and isinstance(n.body[0], ast.Expr)}
    return [n.value for n in ast.walk(module)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_pages_import_only_cnpark_ui():
    for path in PAGES:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Import):
                assert [a.name for a in node.names] == ["streamlit"], (path.name, ast.unparse(node))
            elif isinstance(node, ast.ImportFrom):
                assert node.module in ("cnpark", "cnpark.ui"), (path.name, ast.unparse(node))
                if node.module == "cnpark":
                    assert [a.name for a in node.names] == ["ui"], (path.name, ast.unparse(node))


def test_pages_carry_no_plan_content():
    """Every figure, year, clause, target name, chain and unit of the plan that a page shows comes from the catalog."""
    plan = load_catalog()
    words = {t.name for t in plan.targets} | {c.name for c in plan.chains} | {c.title for c in plan.chains}
    words |= {link for c in plan.chains for link in c.links} | {d for t in plan.targets for d in t.departments}
    words |= set(re.findall(r"第\d+条", " ".join(t.clause for t in plan.targets)))
    numbers = {plan.start[:4], plan.end[:4]} | {g.deadline[:4] for t in plan.targets for g in t.goals}
    numbers |= {f"{g.value:g}" for t in plan.targets for g in t.goals if g.value >= 20}
    numbers |= {f"{g.value / 10_000:g}万" for t in plan.targets for g in t.goals if g.value >= 10_000}   # 25万吨
    assert {"75", "250000", "25万", "2025", "2022", "第12条", "多晶硅", "绿色硅", "多晶硅产能"} <= numbers | words
    for path in PAGES:
        for text in shown_strings(path):
            assert not [w for w in words if w in text], (path.name, text)
            assert not [n for n in numbers if re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", text)], (path.name, text)


def test_each_rule_has_one_home():
    assert calls("parse_upload") == ["cnpark/service/uploads.py"]                   # check_upload
    assert calls("add_snapshot") == ["cnpark/service/uploads.py"]                   # commit_upload
    assert calls("check_upload") == ["cnpark/cli/commands.py", "cnpark/service/uploads.py", "cnpark/ui/uploads.py"]
    assert calls("supervision_list") == ["cnpark/service/uploads.py"]              # behind_list
    assert calls("overdue_ids") == ["cnpark/rules/ledger.py", "cnpark/rules/status.py"]
    assert calls("default_month") == ["cnpark/rules/status.py", "cnpark/service/uploads.py", "cnpark/ui/frame.py", "cnpark/ui/warm.py"]
    assert calls("history_frame") == ["cnpark/cli/commands.py", "cnpark/ui/uploads.py"]
    # one read of the data version per run (ui.cache.Data.now), and the warmer's poll
    assert calls("version") == ["cnpark/ui/cache.py", "cnpark/ui/warm.py"]
    # the manifest is parsed in one place, and only queries.py writes SQL
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        if path.name not in ("manifest.py", "workbooks.py"):    # workbooks.py: the sheet reader child's answer
            assert "json.loads" not in text, path
        if path.name != "queries.py":
            assert "QUALIFY" not in text and "read_parquet(" not in text.replace("pq.read_table", ""), path


def test_no_module_grows_past_about_300_lines():
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {p: n for p, n in sizes.items() if n > 320} == {}
