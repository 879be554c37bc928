"""Edits to the scenario files: YAML edits, pull, sources, workbook import, scaffold."""
