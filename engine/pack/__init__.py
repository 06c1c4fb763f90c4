"""The Commission permanente pack (004): deliberation, report, annexes 1–3, and their one PDF."""
