"""The plan: what the park has promised — the targets with their clauses, goals, deadlines and units (catalog), every
plan the installation holds (plans), the catalog's own checks (plan_check), names of units and measures (units), and
the months the plan counts in (months). Depends on nothing else in cnpark but settings."""
