"""The rules: pure functions from the plan and the store's frames to what the dashboard says — the status rule
(status, over series), the display rule (display), tasks, projects and their consistency check, 报送情况
(submissions), 督办 (supervision), what an upload changes (changes), the debt ledger (ledger), the focus pages'
shaping (focus), trajectories (forecast) and the reckoning by deadline year (overview). Written out in docs/RULES.md."""
