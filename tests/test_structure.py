"""The house rules, read from the code itself: pages import only cnpark.ui and carry no plan content, each rule has one
home (one caller where one path is promised), no module grows past about 300 lines."""

import ast
import re
import sys
from pathlib import Path

import pytest

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


# What a page may reach through cnpark.ui besides the frame and widgets: ui's own modules, and the charts and wording
# it lays out (outputs/trends; focus, forecast and ledger for their table and text shapers). The rules themselves
# and the store are not among them: a page reads named readings (view.readings), never a dataset.
UI_MODULES = {p.stem for p in (ROOT / "cnpark" / "ui").glob("*.py") if p.stem != "__init__"}
SHAPERS = {"trends", "focus", "forecast", "ledger"}
NEVER_IN_A_PAGE = {"read", "dataset", "read_for_status", "compute_status", "Judge", "Readings", "get_store", "first_uploads",
                   "task_states", "pipeline", "supervision_list"}


def test_pages_reach_readings_by_name_and_never_a_dataset_or_a_rule():
    import cnpark.ui as ui
    exported = set(ui.frame.__all__) | set(ui.widgets.__all__)
    for path in PAGES:
        module = tree(path)
        for node in ast.walk(module):
            if isinstance(node, ast.ImportFrom) and node.module == "cnpark.ui":
                assert {a.name for a in node.names} <= UI_MODULES, (path.name, ast.unparse(node))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ui":
                assert node.attr in exported | UI_MODULES | SHAPERS, (path.name, node.attr)
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                assert name not in NEVER_IN_A_PAGE, (path.name, ast.unparse(node))


def test_the_rule_catches_a_page_that_reads_a_dataset(tmp_path, monkeypatch):
    """The guard above fails on the pages of before the read model (view.read, a rule called in the page)."""
    bad = tmp_path / "bad.py"
    bad.write_text('from cnpark import ui\nview = ui.data_page("pages/debt.py")\ndebt = view.read("debt")\n'
                   'x = ui.ledger.overdue_items(debt, view.as_of)\ny = ui.status.compute_status(1, 2, 3)\n')
    monkeypatch.setattr(sys.modules[__name__], "PAGES", [bad])
    with pytest.raises(AssertionError):
        test_pages_reach_readings_by_name_and_never_a_dataset_or_a_rule()


def test_no_page_names_a_target_code():
    """A page's targets are declared once, in ui/registry.py; the page asks the registry by role."""
    codes = {t.code for t in load_catalog().targets}
    for path in PAGES:
        assert not [t for t in shown_strings(path) if t in codes], path.name


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


def callers_in(name: str, *homes: str) -> None:
    """Every call of `name` is in one of these modules or packages, and there is at least one."""
    found = calls(name)
    assert found and all(any(p == h or p.startswith(h.rstrip("/") + "/") for h in homes) for p in found), (name, found)


def test_each_rule_has_one_home():
    callers_in("parse_upload", "cnpark/service/uploads.py")            # check_upload: the one upload path
    callers_in("add_snapshot", "cnpark/service/uploads.py")            # commit_upload
    callers_in("supervision_list", "cnpark/service/readings.py")       # 督办: one reading
    callers_in("task_states", "cnpark/service/readings.py", "scripts")
    callers_in("compute_status", "cnpark/rules/")                      # the read model judges through one Judge
    callers_in("Judge", "cnpark/rules/", "cnpark/service/readings.py")
    callers_in("read_for_status", "cnpark/service/")
    callers_in("overdue_ids", "cnpark/rules/")
    # one read of the data version per run (ui.cache.State.now), and the warmer's poll
    callers_in("version", "cnpark/ui/cache.py", "cnpark/ui/warm.py")
    # the manifest is parsed in one place, and only queries.py writes SQL
    for path in MODULES:
        text = path.read_text(encoding="utf-8")
        if path.name not in ("manifest.py", "workbooks.py"):    # workbooks.py: the sheet reader child's answer
            assert "json.loads" not in text, path
        if path.name != "queries.py":
            assert "QUALIFY" not in text and "read_parquet(" not in text.replace("pq.read_table", ""), path


# The stages of cnpark/, lowest first: a module imports only from its own stage or a lower one.
STAGES = [("settings", "auth"), ("plan",), ("store",), ("parse",), ("rules",), ("service",), ("outputs",),
          ("cli", "ui", "serve", "__main__")]


def stage(module: str) -> int:
    first = module.split(".")[1] if module.count(".") else ""
    return next(i for i, names in enumerate(STAGES) if first in names)


def test_imports_never_run_back_up():
    for path in MODULES:
        here = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if here == "cnpark":
            continue
        for node in ast.walk(tree(path)):
            names = []
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnpark"):
                names = [node.module] if node.module != "cnpark" else [f"cnpark.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("cnpark.")]
            for name in names:
                assert stage(name) <= stage(here), (here, "imports", name)
