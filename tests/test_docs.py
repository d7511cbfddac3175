"""The README documents what users rely on: every setting, the two commands, every CLI command."""

from pathlib import Path

from cnpark import settings
from cnpark.cli.commands import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


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
