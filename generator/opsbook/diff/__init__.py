"""``opsbook diff``: scenarios at a revision, what changed, and the report."""
