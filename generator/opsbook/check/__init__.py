"""Checking: load YAML, validate against the schema, apply the rules, report."""
