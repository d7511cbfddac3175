"""The README documents what users rely on: every setting, the two commands, every CLI command; docs/RULES.md holds
every rule, and every citation of a document section in the code names a section that exists."""

import re
from pathlib import Path

from cnpark import settings
from cnpark.cli.commands import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table():
    for name, s in settings.SETTINGS.items():
        row = f"| {name} | `{s.env}` | `{s.default}` | {s.help} |"
        assert row in README, row


def test_the_two_commands_are_the_scripts_ci_runs():
    assert "`bash scripts/start.sh`" in README and "`bash scripts/test.sh`" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in ci


def test_every_cli_command_is_documented():
    commands = build_parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"  {command} " in README or f"  {command}\n" in README, command


# ------------------------------------------------------------------------------------ citations

RULE_SECTIONS = ("状态怎么判", "仪表盘上的数字", "重点工作怎么判", "重点项目怎么算", "报送情况", "报送范围", "审核", "督查通报",
                 "数据期间与截至月份", "督办清单")
# README "设置", docs/RULES.md "状态怎么判" (ASCII or Chinese quotes): the documents the code cites for its rules
CITATION = re.compile(r'(README|docs/RULES\.md)\s*["“]([^"”\n]+)["”]')


def code_files() -> list[Path]:
    return [*sorted((ROOT / "cnpark").rglob("*.py")), ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


def headings(path: Path) -> list[str]:
    """The ## and ### headings of a markdown file."""
    return [m.group(1).strip() for m in re.finditer(r"^#{2,3} +(.+)$", path.read_text(encoding="utf-8"), re.M)]


def citations(files: list[Path]) -> list[tuple[str, str, str]]:
    """(file:line, document, section) for every `README "…"` / `docs/RULES.md "…"` in those files."""
    out = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        name = f.relative_to(ROOT) if f.is_relative_to(ROOT) else f.name
        out += [(f"{name}:{text[:m.start()].count(chr(10)) + 1}", m.group(1), m.group(2)) for m in CITATION.finditer(text)]
    return out


def broken(found: list[tuple[str, str, str]]) -> list[str]:
    """The citations whose document does not exist or has no ##/### heading starting with the section's name."""
    out = []
    for where, document, section in found:
        path = ROOT / ("README.md" if document == "README" else document)
        if not path.is_file():
            out.append(f"{where}: {document} does not exist")
        elif not any(h.startswith(section) for h in headings(path)):
            out.append(f'{where}: {document} has no section "{section}"')
    return out


def test_rules_has_a_section_for_every_rule():
    assert set(RULE_SECTIONS) <= set(headings(ROOT / "docs" / "RULES.md"))


def test_every_citation_in_the_code_names_a_section_that_exists():
    found = citations(code_files())
    assert {section for _, document, section in found if document == "docs/RULES.md"} >= {"状态怎么判", "仪表盘上的数字"}
    assert broken(found) == []


def test_a_broken_citation_is_found(tmp_path):
    code = tmp_path / "x.py"
    code.write_text('"""The rule (docs/RULES.md "状态怎么判"), (README "设置"), (docs/RULES.md "没有这一节"),\n'
                    '(README “状态怎么判”: moved to docs/RULES.md, README keeps a pointer), (README “没有这一节”)."""\n',
                    encoding="utf-8")
    assert broken(citations([code])) == ['x.py:1: docs/RULES.md has no section "没有这一节"',
                                         'x.py:2: README has no section "没有这一节"']


def test_no_code_cites_documents_the_repository_does_not_hold():
    files = [*code_files(), *sorted((ROOT / "scripts").glob("*.py"))]
    cited = [f"{f.relative_to(ROOT)}: {word}" for f in files for word in ("PRODUCT.md", "STYLE.md", "../shared")
             if word in f.read_text(encoding="utf-8")]
    assert cited == []


def test_the_readme_names_every_module_of_cnpark():
    """README's 目录 has one line for every module (a new module without its line fails here)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## 目录"):text.index("## English")]
    named = {m for m in re.findall(r"`([a-z_]+(?:/[a-z_]+)?\.py)`", table) if not m.startswith("tests/")}
    modules = {p.relative_to(ROOT / "cnpark").as_posix() for p in (ROOT / "cnpark").rglob("*.py")
               if p.name != "__init__.py" or p.parent.name == "parse"}
    assert modules - named == set()
    assert named - modules == set()
