"""`python -m cnpark …`: the commands (commands: argparse and the writing commands) and the reading commands
(reading: status, tasks, projects, brief, report)."""
